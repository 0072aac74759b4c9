import { Connection, Hover, MarkupKind } from "vscode-languageserver/node";
import type { Finding, Position, Range, RuleMeta } from "../engine/types";
import type { AnalysedDocument } from "./diagnostics";

/** Hovering a flagged range explains the finding with its rule's documentation; `analysedAt` knows documents and notebook cells. */
export function registerHover(connection: Connection, analysedAt: (uri: string) => AnalysedDocument | undefined): void {
  connection.onHover(({ textDocument, position }): Hover | null => {
    const analysed = analysedAt(textDocument.uri);
    const hits = analysed?.findings.filter((finding) => contains(finding.range, position)) ?? [];
    if (!analysed || hits.length === 0) return null;
    const sections = hits.map((finding) =>
      describe(finding, analysed.engine.rules.find((rule) => rule.id === finding.ruleId)),
    );
    return { contents: { kind: MarkupKind.Markdown, value: sections.join("\n\n---\n\n") }, range: hits[0].range };
  });
}

function describe(finding: Finding, rule: RuleMeta | undefined): string {
  const title = `**${rule?.title ?? finding.ruleId}** (\`${finding.ruleId}\`)`;
  // The doc opens with the rule id as a heading, which the title line already gives in a hover-sized font.
  const doc = rule?.docs.replace(/^# .*\n+/, "");
  return [title, finding.message, doc].filter((part) => part !== undefined).join("\n\n");
}

function contains(range: Range, position: Position): boolean {
  return compare(range.start, position) <= 0 && compare(position, range.end) <= 0;
}

function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
