import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Connection, Diagnostic, DiagnosticSeverity, TextDocuments } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Engine, Finding, RuleFailure, Severity, SkipNotice } from "../engine/types";
import type { EngineCache } from "../engines";
import type { SettingsStore } from "../settings";
import { registerConfigFiles } from "./configFiles";
import { createPromptFiles } from "./promptFiles";

const DIAGNOSTIC_SOURCE = "secure-ai-lint";

/** Long enough to coalesce a burst of keystrokes, short enough to feel immediate. */
const DEBOUNCE_MS = 10;

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Untitled documents and unusual file names still get analysed when the editor knows their language. */
const LANGUAGE_EXTENSIONS: Record<string, string> = {
  python: ".py",
  javascript: ".js",
  typescript: ".ts",
  javascriptreact: ".jsx",
  typescriptreact: ".tsx",
  prompty: ".prompty",
  dotprompt: ".prompt",
};

/** What was last published for a document. */
export interface AnalysedDocument {
  findings: readonly Finding[];
  engine: Engine;
  /** The path the engine analysed the document as (it keeps the document's syntax tree under it). */
  filePath: string;
  /** The document version the findings are for (fixes apply to that text only). */
  version?: number;
}

export interface Diagnostics {
  analysed(uri: string): AnalysedDocument | undefined;
  /** Re-analyses every open document, e.g. after a settings change. */
  reanalyseAll(): void;
  /** Called whenever every open document is re-analysed (settings or project config changed), for notebooks to follow. */
  onReanalyseAll(listener: () => void): void;
  /**
   * The engine for a URI (a document's or a notebook's) under its settings and project config, and whether
   * analysis is on for it there (enabled, not excluded); undefined when the engine could not start.
   */
  engineFor(uri: string): Promise<{ engine: Engine; enabled: boolean } | undefined>;
  /** Logs each rule's failure on a URI once. */
  reportRuleFailures(uri: string, failures: readonly RuleFailure[]): void;
}

