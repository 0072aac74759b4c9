/**
 * Machine-readable output. The field names are a public contract that scripts and CI integrations rely on:
 * add fields if needed, never rename or remove them. Lines and columns are one-based; `end` is exclusive.
 */
import type { Range } from "../../engine/types";
import { displayPath, errorsOf, findingsOf, oneBased, ScanReport, skipsOf } from "./report";

export function formatJson(report: ScanReport): string {
  const relative = (file: string): string => displayPath(report.cwd, file);
  const document = {
    version: report.version,
    findings: findingsOf(report).map(({ file, finding }) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      file: relative(file),
      range: { start: oneBased(finding.range.start), end: oneBased(finding.range.end) },
      owasp: finding.owasp,
      cwe: finding.cwe,
      atlas: finding.atlas,
      path: finding.path.map((step) => ({ file: relative(file), ...flatRange(step.range), message: step.message })),
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
