/** `scan --baseline`, `--update-baseline` and `--fix`, run as the installed command runs them, in a scratch folder. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { repoRoot } from "../helpers/repo";

const GRADER = `import subprocess
from openai import OpenAI

client = OpenAI()


def grade(question):
    reply = client.responses.create(model="gpt-4o", input=question).output_text
    return eval(reply)
`;

const UNUSED = `from openai import OpenAI

client = OpenAI()


def answer(question):
    reply = client.responses.create(model="gpt-4o", input=question).output_text
    # secure-ai-lint: ignore[llm-output-to-eval] -- the reply used to be evaluated
    return reply.strip()  # secure-ai-lint: ignore[llm-output-to-eval, llm-output-to-shell] -- same
`;
const UNUSED_FIXED = UNUSED.replace("    # secure-ai-lint: ignore[llm-output-to-eval] -- the reply used to be evaluated\n", "").replace(
  "  # secure-ai-lint: ignore[llm-output-to-eval, llm-output-to-shell] -- same",
  "",
);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

describe("scan with a baseline", { timeout: 120_000 }, () => {
  const cli = path.join(repoRoot(), "dist", "cli.js");
  let project: string;
  const run = (...args: string[]): Run => {
    const { status, stdout, stderr } = spawnSync(process.execPath, [cli, ...args], { cwd: project, encoding: "utf8" });
    return { status, stdout, stderr };
  };
  const write = (file: string, text: string) => writeFileSync(path.join(project, file), text);
  const read = (file: string) => readFileSync(path.join(project, file), "utf8");
  const findingsOf = (r: Run) => JSON.parse(r.stdout).findings.map((f: { ruleId: string; file: string; range: { start: { line: number } } }) => `${f.ruleId} ${f.file}:${f.range.start.line}`);

  beforeEach(() => {
    assert.ok(existsSync(cli), `${cli} is missing: build first`);
    project = mkdtempSync(path.join(tmpdir(), "secure-ai-lint-baseline-"));
    mkdirSync(path.join(project, "app"));
    write("app/grader.py", GRADER);
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  test("--update-baseline records the findings, sorted and versioned, and exits 0; then only new findings count", () => {
    assert.equal(run("scan").status, 1);
    const updated = run("scan", "--baseline", "ci/baseline.json", "--update-baseline");
    assert.equal(updated.status, 2, "the baseline's folder must exist");
    mkdirSync(path.join(project, "ci"));
    const recorded = run("scan", "--baseline", "ci/baseline.json", "--update-baseline");
    assert.equal(recorded.status, 0, recorded.stderr);
    assert.match(recorded.stderr, /recorded 1 findings in ci\/baseline\.json/);
    const baseline = JSON.parse(read("ci/baseline.json"));
    assert.equal(baseline.version, 1);
    assert.deepEqual(
      baseline.findings.map((f: { ruleId: string; file: string }) => [f.ruleId, f.file]),
      [["llm-output-to-eval", "../app/grader.py"]],
      "paths are relative to the baseline's folder",
    );
    assert.match(baseline.findings[0].fingerprint, /^[0-9a-f]{32}:1$/);

    const again = run("scan", "--baseline", "ci/baseline.json");
    assert.equal(again.status, 0);
    assert.match(again.stdout, /^0 findings .*; 1 in the baseline\n$/m);

    write("app/shell.py", GRADER.replace("return eval(reply)", "return subprocess.run(reply, shell=True)"));
    const fresh = run("scan", "--baseline", "ci/baseline.json", "--format", "json");
    assert.equal(fresh.status, 1, "a new finding fails the run");
    assert.deepEqual(findingsOf(fresh), ["llm-output-to-shell app/shell.py:9"]);
  });

  test("fingerprints survive a line shift and an unrelated edit, not a change of the flagged line or of its source", () => {
    assert.equal(run("scan", "--baseline", "baseline.json", "--update-baseline").status, 0);
    const before = read("baseline.json");
    const shifted = `"""Grading helpers."""\n\nTIMEOUT = 10\n${GRADER.replace("def grade(question):", "def grade(question):\n    # the reply is a number\n")}\n\ndef unrelated():\n    return TIMEOUT\n`;
    write("app/grader.py", shifted);
    assert.equal(run("scan", "--baseline", "baseline.json").status, 0, "moved and surrounded by new code: still accepted");
    assert.equal(run("scan", "--baseline", "baseline.json", "--update-baseline").status, 0);
    assert.equal(read("baseline.json"), before, "the same fingerprints");

    write("app/grader.py", shifted.replace("return eval(reply)", "return eval(reply.strip())"));
    const changedSink = run("scan", "--baseline", "baseline.json", "--format", "json");
    assert.equal(changedSink.status, 1);
    assert.equal(findingsOf(changedSink).length, 1);

    write("app/grader.py", shifted.replace('model="gpt-4o"', 'model="gpt-4.1"'));
    assert.equal(run("scan", "--baseline", "baseline.json").status, 1, "the line the model output comes from changed");
  });

  test("identical findings in one file are counted, so a second copy is new", () => {
    const printed = GRADER.replace("return eval(reply)", "print(eval(reply))");
    write("app/grader.py", printed);
    assert.equal(run("scan", "--baseline", "baseline.json", "--update-baseline").status, 0);
    write("app/grader.py", `${printed}    print(eval(reply))\n`);
    const twice = run("scan", "--baseline", "baseline.json", "--format", "json");
    assert.equal(twice.status, 1);
    assert.deepEqual(findingsOf(twice), ["llm-output-to-eval app/grader.py:10"]);
  });

  test("SARIF carries the same fingerprint in partialFingerprints", () => {
    assert.equal(run("scan", "--baseline", "baseline.json", "--update-baseline").status, 0);
    const sarif = JSON.parse(run("scan", "app", "--format", "sarif").stdout);
    const [recorded] = JSON.parse(read("baseline.json")).findings;
    assert.equal(sarif.runs[0].results[0].partialFingerprints["secureAiLint/v1"], recorded.fingerprint);
  });

  test("a missing, malformed or foreign baseline, or --update-baseline alone, is an error", () => {
    const missing = run("scan", "--baseline", "nope.json");
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /could not read the baseline .*nope\.json.*--update-baseline creates it/);
    write("broken.json", "{");
    assert.match(run("scan", "--baseline", "broken.json").stderr, /is not valid JSON/);
    write("foreign.json", JSON.stringify({ version: 2, findings: [] }));
    assert.match(run("scan", "--baseline", "foreign.json").stderr, /expected "version": 1/);
    write("partial.json", JSON.stringify({ version: 1, findings: [{ ruleId: "x" }] }));
    assert.match(run("scan", "--baseline", "partial.json").stderr, /finding 1 needs the strings/);
    const alone = run("scan", "--update-baseline");
    assert.equal(alone.status, 2);
    assert.match(alone.stderr, /--update-baseline needs --baseline <file>/);
  });
});

describe("scan --fix", { timeout: 120_000 }, () => {
  const cli = path.join(repoRoot(), "dist", "cli.js");
  let project: string;
  const run = (...args: string[]): Run => {
    const { status, stdout, stderr } = spawnSync(process.execPath, [cli, ...args], { cwd: project, encoding: "utf8" });
    return { status, stdout, stderr };
  };
  const write = (file: string, text: string) => writeFileSync(path.join(project, file), text);
  const read = (file: string) => readFileSync(path.join(project, file), "utf8");

  beforeEach(() => {
    project = mkdtempSync(path.join(tmpdir(), "secure-ai-lint-fix-"));
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  test("applies the safe fixes, writes the changed files only, and reports what remains", () => {
    write("unused.py", UNUSED);
    write("grader.py", GRADER);
    assert.equal(run("scan").status, 1);
    const fixed = run("scan", "--fix");
    assert.equal(fixed.status, 1, "the eval finding has no safe fix and remains");
    assert.match(fixed.stderr, /applied 2 fixes in 1 file/);
    assert.equal(read("unused.py"), UNUSED_FIXED);
    assert.equal(read("grader.py"), GRADER);
    assert.match(fixed.stdout, /grader\.py:9:\d+: error llm-output-to-eval/);
    assert.doesNotMatch(fixed.stdout, /invalid-suppression/);
    assert.equal(run("scan", "unused.py").status, 0);
  });

  test("keeps CRLF line ends and a byte-order mark", () => {
    write("unused.py", `\uFEFF${UNUSED.replace(/\n/g, "\r\n")}`);
    assert.equal(run("scan", "--fix").status, 0);
    assert.equal(read("unused.py"), `\uFEFF${UNUSED_FIXED.replace(/\n/g, "\r\n")}`);
  });

  test("with --format json, prints the findings that remain", () => {
    write("unused.py", UNUSED);
    write("grader.py", GRADER);
    const json = run("scan", "--fix", "--format", "json");
    assert.equal(json.status, 1);
    assert.deepEqual(JSON.parse(json.stdout).findings.map((f: { ruleId: string }) => f.ruleId), ["llm-output-to-eval"]);
  });

  test("does not change notebooks", () => {
    const cells = [
      { cell_type: "code", metadata: {}, outputs: [], execution_count: null, source: ["from openai import OpenAI\n", "client = OpenAI()\n"] },
      { cell_type: "code", metadata: {}, outputs: [], execution_count: null, source: UNUSED.split(/(?<=\n)/).slice(3) },
    ];
    const notebook = JSON.stringify({ cells, metadata: { kernelspec: { language: "python", name: "python3" } }, nbformat: 4, nbformat_minor: 5 }, null, 1);
    write("demo.ipynb", notebook);
    const result = run("scan", "--fix", "--format", "json");
    assert.equal(read("demo.ipynb"), notebook);
    assert.ok(JSON.parse(result.stdout).findings.some((f: { ruleId: string }) => f.ruleId === "invalid-suppression"));
    assert.match(result.stderr, /applied 0 fixes in 0 files/);
  });

  test("--help says what --fix leaves alone", () => {
    assert.match(run("scan", "--help").stdout, /--fix +Apply the safe fixes[\s\S]*notebooks and prompt files[\s\S]*are not changed/);
  });
});
