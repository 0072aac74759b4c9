/** The `rules` command's listing: a table for people, JSON for tools. */
import type { RuleMeta } from "../../engine/types";

export const RULES_FORMATS = ["text", "json", "markdown"] as const;

export function formatRules(rules: readonly RuleMeta[], format: (typeof RULES_FORMATS)[number]): string {
  if (format === "json") {
    const listed = rules.map(({ id, title, summary, severity, confidence, owasp, cwe, atlas }) => ({
      id,
      title,
      summary,
      severity,
      confidence,
      owasp,
      cwe,
      atlas,
    }));
    return `${JSON.stringify(listed, null, 2)}\n`;
  }
  if (format === "markdown") return markdownTable(rules);
  const rows = [
    ["RULE", "SEVERITY", "OWASP", "CWE", "TITLE"],
    ...rules.map((rule) => [
      rule.id,
      rule.confidence === "audit" ? `${rule.severity} (audit, off by default)` : rule.severity,
      rule.owasp.join(" "),
      rule.cwe.join(" "),
      rule.title,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]): string =>
    row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join("  ");
  return `${rows.map(line).join("\n")}\n`;
}

/** The README's rule table (`npm run docs` writes it between the README's rules markers). */
function markdownTable(rules: readonly RuleMeta[]): string {
  const rows = rules.map((rule) =>
    [
      `[\`${rule.id}\`](rules/${rule.id}/README.md)`,
      rule.confidence === "audit" ? `${rule.severity} (audit, off by default)` : rule.severity,
      rule.owasp.join(", "),
      rule.cwe.join(", "),
      rule.atlas.join(", "),
      rule.summary,
    ].join(" | "),
  );
  return ["| Rule | Default | OWASP LLM 2025 | CWE | MITRE ATLAS | What it finds |", "|---|---|---|---|---|---|", ...rows.map((r) => `| ${r} |`)].join("\n") + "\n";
}
