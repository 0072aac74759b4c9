/** SARIF 2.1.0, the format code-scanning services (GitHub, Azure DevOps, GitLab) import. */
import { pathToFileURL } from "node:url";
import { isInside } from "../discover";
import type { Finding, PathStep, Range, RuleMeta, Severity } from "../../engine/types";
import type { NotebookPlace } from "../analyseNotebook";
import {
  cellNumber,
  describeError,
  displayPath,
  errorsOf,
  findingsOf,
  oneBased,
  ReportedError,
  ReportedFinding,
  ReportedSkip,
  ScanReport,
  skipsOf,
} from "./report";

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

const SRCROOT = "%SRCROOT%";
const FINGERPRINT_KEY = "secureAiLint/v1";
const LEVELS: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };
/** GitHub ranks alerts by this score: 7.0 and above is "high", 4.0 to 6.9 "medium", below that "low". */
const SECURITY_SEVERITY: Record<Severity, string> = { error: "8.0", warning: "5.0", info: "2.0" };

export function formatSarif(report: ScanReport): string {
  const context: Context = {
    ruleIndexes: new Map(report.rules.map((rule, index) => [rule.id, index])),
    locate: artifactLocator(report.cwd),
  };
  const errors = errorsOf(report);
  const driver = {
    name: "secure-ai-lint",
    version: report.version,
    semanticVersion: report.version,
    rules: report.rules.map(ruleDescriptor),
  };
  const invocation = {
    executionSuccessful: errors.length === 0,
    toolExecutionNotifications: [
      ...skipsOf(report).map((skip) => skipNotification(context, skip)),
      ...errors.map((error) => errorNotification(context, error)),
    ],
  };
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver },
        invocations: [invocation],
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(report.cwd) } },
        results: findingsOf(report).map((finding) => result(context, finding)),
        columnKind: "utf16CodeUnits",
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

interface Context {
  ruleIndexes: ReadonlyMap<string, number>;
  locate(file: string): ArtifactLocation;
}

function result(context: Context, reported: ReportedFinding) {
  const { file, notebook } = reported;
  const finding = notebook ? inNotebookFile(reported.finding, notebook) : reported.finding;
  const artifactLocation = context.locate(file);
  return {
    ruleId: finding.ruleId,
    ...ruleIndex(context, finding.ruleId, "ruleIndex"),
    level: LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [{ physicalLocation: { artifactLocation, region: region(finding.range) } }],
    ...codeFlows(finding.path, artifactLocation, context.locate),
    ...relatedLocations(finding.path, file, context.locate),
    partialFingerprints: { [FINGERPRINT_KEY]: reported.fingerprint },
    ...(notebook ? { properties: { cell: cellNumber(notebook.cell) } } : {}),
  };
}

/** Code scanning shows a notebook as its JSON text: the finding and its path move to the lines that hold their source. */
function inNotebookFile(finding: Finding, notebook: NotebookPlace): Finding {
  return {
    ...finding,
    range: notebook.fileRange,
    path: finding.path.map((step, index) => ({ ...step, range: notebook.path[index]?.fileRange ?? notebook.fileRange })),
  };
}

function skipNotification(context: Context, { file, skipped }: ReportedSkip) {
  return {
    level: "note",
    message: { text: skipped.message },
    locations: [{ physicalLocation: { artifactLocation: context.locate(file) } }],
    properties: { reason: skipped.reason },
  };
}

function errorNotification(context: Context, error: ReportedError) {
  return {
    level: "error",
    message: { text: describeError(error) },
    locations: [{ physicalLocation: { artifactLocation: context.locate(error.file) } }],
    ...(error.ruleId === null ? {} : { associatedRule: { id: error.ruleId, ...ruleIndex(context, error.ruleId, "index") } }),
  };
}

/** Results and notifications point into `driver.rules` by index, when the rule is one the driver lists. */
function ruleIndex<K extends string>(context: Context, ruleId: string, key: K): Partial<Record<K, number>> {
  const index = context.ruleIndexes.get(ruleId);
  return index === undefined ? {} : ({ [key]: index } as Record<K, number>);
}

function ruleDescriptor(rule: RuleMeta) {
  const tags = ["security", ...rule.cwe.map((cwe) => `external/cwe/${cwe.toLowerCase()}`), ...rule.owasp, ...rule.atlas];
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.summary },
    help: { text: rule.docs, markdown: rule.docs },
    defaultConfiguration: { level: LEVELS[rule.severity] },
    properties: {
      tags: [...new Set(tags)],
      "security-severity": SECURITY_SEVERITY[rule.severity],
      precision: rule.confidence === "high" ? "high" : "medium",
    },
  };
}

export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join("");
}

/** Files under the scanned directory are relative to %SRCROOT%, so the log stays valid when the checkout moves. */
function artifactLocator(cwd: string) {
  return (file: string): ArtifactLocation => {
    if (!isInside(cwd, file)) return { uri: pathToFileURL(file).href };
    return { uri: displayPath(cwd, file).split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
  };
}

function directoryUri(directory: string): string {
  const uri = pathToFileURL(directory).href;
  return uri.endsWith("/") ? uri : `${uri}/`;
}

/** A dataflow path becomes one thread flow: source, each hop, sink; steps in another file (code rendering a prompt file) name it. */
function codeFlows(steps: readonly PathStep[], artifactLocation: ArtifactLocation, locate: Context["locate"]) {
  if (steps.length === 0) return {};
  const locations = steps.map((step) => ({
    location: { physicalLocation: { artifactLocation: step.file ? locate(step.file) : artifactLocation, region: region(step.range) }, message: { text: step.message } },
  }));
  return { codeFlows: [{ threadFlows: [{ locations }] }] };
}

/** Other files on the path (the code that fills a prompt file's variable), for viewers that do not show code flows. */
function relatedLocations(steps: readonly PathStep[], file: string, locate: Context["locate"]) {
  const elsewhere = steps.filter((step) => step.file !== undefined && step.file !== file);
  if (elsewhere.length === 0) return {};
  return {
    relatedLocations: elsewhere.map((step, id) => ({ id, physicalLocation: { artifactLocation: locate(step.file!), region: region(step.range) }, message: { text: step.message } })),
  };
}

function region(range: Range) {
  const start = oneBased(range.start);
  const end = oneBased(range.end);
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}
