import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidCloseTextDocumentNotification,
  Hover,
  HoverRequest,
  MarkupContent,
  MessageType,
  Position,
} from "vscode-languageserver-protocol/node";
import { repoRoot } from "../helpers/repo";
import { LspSession, startSession } from "./lspSession";

const PYTHON_APP = `from flask import Flask, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()

@app.post("/chat")
def chat():
    persona = request.json["persona"]
    resp = client.chat.completions.create(
        model="gpt-4o",
        messages=[
            {"role": "system", "content": f"You are {persona}."},
            {"role": "user", "content": request.json["question"]},
        ],
    )
    answer = resp.choices[0].message.content
    return {"result": eval(answer)}
`;

const TS_TOOL = `import OpenAI from "openai";
import { exec } from "node:child_process";
const client = new OpenAI();
export async function run(task: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: task }],
  });
  const cmd = completion.choices[0].message.content ?? "";
  exec(cmd);
}
`;

const PYTHON_URI = "file:///project/chat.py";
const TS_URI = "file:///project/tool.ts";
const SETTINGS = {
  enable: true,
  maxFileSize: 1024 * 1024,
  // One rule per severity, so that the mapping of each to LSP is checked.
  rules: { "untrusted-input-in-system-prompt": "error", "llm-output-to-eval": "warning", "llm-output-to-shell": "info" },
};
const TIMEOUT = { timeout: 30_000 };

/** Where `fragment` starts on a 0-based line of `text`, as an LSP position. */
function positionOf(text: string, line: number, fragment: string, offset = 0): Position {
  const character = text.split("\n")[line].indexOf(fragment);
  assert.ok(character >= 0, `"${fragment}" is not on line ${line}`);
  return { line, character: character + offset };
}

function byCode(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((diagnostic) => diagnostic.code === code);
  assert.equal(found.length, 1, `expected one ${code} in ${JSON.stringify(diagnostics, null, 2)}`);
  return found[0];
}

/** The server sends plain-text messages (LSP 3.18 also allows Markdown ones). */
function messageOf(diagnostic: Diagnostic): string {
  assert.equal(typeof diagnostic.message, "string");
  return diagnostic.message as string;
}

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => String(diagnostic.code)).sort();
}

function assertRuleDiagnostic(diagnostic: Diagnostic, uri: string, severity: DiagnosticSeverity): void {
  assert.equal(diagnostic.source, "secure-ai-lint");
  assert.equal(diagnostic.severity, severity);
  assert.ok(messageOf(diagnostic).length > 0);
  assert.deepEqual(diagnostic.data, { ruleId: diagnostic.code });
  const docUrl = pathToFileURL(path.join(repoRoot(), "dist", "docs", `${diagnostic.code}.md`)).href;
  assert.equal(diagnostic.codeDescription?.href, docUrl);
  assert.ok(existsSync(fileURLToPath(docUrl)), `the build copies the rule doc to ${docUrl}`);
  for (const related of diagnostic.relatedInformation ?? []) {
    assert.equal(related.location.uri, uri);
    assert.ok(related.message.length > 0);
  }
}

