/** The result of one scan, as every output format sees it, and the conversions they share. */
import * as path from "node:path";
import type { Finding, Position, RuleMeta, Severity, SkipNotice } from "../../engine/types";
import type { AnalysedOutcome, FileOutcome } from "../analyseFile";
import type { NotebookPlace } from "../analyseNotebook";
import type { Baseline, BaselineEntry } from "../baseline";
import { fingerprintsOf } from "../fingerprint";

export interface ScanReport {
  version: string;
  /** Absolute directory that reported paths are relative to. */
  cwd: string;
  rules: readonly RuleMeta[];
  /** One entry per file, sorted by file path. */
  outcomes: readonly FileOutcome[];
  /** Accepted findings: those it holds are left out of every output and of the exit status. */
  baseline?: Baseline;
}

export interface ReportedFinding {
  file: string;
  finding: Finding;
  lineText: string;
  /** Stable across commits (fingerprint.ts), with the file named relative to the scan's directory. */
  fingerprint: string;
  /** Set for a finding in a notebook: `finding`'s ranges are then within cells. */
  notebook?: NotebookPlace;
}

export interface ReportedSkip {
  file: string;
  skipped: SkipNotice;
}

export interface ReportedError {
  file: string;
  /** Set when one rule failed on the file; the other rules' findings are still reported. */
  ruleId: string | null;
  message: string;
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** The findings to report: every finding not in the baseline. */
export function findingsOf(report: ScanReport): ReportedFinding[] {
  // Outcomes are already sorted by file, so only the findings within each file need ordering.
  return report.outcomes.flatMap((outcome) => {
    if (!("result" in outcome)) return [];
    const prints = fingerprintsOf(outcome, displayPath(report.cwd, outcome.file));
    const accepted = acceptedIn(outcome, report.baseline);
    return outcome.result.findings
      .map((finding, index): ReportedFinding => {
        const notebook = outcome.notebookPlaces?.[index];
        return { file: outcome.file, finding, lineText: outcome.findingLines[index] ?? "", fingerprint: prints[index], ...(notebook ? { notebook } : {}) };
      })
      .filter((_, index) => !accepted[index])
      .sort((a, b) => (a.notebook?.cell ?? 0) - (b.notebook?.cell ?? 0) || compareFindings(a.finding, b.finding));
  });
}

/** How many findings the baseline holds and the report leaves out. */
export function acceptedCount(report: ScanReport): number {
  return report.outcomes.reduce((sum, outcome) => sum + ("result" in outcome ? acceptedIn(outcome, report.baseline).filter(Boolean).length : 0), 0);
}

/** Every finding of the scan as a baseline entry, its file relative to the baseline's folder. */
export function baselineEntries(report: ScanReport, directory: string): BaselineEntry[] {
  return report.outcomes.flatMap((outcome) => ("result" in outcome ? entriesIn(outcome, directory) : []));
}

function entriesIn(outcome: AnalysedOutcome, directory: string): BaselineEntry[] {
  const file = displayPath(directory, outcome.file);
  const prints = fingerprintsOf(outcome, file);
  return outcome.result.findings.map((finding, index) => ({ ruleId: finding.ruleId, file, fingerprint: prints[index] }));
}

/** For each finding of the outcome, in order: whether the baseline holds it. */
function acceptedIn(outcome: AnalysedOutcome, baseline: Baseline | undefined): boolean[] {
  return baseline ? entriesIn(outcome, baseline.directory).map((entry) => baseline.has(entry)) : [];
}

export function skipsOf(report: ScanReport): ReportedSkip[] {
  return report.outcomes.flatMap((outcome) =>
    "result" in outcome && outcome.result.skipped ? [{ file: outcome.file, skipped: outcome.result.skipped }] : [],
  );
}

export function errorsOf(report: ScanReport): ReportedError[] {
  return report.outcomes.flatMap((outcome): ReportedError[] =>
    "result" in outcome
      ? outcome.result.ruleFailures.map((failure) => ({ file: outcome.file, ruleId: failure.ruleId, message: failure.error }))
      : [{ file: outcome.file, ruleId: null, message: outcome.error }],
  );
}

/** One sentence for people: which rule failed, if one did, and why. */
export function describeError(error: ReportedError): string {
  return error.ruleId === null ? error.message : `rule ${error.ruleId} failed: ${error.message}`;
}

/** Files the engine analysed, whether or not it found anything. */
export function analysedFileCount(report: ScanReport): number {
  return report.outcomes.filter((outcome) => "result" in outcome && !outcome.result.skipped).length;
}

/** `file` relative to the scan's directory, with forward slashes on every platform. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file) || path.basename(file);
  return relative.split(path.sep).join("/");
}

/** Cells are numbered from one, as notebook editors count them. */
export function cellNumber(cell: number): number {
  return cell + 1;
}

/** Engine positions are zero-based; people, editors' "go to line" and SARIF count from one. */
export function oneBased(position: Position): { line: number; column: number } {
  return { line: position.line + 1, column: position.character + 1 };
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
