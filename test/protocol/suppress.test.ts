/**
 * Suppressing a finding from the editor, and fix-all: the suppress action writes a suppression that
 * counts only once a reason replaces its placeholder; fix-all returns one edit with every safe fix.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CodeAction, CodeActionKind, CodeActionRequest, Diagnostic, TextDocumentEdit, TextEdit } from "vscode-languageserver-protocol/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { LspSession, startSession } from "./lspSession";

const APP = `from openai import OpenAI

client = OpenAI()

def total(question: str):
    resp = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])
    return eval(resp.choices[0].message.content)
`;
const TIMEOUT = { timeout: 30_000 };
const SETTINGS = { enable: true, maxFileSize: 1024 * 1024, rules: {} };
const FIX_ALL = `${CodeActionKind.SourceFixAll}.secureAiLint`;

async function codeActions(session: LspSession, uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const result = await session.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, only } });
  return (result ?? []).filter((a): a is CodeAction => "title" in a && "kind" in a);
}

const suppressAction = (actions: CodeAction[]) => actions.find((a) => a.title.startsWith("Suppress llm-output-to-eval"));

describe("suppressing a finding from the editor", () => {
  let session: LspSession;
  before(async () => {
    session = await startSession({ settings: SETTINGS });
  }, TIMEOUT);
  after(() => session.kill());

  test("the suppression is inserted above the finding and clears it once a reason is typed", TIMEOUT, async () => {
    const uri = "file:///project/suppress.py";
    await session.open(uri, "python", APP);
    const evaluated = (await session.diagnostics.forVersion(uri, 1)).find((d) => d.code === "llm-output-to-eval");
    assert.ok(evaluated);

    const action = suppressAction(await codeActions(session, uri, [evaluated]));
    assert.ok(action, "a suppress action is offered");
    assert.equal(action.kind, CodeActionKind.QuickFix);
    assert.notEqual(action.isPreferred, true);
    const edits: TextEdit[] = action.edit?.changes?.[uri] ?? [];
    const withPlaceholder = TextDocument.applyEdits(TextDocument.create(uri, "python", 1, APP), edits);
    assert.match(withPlaceholder, /\n {4}# secure-ai-lint: ignore\[llm-output-to-eval\] -- <reason>\n {4}return eval\(/);

    await session.change(uri, 2, [{ text: withPlaceholder }]);
    const pending = await session.diagnostics.forVersion(uri, 2);
    assert.deepEqual(pending.map((d) => d.code).sort(), ["invalid-suppression", "llm-output-to-eval"], "a placeholder is not a reason");

    await session.change(uri, 3, [{ text: withPlaceholder.replace("<reason>", "the grader runs in a sandbox") }]);
    assert.deepEqual(await session.diagnostics.forVersion(uri, 3), []);
  });

  test("fix-all returns one edit that applies every safe fix", TIMEOUT, async () => {
    // Removing a suppression that covers nothing is a safe fix; two of them here.
    const uri = "file:///project/unused.py";
    const text = APP.replace("    resp =", "    # secure-ai-lint: ignore[llm-output-to-eval] -- stale\n    resp =").replace(
      "return eval(resp.choices[0].message.content)",
      "return resp.choices[0].message.content  # secure-ai-lint: ignore[llm-output-to-eval] -- stale",
    );
    await session.open(uri, "python", text);
    const diagnostics = await session.diagnostics.forVersion(uri, 1);
    assert.deepEqual(diagnostics.map((d) => d.code), ["invalid-suppression", "invalid-suppression"]);

    const fixAll = (await codeActions(session, uri, [], [FIX_ALL])).filter((a) => a.kind === FIX_ALL);
    assert.equal(fixAll.length, 1);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, "python", 1, text), fixAll[0].edit?.changes?.[uri] ?? []);
    assert.equal(fixed, APP.replace("return eval(resp.choices[0].message.content)", "return resp.choices[0].message.content"));

    await session.change(uri, 2, [{ text: fixed }]);
    assert.deepEqual(await session.diagnostics.forVersion(uri, 2), []);
  });
});

describe("suppressing a finding in a client with snippet edits", () => {
  let session: LspSession;
  before(async () => {
    session = await startSession({ settings: SETTINGS, snippetEdits: true });
  }, TIMEOUT);
  after(() => session.kill());

  test("the reason placeholder is a snippet tab stop", TIMEOUT, async () => {
    const uri = "file:///project/snippet.py";
    await session.open(uri, "python", APP);
    const evaluated = (await session.diagnostics.forVersion(uri, 1)).find((d) => d.code === "llm-output-to-eval");
    assert.ok(evaluated);
    const action = suppressAction(await codeActions(session, uri, [evaluated]));
    const [change] = action?.edit?.documentChanges ?? [];
    assert.ok(change && TextDocumentEdit.is(change), JSON.stringify(action?.edit));
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    const [edit] = change.edits;
    assert.ok("snippet" in edit);
    assert.equal(edit.snippet.value, "    # secure-ai-lint: ignore[llm-output-to-eval] -- ${1:<reason>}\n");
    assert.deepEqual(edit.range, { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } });
  });
});
