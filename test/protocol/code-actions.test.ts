/**
 * Quick-fixes over the protocol: a diagnostic's code actions carry the rule's fixes as
 * workspace edits; applying one and sending the result as the next version clears the
 * diagnostic.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CodeAction, CodeActionKind, CodeActionRequest, Diagnostic, TextEdit } from "vscode-languageserver-protocol/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { LspSession, startSession } from "./lspSession";

const APP = `from openai import OpenAI

client = OpenAI()

def total(question: str):
    resp = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}])
    return eval(resp.choices[0].message.content)
`;
const URI = "file:///project/calc.py";
const TIMEOUT = { timeout: 30_000 };

describe("code actions", () => {
  let session: LspSession;
  before(async () => {
    session = await startSession({ settings: { enable: true, maxFileSize: 1024 * 1024, rules: {} } });
  }, TIMEOUT);
  after(() => session.kill());

  async function actionsFor(diagnostic: Diagnostic, only?: string[]): Promise<CodeAction[]> {
    const result = await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: URI },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only },
    });
    return (result ?? []).filter((a): a is CodeAction => "title" in a && "kind" in a);
  }

  test("a finding's fixes come back as quick-fixes; applying one clears the finding", TIMEOUT, async () => {
    await session.open(URI, "python", APP);
    const diagnostics = await session.diagnostics.forVersion(URI, 1);
    const evaluated = diagnostics.find((d) => d.code === "llm-output-to-eval");
    assert.ok(evaluated, JSON.stringify(diagnostics));

    const actions = (await actionsFor(evaluated)).filter((a) => a.kind === CodeActionKind.QuickFix);
    const literal = actions.find((a) => /ast\.literal_eval/.test(a.title));
    assert.ok(literal, `actions: ${actions.map((a) => a.title).join(", ")}`);
    assert.deepEqual(literal.diagnostics, [evaluated]);
    assert.notEqual(literal.isPreferred, true, "an unsafe fix is never the preferred one");

    const edits: TextEdit[] = literal.edit?.changes?.[URI] ?? [];
    const fixed = TextDocument.applyEdits(TextDocument.create(URI, "python", 1, APP), edits);
    assert.match(fixed, /^import ast$/m);
    assert.match(fixed, /return ast\.literal_eval\(resp\.choices\[0\]\.message\.content\)/);

    await session.change(URI, 2, [{ text: fixed }]);
    const after = await session.diagnostics.forVersion(URI, 2);
    assert.equal(after.filter((d) => d.code === "llm-output-to-eval").length, 0);
  });
});
