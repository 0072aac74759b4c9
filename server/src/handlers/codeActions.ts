/**
 * Quick-fixes for findings and fix-all (`source.fixAll.secureAiLint`, usable on save). Fixes come
 * with the findings from the last analysis; they are offered only while the document is still at
 * the version that analysis saw, so an edit is never applied to text it was not computed for.
 */
import { CodeAction, CodeActionKind, type Connection, type Diagnostic, type TextDocuments } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { mergeFixes, safeFixes } from "../engine/fixes/apply";
import type { Finding, Fix, Range } from "../engine/types";
import type { AnalysedDocument } from "./diagnostics";

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.secureAiLint`;
export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, FIX_ALL_KIND];

export function registerCodeActions(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  analysedAt: (uri: string) => AnalysedDocument | undefined,
): void {
  connection.onCodeAction(({ textDocument, context }): CodeAction[] => {
    const document = documents.get(textDocument.uri);
    const analysed = analysedAt(textDocument.uri);
    if (!document || !analysed || analysed.version !== document.version) return [];
    const only = context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      for (const diagnostic of context.diagnostics) {
        const finding = findingFor(analysed.findings, diagnostic);
        if (!finding?.fixes) continue;
        const preferred = finding.fixes.find((f) => f.safe);
        for (const fix of finding.fixes) actions.push(quickFix(textDocument.uri, diagnostic, fix, fix === preferred));
      }
    }
    if (wants(FIX_ALL_KIND)) {
      const { edits, applied } = mergeFixes(document.getText(), safeFixes(analysed.findings));
      if (applied > 0) actions.push({ title: "Secure AI Lint: apply all safe fixes", kind: FIX_ALL_KIND, edit: { changes: { [textDocument.uri]: edits } } });
    }
    return actions;
  });
}

function quickFix(uri: string, diagnostic: Diagnostic, fix: Fix, isPreferred: boolean): CodeAction {
  return {
    title: fix.safe ? fix.title : `${fix.title} (review: may change behaviour)`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: isPreferred || undefined,
    edit: { changes: { [uri]: fix.edits } },
  };
}

/** The finding a diagnostic was made from: same rule, same range. */
function findingFor(findings: readonly Finding[], diagnostic: Diagnostic): Finding | undefined {
  const ruleId = (diagnostic.data as { ruleId?: string } | undefined)?.ruleId ?? diagnostic.code;
  return findings.find((f) => f.ruleId === ruleId && sameRange(f.range, diagnostic.range));
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