describe("language server over stdio", () => {
  let session: LspSession;

  before(async () => {
    session = await startSession({ settings: { ...SETTINGS } });
  }, TIMEOUT);
  after(() => session.kill());

  test("reports untrusted input in a Python system prompt and model output reaching eval", TIMEOUT, async () => {
    await session.open(PYTHON_URI, "python", PYTHON_APP);
    const diagnostics = await session.diagnostics.forVersion(PYTHON_URI, 1);
    assert.deepEqual(codes(diagnostics), ["llm-output-to-eval", "untrusted-input-in-system-prompt"]);

    const prompt = byCode(diagnostics, "untrusted-input-in-system-prompt");
    assertRuleDiagnostic(prompt, PYTHON_URI, DiagnosticSeverity.Error);
    assert.deepEqual(prompt.range.start, positionOf(PYTHON_APP, 12, 'f"You are'));
    assert.equal(prompt.range.end.line, 12);
    const promptPath = prompt.relatedInformation ?? [];
    assert.ok(promptPath.length >= 2, "the path runs from the request parameter to the system message");
    assert.equal(promptPath[0].location.range.start.line, 8, "the path starts at request.json");
    assert.equal(promptPath.at(-1)?.location.range.start.line, 12, "the path ends at the system message");

    const evaluated = byCode(diagnostics, "llm-output-to-eval");
    assertRuleDiagnostic(evaluated, PYTHON_URI, DiagnosticSeverity.Warning);
    const answer = positionOf(PYTHON_APP, 17, "eval(answer)", "eval(".length);
    assert.deepEqual(evaluated.range, { start: answer, end: { line: 17, character: answer.character + "answer".length } });
    const evalPath = evaluated.relatedInformation ?? [];
    assert.ok(evalPath.length >= 2, "the path runs from the completion to eval");
    assert.ok(evalPath[0].location.range.start.line >= 9 && evalPath[0].location.range.start.line <= 16);
    assert.equal(evalPath.at(-1)?.location.range.start.line, 17);
  });

  test("reports model output reaching a shell in TypeScript, with the completion on its path", TIMEOUT, async () => {
    await session.open(TS_URI, "typescript", TS_TOOL);
    const diagnostics = await session.diagnostics.forVersion(TS_URI, 1);
    assert.deepEqual(codes(diagnostics), ["llm-output-to-shell"]);
    const shell = diagnostics[0];
    assertRuleDiagnostic(shell, TS_URI, DiagnosticSeverity.Information);
    const cmd = positionOf(TS_TOOL, 9, "exec(cmd)", "exec(".length);
    assert.deepEqual(shell.range, { start: cmd, end: { line: 9, character: cmd.character + "cmd".length } });
    const steps = shell.relatedInformation ?? [];
    assert.ok(steps.length >= 2, "the path runs from the completion to exec");
    assert.ok(
      steps.some((step) => /completion/.test(step.message)),
      `a step names the completion: ${JSON.stringify(steps.map((step) => step.message))}`,
    );
    assert.equal(steps.at(-1)?.location.range.start.line, 9);
  });

  test("hover on a finding shows the rule's title, the finding and its doc", TIMEOUT, async () => {
    const position = positionOf(TS_TOOL, 9, "exec(cmd)", "exec(".length + 1);
    const hover: Hover | null = await session.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: TS_URI },
      position,
    });
    assert.ok(hover, "a hover over exec(cmd)");
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, "markdown");
    assert.match(contents.value, /llm-output-to-shell/);
    const [shell] = await session.diagnostics.forVersion(TS_URI, 1);
    assert.ok(contents.value.includes(messageOf(shell)), "the hover repeats the finding's message");
    assert.match(contents.value, /What it does/);
    assert.deepEqual(hover.range, shell.range);

    const elsewhere = await session.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: TS_URI },
      position: { line: 0, character: 3 },
    });
    assert.equal(elsewhere, null);
  });

  test("an incremental edit that removes the sink clears its finding; restoring the sink restores it", TIMEOUT, async () => {
    const sinkLine = { start: { line: 9, character: 0 }, end: { line: 10, character: 0 } };
    await session.change(TS_URI, 2, [{ range: sinkLine, text: "" }]);
    assert.deepEqual(await session.diagnostics.forVersion(TS_URI, 2), []);

    await session.change(TS_URI, 3, [{ range: { start: sinkLine.start, end: sinkLine.start }, text: "  exec(cmd);\n" }]);
    assert.deepEqual(codes(await session.diagnostics.forVersion(TS_URI, 3)), ["llm-output-to-shell"]);

    const evalCall = positionOf(PYTHON_APP, 17, "eval(answer)");
    const evalRange = { start: evalCall, end: { line: 17, character: evalCall.character + "eval(answer)".length } };
    await session.change(PYTHON_URI, 2, [{ range: evalRange, text: "answer" }]);
    assert.deepEqual(codes(await session.diagnostics.forVersion(PYTHON_URI, 2)), ["untrusted-input-in-system-prompt"]);
  });

  test("after a burst of edits the last version is published, never an older after a newer", TIMEOUT, async () => {
    const end = { line: 11, character: 0 };
    for (let version = 4; version <= 8; version++) {
      await session.change(TS_URI, version, [{ range: { start: end, end }, text: `// edit ${version}\n` }]);
    }
    assert.deepEqual(codes(await session.diagnostics.forVersion(TS_URI, 8)), ["llm-output-to-shell"]);
    const versions = session.diagnostics.versions(TS_URI);
    assert.deepEqual(versions, [...versions].sort((a, b) => (a ?? 0) - (b ?? 0)));
  });

  test("a settings change re-analyses open documents", TIMEOUT, async () => {
    session.settings = { ...SETTINGS, rules: { ...SETTINGS.rules, "llm-output-to-shell": "off" } };
    const republished = session.diagnostics.next(TS_URI);
    await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    assert.deepEqual(await republished, []);

    session.settings = { ...SETTINGS };
    const restored = session.diagnostics.next(TS_URI);
    await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    assert.deepEqual(codes(await restored), ["llm-output-to-shell"]);
  });

  test("an untitled document is analysed by its language", TIMEOUT, async () => {
    const uri = "untitled:Untitled-1";
    await session.open(uri, "python", PYTHON_APP);
    assert.deepEqual(codes(await session.diagnostics.forVersion(uri, 1)), [
      "llm-output-to-eval",
      "untrusted-input-in-system-prompt",
    ]);
  });

  test("malformed documents still get diagnostics published and hovers answered", TIMEOUT, async () => {
    const garbage = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join("");
    const documents: [uri: string, languageId: string, text: string][] = [
      ["file:///project/garbage.py", "python", garbage],
      ["file:///project/half_typed.py", "python", 'def chat(:\n    client.chat.completions.create(messages=[{"role": f"{'],
      ["file:///project/half_typed.ts", "typescript", "async function run() {\n  exec(await client.chat.completions.create({ x: ["],
    ];
    for (const [uri, languageId, text] of documents) {
      await session.open(uri, languageId, text);
      // Each await fails the test, by timeout or by an error response, if the server stopped answering.
      const diagnostics = await session.diagnostics.forVersion(uri, 1);
      const position = { line: 1, character: 4 };
      await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
      if (text === garbage) {
        assert.deepEqual(diagnostics.filter((d) => d.code !== undefined), [], "no rule fires on binary data");
      }
    }
  });

  test("a file over the size limit gets one information notice saying how to raise the limit", TIMEOUT, async () => {
    const uri = "file:///project/generated.py";
    await session.open(uri, "python", "x = 1\n".repeat(350_000));
    const diagnostics = await session.diagnostics.forVersion(uri, 1);
    assert.equal(diagnostics.length, 1);
    const [notice] = diagnostics;
    assert.equal(notice.severity, DiagnosticSeverity.Information);
    assert.equal(notice.range.start.line, 0);
    assert.equal(notice.source, "secure-ai-lint");
    assert.match(messageOf(notice), /secureAiLint\.maxFileSize/);
    const hover = await session.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: 0, character: 0 },
    });
    assert.equal(hover, null);
  });

  test("closing a document clears its diagnostics", TIMEOUT, async () => {
    const cleared = session.diagnostics.next(PYTHON_URI);
    await session.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: PYTHON_URI } });
    assert.deepEqual(await cleared, []);
  });

  test("the server logged no errors", () => {
    const errors = session.logs.filter((log) => log.type === MessageType.Error).map((log) => log.message);
    assert.deepEqual(errors, []);
  });

  test("shutdown and exit end the server process with code 0", TIMEOUT, async () => {
    await session.shutdown();
    assert.equal(await session.exitCode, 0);
  });
});

