import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { once } from "node:events";
import { after, before, describe, test } from "node:test";
import {
  createProtocolConnection,
  ExitNotification,
  InitializeRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";
import { readRepoFile, repoRoot } from "../helpers/repo";

const CHAT = `from flask import Flask, request
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
    return {"answer": resp.choices[0].message.content}
`;

// Fetched web content in the instructions is a warning: the page's author is not necessarily an attacker.
const STATUS = `import requests
from openai import OpenAI

client = OpenAI()

def answer(question):
    page = requests.get("https://status.example.com", timeout=10).text
    response = client.responses.create(
        model="gpt-4o",
        instructions=f"Recent incidents:\\n{page}",
        input=question,
    )
    return response.output_text
`;

const CLEAN = `import OpenAI from "openai";
const client = new OpenAI();
export async function ask(question: string) {
  return client.chat.completions.create({
    model: "gpt-4o",
    messages: [
      { role: "system", content: "You answer questions about the weather." },
      { role: "user", content: question },
    ],
  });
}
`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

describe("the secure-ai-lint command", { timeout: 120_000 }, () => {
  const root = repoRoot();
  const cli = path.join(root, "dist", "cli.js");
  let project: string;
  const run = (args: string[], cwd = project): Run => {
    const { status, stdout, stderr } = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8" });
    return { status, stdout, stderr };
  };

  before(() => {
    assert.ok(existsSync(cli), `${cli} is missing: build first (npm run build)`);
    project = mkdtempSync(path.join(tmpdir(), "secure-ai-lint-cli-"));
    writeFileSync(path.join(project, "chat.py"), CHAT);
    writeFileSync(path.join(project, "status.py"), STATUS);
    writeFileSync(path.join(project, "clean.ts"), CLEAN);
    writeFileSync(path.join(project, "notes.md"), "# Notes\n");
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  test("exits 0 and says so when there is nothing to report", () => {
    const { status, stdout, stderr } = run(["scan", "clean.ts"]);
    assert.equal(status, 0, stderr);
    assert.equal(stdout, "0 findings (0 errors, 0 warnings, 0 info) in 1 file; 0 skipped\n");
  });

  test("exits 1 on an error-level finding, scanning the current directory by default", () => {
    const { status, stdout } = run(["scan"]);
    assert.equal(status, 1);
    assert.match(stdout, /^chat\.py:13:\d+: error untrusted-input-in-system-prompt /m);
    assert.match(stdout, /^ {4}↳ 9:\d+ /m);
    assert.match(stdout, /in 3 files; 0 skipped\n$/);
  });

  test("--fail-on sets the severity that fails the run", () => {
    assert.equal(run(["scan", "status.py"]).status, 0, "a warning does not fail the default run");
    assert.equal(run(["scan", "status.py", "--fail-on", "warning"]).status, 1);
    assert.equal(run(["scan", "clean.ts", "--fail-on", "info"]).status, 0);
  });

  test("--format json writes the documented shape with one-based positions", () => {
    const { status, stdout } = run(["scan", "--format", "json", "chat.py", "notes.md"]);
    assert.equal(status, 1);
    const report = JSON.parse(stdout);
    assert.deepEqual(Object.keys(report), ["version", "findings", "skipped", "errors"]);
    const [finding] = report.findings;
    assert.equal(finding.ruleId, "untrusted-input-in-system-prompt");
    assert.equal(finding.file, "chat.py");
    assert.equal(finding.range.start.line, 13);
    assert.deepEqual(report.skipped.map((s: { file: string; reason: string }) => [s.file, s.reason]), [["notes.md", "unsupported"]]);
    assert.deepEqual(report.errors, []);
  });

  test("gives the same report whatever the number of parallel jobs", () => {
    const one = run(["scan", "--format", "json", "--jobs", "1"]);
    const three = run(["scan", "--format", "json", "-j", "3"]);
    assert.equal(one.stdout, three.stdout);
    assert.ok(JSON.parse(one.stdout).findings.length >= 2);
  });

  test("--output writes the report to a file", () => {
    const output = path.join(project, "report.sarif");
    const { status, stdout } = run(["scan", "chat.py", "--format", "sarif", "--output", output]);
    assert.equal(status, 1);
    assert.equal(stdout, "");
    const log = JSON.parse(readFileSync(output, "utf8"));
    assert.equal(log.version, "2.1.0");
    assert.equal(log.runs[0].results[0].ruleId, "untrusted-input-in-system-prompt");
  });

  test("follows the project config found above the current directory", (t) => {
    const configured = mkdtempSync(path.join(tmpdir(), "secure-ai-lint-config-"));
    t.after(() => rmSync(configured, { recursive: true, force: true }));
    mkdirSync(path.join(configured, "app"));
    mkdirSync(path.join(configured, "vendor"));
    writeFileSync(path.join(configured, "app", "chat.py"), CHAT);
    writeFileSync(path.join(configured, "vendor", "chat.py"), CHAT);
    writeFileSync(
      path.join(configured, "secure-ai-lint.json"),
      JSON.stringify({ rules: { "untrusted-input-in-system-prompt": "warning" }, exclude: ["vendor/"] }),
    );
    const { status, stdout } = run(["scan", "--format", "json", ".."], path.join(configured, "app"));
    assert.equal(status, 0, "the rule is only a warning in this project");
    const findings = JSON.parse(stdout).findings.map((f: { file: string; severity: string }) => [f.file, f.severity]);
    assert.deepEqual(findings, [["chat.py", "warning"]], "vendor/ is excluded relative to the config file");
  });

  test("a single path given uses that project's config, wherever the command runs", (t) => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), "secure-ai-lint-config-"));
    t.after(() => rmSync(elsewhere, { recursive: true, force: true }));
    const project = path.join(elsewhere, "project");
    mkdirSync(path.join(project, "src"), { recursive: true });
    writeFileSync(path.join(project, "src", "chat.py"), CHAT);
    writeFileSync(path.join(project, "secure-ai-lint.yaml"), "rules:\n  untrusted-input-in-system-prompt: warning\n");
    const { status, stdout } = run(["scan", "--format", "json", "project"], elsewhere);
    assert.equal(status, 0, "the project's config makes the finding a warning");
    assert.deepEqual(JSON.parse(stdout).findings.map((f: { severity: string }) => f.severity), ["warning"]);
  });

  test("refuses to scan with an invalid project config", (t) => {
    const misconfigured = mkdtempSync(path.join(tmpdir(), "secure-ai-lint-config-"));
    t.after(() => rmSync(misconfigured, { recursive: true, force: true }));
    writeFileSync(path.join(misconfigured, ".secure-ai-lint.json"), JSON.stringify({ rules: { "no-such-rule": "off" } }));
    const { status, stderr } = run(["scan"], misconfigured);
    assert.equal(status, 2);
    assert.match(stderr, /\.secure-ai-lint\.json: Unknown rule "no-such-rule"/);
  });

  test("rejects unknown options, bad values and missing paths with exit status 2 and a pointer to --help", () => {
    const cases: [string[], RegExp][] = [
      [["scan", "--frobnicate"], /unknown option '--frobnicate'/],
      [["scan", "--format", "xml"], /invalid value 'xml' for --format: expected text, json, sarif/],
      [["scan", "--jobs", "0"], /invalid value '0' for --jobs/],
      [["scan", "--max-file-size", "lots"], /invalid value 'lots' for --max-file-size/],
      [["scan", "nope.py"], /no such file or directory: nope\.py/],
      [["frobnicate"], /unknown command 'frobnicate'/],
      [["lsp"], /missing --stdio/],
    ];
    for (const [args, message] of cases) {
      const { status, stdout, stderr } = run(args);
      assert.equal(status, 2, args.join(" "));
      assert.equal(stdout, "");
      assert.match(stderr, message);
      assert.match(stderr, /Run 'secure-ai-lint( \w+)? --help' for usage\./);
    }
  });

  test("prints its version and help", () => {
    const { version } = JSON.parse(readRepoFile("package.json"));
    assert.equal(run(["--version"]).stdout, `${version}\n`);
    const help = run(["scan", "--help"]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--fail-on <error\|warning\|info>/);
    assert.match(help.stdout, /Exit status:/);
  });

  test("lists the rules", () => {
    const { status, stdout } = run(["rules", "--format", "json"]);
    assert.equal(status, 0);
    const ids = JSON.parse(stdout).map((rule: { id: string }) => rule.id);
    assert.ok(ids.includes("untrusted-input-in-system-prompt"), ids.join(", "));
    assert.match(run(["rules"]).stdout, /^RULE +SEVERITY +OWASP +CWE +TITLE$/m);
  });

  test("lsp --stdio runs the language server", async () => {
    const server = spawn(process.execPath, [cli, "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
    const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    connection.listen();
    const initialized = await connection.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
    assert.equal(initialized.serverInfo?.name, "secure-ai-lint");
    await connection.sendRequest(ShutdownRequest.type);
    const exited = once(server, "exit");
    await connection.sendNotification(ExitNotification.type);
    assert.deepEqual(await exited, [0, null]);
    connection.dispose();
  });

  test("the installed bin script runs the built CLI", () => {
    const { status, stdout } = spawnSync(process.execPath, [path.join(root, "bin", "secure-ai-lint.js"), "--version"], { encoding: "utf8" });
    assert.equal(status, 0);
    assert.match(stdout, /^\d+\.\d+\.\d+/);
  });
});
