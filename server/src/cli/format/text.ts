/** Human-readable output, one finding per line in the `path:line:col:` shape that editors and terminals link. */
import type { Severity } from "../../engine/types";
import {
  acceptedCount,
  analysedFileCount,
  cellNumber,
  describeError,
  displayPath,
  errorsOf,
  findingsOf,
  oneBased,
  ReportedFinding,
  ScanReport,
  skipsOf,
} from "./report";

export interface TextOptions {
  color: boolean;
  /** Findings and errors only: no skipped files, no summary. */
  quiet: boolean;
}

const SEVERITY_COLORS: Record<Severity, number> = { error: 31, warning: 33, info: 36 };
const BOLD = 1;
const DIM = 2;

export function formatText(report: ScanReport, options: TextOptions): string {
  const paint = (code: number, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const show = (file: string): string => paint(BOLD, displayPath(report.cwd, file));
  const lines: string[] = [];

  const findings = findingsOf(report);
  for (const { file, finding, notebook } of findings) {
    const start = oneBased(finding.range.start);
    const severity = paint(SEVERITY_COLORS[finding.severity], finding.severity);
    // In a notebook, lines count within the cell: `notebook.ipynb [cell 3] 2:5: ...`.
    const at = notebook ? `${show(file)} [cell ${cellNumber(notebook.cell)}] ` : `${show(file)}:`;
    lines.push(`${at}${start.line}:${start.column}: ${severity} ${paint(DIM, finding.ruleId)} ${finding.message}`);
    finding.path.forEach((step, index) => {
      const stepStart = oneBased(step.range.start);
      const stepCell = notebook?.path[index];
      const where = stepCell ? `[cell ${cellNumber(stepCell.cell)}] ` : step.file && step.file !== file ? `${displayPath(report.cwd, step.file)}:` : "";
      lines.push(paint(DIM, `    ↳ ${where}${stepStart.line}:${stepStart.column} ${step.message}`));
    });
  }
  const errors = errorsOf(report);
  for (const error of errors) lines.push(`${show(error.file)}: ${paint(SEVERITY_COLORS.error, "error")}: ${describeError(error)}`);
  if (options.quiet) return joinLines(lines);

  const skips = skipsOf(report);
  for (const { file, skipped } of skips) lines.push(`${show(file)}: ${paint(SEVERITY_COLORS.info, "skipped")}: ${skipped.message}`);
  if (lines.length > 0) lines.push("");
  const baselined = report.baseline ? `; ${acceptedCount(report)} in the baseline` : "";
  lines.push(summarise(findings, analysedFileCount(report), skips.length, errors.length) + baselined);
  return joinLines(lines);
}

function summarise(findings: ReportedFinding[], files: number, skipped: number, errors: number): string {
  const count = (severity: Severity): number => findings.filter(({ finding }) => finding.severity === severity).length;
  const breakdown = `${plural(count("error"), "error")}, ${plural(count("warning"), "warning")}, ${count("info")} info`;
  const failed = errors > 0 ? `; ${plural(errors, "error")} during analysis` : "";
  return `${plural(findings.length, "finding")} (${breakdown}) in ${plural(files, "file")}; ${skipped} skipped${failed}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function joinLines(lines: string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