export function registerDiagnostics(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  settings: SettingsStore,
  engines: EngineCache,
): Diagnostics {
  const timers = new Map<string, NodeJS.Timeout>();
  const lastStarted = new Map<string, number>();
  // Bumped by every request to analyse a document; work started under an older generation is stale.
  const generations = new Map<string, number>();
  const analysed = new Map<string, AnalysedDocument>();
  const reportedRuleFailures = new Set<string>();
  const reanalyseListeners: Array<() => void> = [];
  const reanalyseAll = (): void => {
    documents.keys().forEach(schedule);
    reanalyseListeners.forEach((listener) => listener());
  };
  // Config files get their own diagnostics; a change to one re-analyses every open document.
  const configFiles = registerConfigFiles(connection, documents, reanalyseAll);
  // Prompt files are checked against what the code that renders them passes in.
  const promptFiles = createPromptFiles(documents, () => settings.workspaceFolders);

  /**
   * Debounced on the leading edge: the first change after a quiet spell is analysed at once;
   * changes that follow within DEBOUNCE_MS coalesce into one analysis of the latest version.
   */
  function schedule(uri: string): void {
    if (configFiles.owns(uri)) return;
    const generation = (generations.get(uri) ?? 0) + 1;
    generations.set(uri, generation);
    const pending = timers.get(uri);
    clearTimeout(pending);
    const quiet = pending === undefined && performance.now() - (lastStarted.get(uri) ?? -Infinity) >= DEBOUNCE_MS;
    timers.set(
      uri,
      setTimeout(
        () => {
          timers.delete(uri);
          lastStarted.set(uri, performance.now());
          void analyse(uri, generation);
        },
        quiet ? 0 : DEBOUNCE_MS,
      ),
    );
  }

  async function analyse(uri: string, generation: number): Promise<void> {
    const documentSettings = await settings.forDocument(uri);
    const project = configFiles.forDocument(uri);
    const engine = await engines.forSettings(documentSettings, project);
    const document = documents.get(uri);
    if (!engine || !document || generations.get(uri) !== generation) return;

    // Excludes of the project file and of settings add up; untitled documents (no project) have no path to match.
    const excluded =
      project !== undefined &&
      (project.excludes(fileURLToPath(uri)) || settings.excludes(documentSettings, fileURLToPath(uri)));
    const filePath = documentSettings.enable && !excluded ? analysisPath(document, engine) : undefined;
    if (filePath === undefined) {
      analysed.delete(uri);
      void connection.sendDiagnostics({ uri, version: document.version, diagnostics: [] });
      return;
    }
    const isExcluded = (file: string) => project !== undefined && (project.excludes(file) || settings.excludes(documentSettings, file));
    const context = await promptFiles.contextFor(filePath, engine, isExcluded);
    if (generations.get(uri) !== generation) return;
    const result = engine.analyze(document.getText(), filePath, context);
    reportRuleFailures(uri, result.ruleFailures);
    analysed.set(uri, { findings: result.findings, engine, filePath, version: document.version });
    const diagnostics = result.skipped
      ? [skipDiagnostic(result.skipped)]
      : result.findings.map((finding) => toDiagnostic(finding, uri));
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  }

  documents.onDidChangeContent(({ document }) => {
    schedule(document.uri);
    promptFiles.dependents(document).forEach(schedule);
  });
  documents.onDidClose(({ document }) => {
    const uri = document.uri;
    if (configFiles.owns(uri)) return;
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    lastStarted.delete(uri);
    generations.delete(uri);
    const last = analysed.get(uri);
    last?.engine.forget(last.filePath);
    analysed.delete(uri);
    settings.forget(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  function reportRuleFailures(uri: string, failures: readonly RuleFailure[]): void {
    for (const failure of failures) {
      const key = `${failure.ruleId}\0${uri}`;
      if (reportedRuleFailures.has(key)) continue;
      reportedRuleFailures.add(key);
      connection.console.error(`Rule ${failure.ruleId} failed on ${uri}: ${failure.error}`);
    }
  }

  async function engineFor(uri: string): Promise<{ engine: Engine; enabled: boolean } | undefined> {
    const uriSettings = await settings.forDocument(uri);
    const project = configFiles.forDocument(uri);
    const engine = await engines.forSettings(uriSettings, project);
    if (!engine) return undefined;
    const excluded = project !== undefined && (project.excludes(fileURLToPath(uri)) || settings.excludes(uriSettings, fileURLToPath(uri)));
    return { engine, enabled: uriSettings.enable && !excluded };
  }

  return {
    analysed: (uri) => analysed.get(uri),
    reanalyseAll,
    onReanalyseAll: (listener) => reanalyseListeners.push(listener),
    engineFor,
    reportRuleFailures,
  };
}

export function toDiagnostic(finding: Finding, uri: string): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITIES[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ruleDocUri(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    relatedInformation:
      finding.path.length > 0
        ? finding.path.map((step) => ({ location: { uri: step.file ? pathToFileURL(step.file).href : uri, range: step.range }, message: step.message }))
        : undefined,
    data: { ruleId: finding.ruleId },
  };
}

/** The rule docs are copied next to the server bundle (dist/docs/<id>.md). */
function ruleDocUri(ruleId: string): string {
  return pathToFileURL(path.join(__dirname, "docs", `${ruleId}.md`)).href;
}

/** Tells the user, where they look, that the file was not analysed; the engine's message says why and what to do. */
export function skipDiagnostic(notice: SkipNotice): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    message: `Secure AI Lint: ${notice.message}`,
  };
}

/** The path the engine sees: it picks the parser from the extension, which untitled documents lack. */
function analysisPath(document: TextDocument, engine: Engine): string | undefined {
  const filePath = uriToPath(document.uri);
  if (engine.supports(filePath)) return filePath;
  const extension = LANGUAGE_EXTENSIONS[document.languageId];
  return extension !== undefined && engine.supports(filePath + extension) ? filePath + extension : undefined;
}

export function uriToPath(uri: string): string {
  const url = new URL(uri);
  if (url.protocol === "file:") {
    try {
      return fileURLToPath(url);
    } catch {
      // A UNC host on a POSIX system: fall through to the URI's path.
    }
  }
  return decodeURIComponent(url.pathname);
}
