/**
 * Quick-fixes for findings, "suppress with a reason", and fix-all (`source.fixAll.secureAiLint`,
 * usable on save). Fixes come with the findings from the last analysis; they are offered only while
 * the document is still at the version that analysis saw, so an edit is never applied to text it
 * was not computed for.
 */
import { CodeAction, CodeActionKind, type Connection, type Diagnostic, type TextDocuments, type WorkspaceEdit } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { mergeFixes, safeFixes } from "../engine/fixes/apply";
import { REASON_PLACEHOLDER, SUPPRESSION_RULE_ID, suppressionInsertion } from "../engine/suppressions";
import type { Finding, Fix, Range } from "../engine/types";
import type { AnalysedDocument } from "./diagnostics";

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.secureAiLint`;
export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, FIX_ALL_KIND];

export function registerCodeActions(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  analysedAt: (uri: string) => AnalysedDocument | undefined,
  /** Whether the client applies snippet text edits (LSP 3.18 `workspace.workspaceEdit.snippetEditSupport`). */
  snippetEdits: () => boolean,
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
        const preferred = finding?.fixes?.find((f) => f.safe);
        for (const fix of finding?.fixes ?? []) actions.push(quickFix(textDocument.uri, diagnostic, fix, fix === preferred));
        const suppress = finding && suppressAction(document, analysed.filePath, diagnostic, finding, snippetEdits());
        if (suppress) actions.push(suppress);
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

/**
 * Writes `secure-ai-lint: ignore[rule] -- <reason>` above the finding. With snippet support the
 * placeholder is selected, ready to be typed over; without, it stays visible, and until it is
 * replaced the suppression is reported as having no reason and suppresses nothing.
 */
function suppressAction(document: TextDocument, filePath: string, diagnostic: Diagnostic, finding: Finding, snippets: boolean): CodeAction | undefined {
  if (finding.ruleId === SUPPRESSION_RULE_ID) return undefined;
  const place = suppressionInsertion(document.getText(), filePath, finding.range.start.line, finding.ruleId);
  if (!place) return undefined;
  const at = document.positionAt(place.offset);
  const range = { start: at, end: at };
  const edit: WorkspaceEdit = snippets
    ? {
        documentChanges: [
          {
            textDocument: { uri: document.uri, version: document.version },
            edits: [{ range, snippet: { kind: "snippet", value: `${snippetText(place.before)}\${1:${snippetText(REASON_PLACEHOLDER)}}${snippetText(place.after)}` } }],
          },
        ],
      }
    : { changes: { [document.uri]: [{ range, newText: place.before + REASON_PLACEHOLDER + place.after }] } };
  return { title: `Suppress ${finding.ruleId} here with a reason…`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit };
}

/** Text that a snippet inserts as written. */
function snippetText(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** The finding a diagnostic was made from: same rule, same range. */
function findingFor(findings: readonly Finding[], diagnostic: Diagnostic): Finding | undefined {
  const ruleId = (diagnostic.data as { ruleId?: string } | undefined)?.ruleId ?? diagnostic.code;
  return findings.find((f) => f.ruleId === ruleId && sameRange(f.range, diagnostic.range));
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
