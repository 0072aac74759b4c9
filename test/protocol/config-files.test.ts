/**
 * Project config files over LSP: problems are published on the config file at the offending
 * value, code files keep their default findings, a fix clears them, changes on disk are picked
 * up, and the settings that mirror config keys apply live.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import {
  Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  ShowMessageParams,
} from "vscode-languageserver-protocol/node";
import { LspSession, startSession } from "./lspSession";

const APP = `from flask import Flask, request
from openai import OpenAI
from myapp.llm import ask

app = Flask(__name__)
client = OpenAI()

def scrub(text):
    return text

@app.post("/chat")
def chat():
    persona = scrub(request.json["persona"])
    resp = client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": f"You are {persona}."}])
    answer = resp.choices[0].message.content
    eval(ask("What is 2+2?"))
    return {"result": eval(answer)}
`;
const DEFAULT_FINDINGS = ["llm-output-to-eval:17", "untrusted-input-in-system-prompt:14"];

const BAD_YAML = `# team settings
rules:
  llm-output-to-shell: warning
  llm-output-to-eval: loud
exclude:
  - generated/**
`;
const BROKEN_YAML = `rules:
  llm-output-to-eval: off
exclude: [generated/**
sanitizers: []
`;
const GOOD_YAML = `rules:
  llm-output-to-eval: "off"
`;
const SETTINGS = { enable: true, rules: {} };
const TIMEOUT = { timeout: 30_000 };

/** `rule:line` (1-based) of each diagnostic, sorted. */
function findings(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${String(d.code)}:${d.range.start.line + 1}`).sort();
}

describe("project config files over LSP", () => {
  let session: LspSession;
  let root: string;
  let configFile: string;
  let configUri: string;
  let appUri: string;
  const popups: ShowMessageParams[] = [];

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), "sal-config-files-"));
    mkdirSync(path.join(root, ".git"));
    configFile = path.join(root, "secure-ai-lint.yaml");
    configUri = pathToFileURL(configFile).href;
    appUri = pathToFileURL(path.join(root, "chat.py")).href;
    writeFileSync(configFile, BAD_YAML);
    session = await startSession({ settings: { ...SETTINGS } });
    session.connection.onNotification(ShowMessageNotification.type, (params) => {
      popups.push(params);
    });
  }, TIMEOUT);
  after(() => session.kill());

  async function fileChanged(text: string): Promise<void> {
    writeFileSync(configFile, text);
    await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: configUri, type: FileChangeType.Changed }],
    });
  }

  test("a bad YAML config gets a diagnostic at the bad value; code files keep their default findings", TIMEOUT, async () => {
    await session.open(appUri, "python", APP);
    assert.deepEqual(findings(await session.diagnostics.forVersion(appUri, 1)), DEFAULT_FINDINGS);
    const onConfig = await session.diagnostics.forVersion(configUri, undefined as unknown as number);
    assert.equal(onConfig.length, 1, JSON.stringify(onConfig));
    const [problem] = onConfig;
    assert.equal(problem.source, "secure-ai-lint");
    assert.equal(problem.severity, DiagnosticSeverity.Error);
    assert.match(problem.message as string, /must be one of "error", "warning", "info", "off"/);
    assert.deepEqual(problem.range, { start: { line: 3, character: 22 }, end: { line: 3, character: 26 } });
    const warnings = session.logs.filter((log) => log.type === MessageType.Warning && log.message.includes(configFile));
    assert.equal(warnings.length, 1, "one log line");
    assert.deepEqual(popups, [], "no pop-up");
  });

  test("the open config shows problems of its unsaved text, YAML syntax errors at their line", TIMEOUT, async () => {
    await session.open(configUri, "yaml", BROKEN_YAML);
    const [syntax] = await session.diagnostics.forVersion(configUri, 1);
    assert.match(syntax.message as string, /^Not valid YAML/);
    assert.ok(syntax.range.start.line >= 2, JSON.stringify(syntax.range));
    assert.equal(syntax.severity, DiagnosticSeverity.Error);

    await session.change(configUri, 2, [{ text: GOOD_YAML }]);
    assert.deepEqual(await session.diagnostics.forVersion(configUri, 2), []);
    assert.ok(!session.diagnostics.versions(appUri).includes(2), "the code file is not re-analysed for unsaved config text");
  });

  test("closing the config brings back the problems of the file on disk", TIMEOUT, async () => {
    const republished = session.diagnostics.next(configUri);
    await session.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: configUri } });
    assert.equal((await republished).length, 1);
  });

  test("fixing the file on disk clears its diagnostic and re-analyses open documents under it", TIMEOUT, async () => {
    const configCleared = session.diagnostics.next(configUri);
    const reanalysed = session.diagnostics.next(appUri);
    await fileChanged(GOOD_YAML);
    assert.deepEqual(await configCleared, []);
    assert.deepEqual(findings(await reanalysed), ["untrusted-input-in-system-prompt:14"]);

    const broken = session.diagnostics.next(configUri);
    const defaults = session.diagnostics.next(appUri);
    await fileChanged(BROKEN_YAML);
    const [syntax] = await broken;
    assert.match(syntax.message as string, /^Not valid YAML/);
    assert.deepEqual(findings(await defaults), DEFAULT_FINDINGS, "a broken config falls back to the defaults");

    const fixed = session.diagnostics.next(configUri);
    const stillDefaults = session.diagnostics.next(appUri);
    await fileChanged("# nothing to change\n");
    assert.deepEqual(await fixed, []);
    assert.deepEqual(findings(await stillDefaults), DEFAULT_FINDINGS, "an empty config means the defaults");
  });

  test("settings for sanitizers, LLM wrappers and excludes change results live", TIMEOUT, async () => {
    const reconfigure = async (secureAiLint: Record<string, unknown>) => {
      session.settings = { ...SETTINGS, ...secureAiLint };
      const republished = session.diagnostics.next(appUri);
      await session.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
      return findings(await republished);
    };
    assert.deepEqual(await reconfigure({ sanitizers: ["**.scrub"] }), ["llm-output-to-eval:17"]);
    assert.deepEqual(await reconfigure({ sanitizers: ["**.scrub"], llmWrappers: [{ call: "myapp.llm.ask" }] }), [
      "llm-output-to-eval:16",
      "llm-output-to-eval:17",
    ]);
    assert.deepEqual(await reconfigure({ exclude: ["chat.py"] }), []);
    assert.deepEqual(await reconfigure({ exclude: "not a list", llmWrappers: [{ cal: "typo" }] }), DEFAULT_FINDINGS, "malformed settings are ignored");
  });

  test("a second config file in the same folder is reported as ignored", TIMEOUT, async () => {
    const shadowed = path.join(root, ".secure-ai-lint.json");
    const shadowedUri = pathToFileURL(shadowed).href;
    writeFileSync(shadowed, '{ "rules": { "llm-output-to-eval": "off" } }');
    const ignored = session.diagnostics.next(shadowedUri);
    await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: shadowedUri, type: FileChangeType.Created }],
    });
    const [notice] = await ignored;
    assert.equal(notice.severity, DiagnosticSeverity.Warning);
    assert.match(notice.message as string, /ignored: secure-ai-lint\.yaml in the same folder applies instead/);
  });

  test("the server logged no errors and showed no pop-ups", () => {
    assert.deepEqual(session.logs.filter((log) => log.type === MessageType.Error), []);
    assert.deepEqual(popups, []);
  });
});