describe("language server over node IPC, as VS Code starts it, with settings pushed by the client", () => {
  let session: LspSession;

  before(async () => {
    session = await startSession({ transport: "ipc" });
  }, TIMEOUT);
  after(() => session.kill());

  test("publishes diagnostics, applies pushed settings and exits cleanly", TIMEOUT, async () => {
    await session.open(TS_URI, "typescript", TS_TOOL);
    assert.deepEqual(codes(await session.diagnostics.forVersion(TS_URI, 1)), ["llm-output-to-shell"]);

    const republished = session.diagnostics.next(TS_URI);
    await session.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { secureAiLint: { rules: { "llm-output-to-shell": "off" } } },
    });
    assert.deepEqual(await republished, []);

    await session.shutdown();
    assert.equal(await session.exitCode, 0);
  });
});

describe("language server with a project config file", () => {
  let session: LspSession;
  let root: string;
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sal-project-"));
    mkdirSync(path.join(root, "generated"));
    writeFileSync(path.join(root, "secure-ai-lint.json"), JSON.stringify({ rules: { "llm-output-to-eval": "off" }, exclude: ["generated/**"] }));
    session = await startSession({});
  });
  after(() => session.kill());

  test("its rule severities and excludes apply, and a broken config is reported and ignored", TIMEOUT, async () => {
    const uri = pathToFileURL(path.join(root, "chat.py")).href;
    await session.open(uri, "python", PYTHON_APP);
    assert.deepEqual(codes(await session.diagnostics.forVersion(uri, 1)), ["untrusted-input-in-system-prompt"]);

    const generated = pathToFileURL(path.join(root, "generated", "chat.py")).href;
    await session.open(generated, "python", PYTHON_APP);
    assert.deepEqual(await session.diagnostics.forVersion(generated, 1), []);

    writeFileSync(path.join(root, "secure-ai-lint.json"), '{ "rules": ');
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(root, "secure-ai-lint.json"), later, later);
    await session.change(uri, 2, [{ text: PYTHON_APP }]);
    assert.deepEqual(codes(await session.diagnostics.forVersion(uri, 2)), ["llm-output-to-eval", "untrusted-input-in-system-prompt"]);
    assert.ok(session.logs.some((log) => log.type === MessageType.Warning && log.message.includes("Not valid JSON")), JSON.stringify(session.logs));
  });
});
