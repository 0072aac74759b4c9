/** Prompt template files in the language server: findings come from the code that renders them. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "vscode-languageserver-protocol/node";
import { LspSession, startSession } from "./lspSession";

const TIMEOUT = { timeout: 30_000 };

const PROMPTY = `---
name: Support
model:
  api: chat
---
system:
You are the support assistant for {{product}}.
Answer as {{persona}}.

user:
{{question}}
`;

const APP_ON_DISK = `import prompty
from flask import Flask, request

app = Flask(__name__)

@app.post("/ask")
def ask():
    return prompty.execute("support.prompty", inputs={
        "product": "Acme Cloud",
        "persona": request.json["persona"],
        "question": request.json["question"],
    })
`;

const EDITED_APP = `import prompty
from flask import Flask, request

app = Flask(__name__)

@app.post("/ask")
def ask():
    return prompty.execute("support.prompty", inputs={
        "product": request.args["product"],
        "persona": "a patient engineer",
        "question": request.json["question"],
    })
`;

function findings(diagnostics: Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.code === "untrusted-input-in-prompt-file").map((d) => `${d.range.start.line}:${d.range.start.character}`);
}

describe("language server with prompt template files", () => {
  let session: LspSession;
  let root: string;
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sal-prompts-"));
    writeFileSync(path.join(root, "app.py"), APP_ON_DISK);
    writeFileSync(path.join(root, "support.prompty"), PROMPTY);
    session = await startSession({});
  });
  after(() => session.kill());

  test("a .prompty rendered with request data by a code file on disk gets a diagnostic on the variable in its system section", TIMEOUT, async () => {
    const promptUri = pathToFileURL(path.join(root, "support.prompty")).href;
    await session.open(promptUri, "prompty", PROMPTY);
    const diagnostics = await session.diagnostics.forVersion(promptUri, 1);
    assert.deepEqual(findings(diagnostics), ["7:10"], JSON.stringify(diagnostics, null, 2));
    const [finding] = diagnostics;
    assert.match(String(finding.message), /persona/);
    const appUri = pathToFileURL(path.join(root, "app.py")).href;
    const related = finding.relatedInformation ?? [];
    assert.equal(related[0].location.uri, appUri, "the path starts at the request data in the code file");
    assert.equal(related[0].location.range.start.line, 9);
    assert.ok(related.some((r) => r.location.uri === appUri && /renders support\.prompty/.test(r.message)));
    assert.equal(related[related.length - 1].location.uri, promptUri);
  });

  test("opening and editing the code file re-checks the open prompt file against the editor's text", TIMEOUT, async () => {
    const promptUri = pathToFileURL(path.join(root, "support.prompty")).href;
    const appUri = pathToFileURL(path.join(root, "app.py")).href;
    const republished = session.diagnostics.next(promptUri);
    await session.open(appUri, "python", APP_ON_DISK);
    assert.deepEqual(findings(await republished), ["7:10"]);

    const afterEdit = session.diagnostics.next(promptUri);
    await session.change(appUri, 2, [{ text: EDITED_APP }]);
    assert.deepEqual(findings(await afterEdit), ["6:34"]);
  });

  test("a prompt file that no code renders, and one with broken front matter, get no findings", TIMEOUT, async () => {
    const lonely = pathToFileURL(path.join(root, "unused.prompty")).href;
    await session.open(lonely, "prompty", PROMPTY);
    assert.deepEqual(await session.diagnostics.forVersion(lonely, 1), []);

    const broken = pathToFileURL(path.join(root, "broken.prompt")).href;
    await session.open(broken, "dotprompt", '---\nmodel: [oops\n---\n{{role "system"}}\n{{x}}\n');
    assert.deepEqual(await session.diagnostics.forVersion(broken, 1), []);
    assert.deepEqual(session.logs.filter((l) => l.type === 1), []);
  });
});
