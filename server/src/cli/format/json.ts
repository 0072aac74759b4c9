/**
 * Machine-readable output. The field names are a public contract that scripts and CI integrations rely on:
 * add fields if needed, never rename or remove them. Lines and columns are one-based; `end` is exclusive.
 */
import type { Range } from "../../engine/types";
import { cellNumber, displayPath, errorsOf, findingsOf, oneBased, ScanReport, skipsOf } from "./report";

/** In a notebook, `cell` (one-based) says which cell a finding or step is in; its lines count within that cell. */
const inCell = (cell: number | undefined): { cell?: number } => (cell === undefined ? {} : { cell: cellNumber(cell) });

export function formatJson(report: ScanReport): string {
  const relative = (file: string): string => displayPath(report.cwd, file);
  const document = {
    version: report.version,
    findings: findingsOf(report).map(({ file, finding, notebook }) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      file: relative(file),
      ...inCell(notebook?.cell),
      range: { start: oneBased(finding.range.start), end: oneBased(finding.range.end) },
      owasp: finding.owasp,
      cwe: finding.cwe,
      atlas: finding.atlas,
      path: finding.path.map((step, index) => ({
        file: relative(step.file ?? file),
        ...inCell(notebook?.path[index]?.cell),
        ...flatRange(step.range),
        message: step.message,
      })),
    })),
    skipped: skipsOf(report).map(({ file, skipped }) => ({
      file: relative(file),
      reason: skipped.reason,
      message: skipped.message,
    })),
    errors: errorsOf(report).map((error) => ({ file: relative(error.file), ruleId: error.ruleId, message: error.message })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function flatRange(range: Range): { line: number; column: number; endLine: number; endColumn: number } {
  const start = oneBased(range.start);
  const end = oneBased(range.end);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}
