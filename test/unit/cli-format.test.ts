import Ajv from "ajv";
import addFormats from "ajv-formats";
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import type { FileOutcome } from "../../server/src/cli/analyseFile";
import { formatJson } from "../../server/src/cli/format/json";
import type { ScanReport } from "../../server/src/cli/format/report";
import { formatSarif, pascalCase } from "../../server/src/cli/format/sarif";
import { formatText } from "../../server/src/cli/format/text";
import type { Finding, Range, RuleMeta } from "../../server/src/engine/types";
import { readRepoFile } from "../helpers/repo";

const CWD = path.resolve("/project");
const APP = path.join(CWD, "src", "app.py");
const TOOL = path.join(CWD, "lib", "tool.ts");

const range = (line: number, character: number, endLine: number, endCharacter: number): Range => ({
  start: { line, character },
  end: { line: endLine, character: endCharacter },
});

const RULES: RuleMeta[] = [
  {
    id: "untrusted-input-in-system-prompt",
    title: "Untrusted input in a system prompt",
    summary: "Request data reaches the system prompt; keep it constant.",
    severity: "error",
    confidence: "high",
    owasp: ["LLM01:2025"],
    cwe: ["CWE-1427"],
    atlas: ["AML.T0051"],
    docs: "## What it does\nFlags request data in system prompts.\n",
  },
  {
    id: "llm-output-to-shell",
    title: "Model output reaches a shell",
    summary: "Model output runs as a command; use an allowlist.",
    severity: "warning",
    confidence: "audit",
    owasp: ["LLM05:2025"],
    cwe: ["CWE-78"],
    atlas: [],
    docs: "## What it does\nFlags model output in shells.\n",
  },
];

const SYSTEM_PROMPT: Finding = {
  ruleId: "untrusted-input-in-system-prompt",
  severity: "error",
  message: "Request data reaches the system prompt.",
  range: range(9, 4, 9, 30),
  path: [
    { range: range(2, 0, 2, 7), message: "untrusted input from the Flask request" },
    { range: range(9, 4, 9, 30), message: "reaches an OpenAI chat system message" },
  ],
  owasp: ["LLM01:2025"],
  cwe: ["CWE-1427"],
  atlas: ["AML.T0051"],
};

const SHELL: Finding = {
  ruleId: "llm-output-to-shell",
  severity: "info",
  message: "Model output reaches a shell.",
  range: range(0, 0, 0, 12),
  path: [],
  owasp: ["LLM05:2025"],
  cwe: ["CWE-78"],
  atlas: [],
};

function outcome(file: string, findings: Finding[], lines: string[]): FileOutcome {
  return { file, result: { findings, ruleFailures: [], syntaxErrors: [] }, findingLines: lines };
}

function report(outcomes: FileOutcome[]): ScanReport {
  return { version: "9.8.7", cwd: CWD, rules: RULES, outcomes };
}

const FULL = report([
  outcome(TOOL, [SHELL], ["exec(answer);"]),
  {
    file: path.join(CWD, "lib", "big.py"),
    result: { findings: [], skipped: { reason: "too-large", message: "This file is too large." }, ruleFailures: [], syntaxErrors: [] },
    findingLines: [],
  },
  { file: path.join(CWD, "lib", "broken.py"), error: "the analysis worker crashed: boom" },
  outcome(APP, [SYSTEM_PROMPT], ['    messages=[{"role": "system", "content": persona}],']),
]);

const RULE_FAILURE = report([
  { file: APP, result: { findings: [], ruleFailures: [{ ruleId: "llm-output-to-shell", error: "x is undefined" }], syntaxErrors: [] }, findingLines: [] },
]);

describe("JSON output", () => {
  const document = JSON.parse(formatJson(FULL));

  test("keeps the public field names", () => {
    assert.deepEqual(Object.keys(document), ["version", "findings", "skipped", "errors"]);
    assert.equal(document.version, "9.8.7");
    const finding = document.findings.find((f: { ruleId: string }) => f.ruleId === SYSTEM_PROMPT.ruleId);
    assert.deepEqual(Object.keys(finding), ["ruleId", "severity", "message", "file", "range", "owasp", "cwe", "atlas", "path"]);
    assert.deepEqual(Object.keys(finding.path[0]), ["file", "line", "column", "endLine", "endColumn", "message"]);
    assert.deepEqual(Object.keys(document.skipped[0]), ["file", "reason", "message"]);
    assert.deepEqual(Object.keys(document.errors[0]), ["file", "ruleId", "message"]);
  });

  test("converts zero-based engine positions to one-based lines and columns", () => {
    const finding = document.findings.find((f: { ruleId: string }) => f.ruleId === SYSTEM_PROMPT.ruleId);
    assert.deepEqual(finding.range, { start: { line: 10, column: 5 }, end: { line: 10, column: 31 } });
    assert.deepEqual(finding.path[0], {
      file: "src/app.py",
      line: 3,
      column: 1,
      endLine: 3,
      endColumn: 8,
      message: "untrusted input from the Flask request",
    });
  });

  test("reports files relative to the working directory with forward slashes, in path order", () => {
    assert.deepEqual(
      document.findings.map((f: { file: string }) => f.file),
      ["lib/tool.ts", "src/app.py"],
    );
    assert.deepEqual(document.skipped, [{ file: "lib/big.py", reason: "too-large", message: "This file is too large." }]);
    assert.deepEqual(document.errors, [{ file: "lib/broken.py", ruleId: null, message: "the analysis worker crashed: boom" }]);
  });

  test("carries the standard ids", () => {
    const finding = document.findings.find((f: { ruleId: string }) => f.ruleId === SYSTEM_PROMPT.ruleId);
    assert.deepEqual([finding.owasp, finding.cwe, finding.atlas], [["LLM01:2025"], ["CWE-1427"], ["AML.T0051"]]);
  });

  test("lists rule failures with their rule", () => {
    assert.deepEqual(JSON.parse(formatJson(RULE_FAILURE)).errors, [{ file: "src/app.py", ruleId: "llm-output-to-shell", message: "x is undefined" }]);
  });
});

describe("text output", () => {
  test("prints findings with their dataflow path, skipped files, errors and a summary", () => {
    assert.equal(
      formatText(FULL, { color: false, quiet: false }),
      [
        "lib/tool.ts:1:1: info llm-output-to-shell Model output reaches a shell.",
        "src/app.py:10:5: error untrusted-input-in-system-prompt Request data reaches the system prompt.",
        "    ↳ 3:1 untrusted input from the Flask request",
        "    ↳ 10:5 reaches an OpenAI chat system message",
        "lib/broken.py: error: the analysis worker crashed: boom",
        "lib/big.py: skipped: This file is too large.",
        "",
        "2 findings (1 error, 0 warnings, 1 info) in 2 files; 1 skipped; 1 error during analysis",
        "",
      ].join("\n"),
    );
  });

  test("quiet output keeps only findings and errors", () => {
    const text = formatText(FULL, { color: false, quiet: true });
    assert.doesNotMatch(text, /skipped|findings \(/);
    assert.match(text, /^src\/app\.py:10:5: error /m);
    assert.match(text, /^lib\/broken\.py: error: /m);
  });

  test("colours only when asked", () => {
    assert.doesNotMatch(formatText(FULL, { color: false, quiet: false }), /\u001b\[/);
    assert.match(formatText(FULL, { color: true, quiet: false }), /\u001b\[31merror\u001b\[0m/);
  });

  test("names the rule that failed", () => {
    assert.match(formatText(RULE_FAILURE, { color: false, quiet: true }), /^src\/app\.py: error: rule llm-output-to-shell failed: x is undefined$/m);
  });

  test("summarises a clean scan", () => {
    const clean = report([outcome(APP, [], [])]);
    assert.equal(formatText(clean, { color: false, quiet: false }), "0 findings (0 errors, 0 warnings, 0 info) in 1 file; 0 skipped\n");
  });
});

describe("SARIF output", () => {
  const validate = sarifValidator();
  const log = JSON.parse(formatSarif(FULL));
  const run = log.runs[0];
  const resultFor = (ruleId: string) => run.results.find((r: { ruleId: string }) => r.ruleId === ruleId);

  test("is valid against the official SARIF 2.1.0 schema", () => {
    const outside = outcome(path.resolve(CWD, "..", "other dir", "x.py"), [SHELL], [""]);
    for (const scan of [FULL, RULE_FAILURE, report([outside]), report([])]) {
      const checked = JSON.parse(formatSarif(scan));
      assert.equal(validate(checked), true, JSON.stringify(validate.errors, null, 2));
    }
    assert.equal(log.version, "2.1.0");
    assert.equal(log.$schema, "https://json.schemastore.org/sarif-2.1.0.json");
  });

  test("the schema check rejects an invalid log", () => {
    const broken = structuredClone(log);
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    assert.equal(validate(broken), false);
  });

  test("describes every rule for code scanning", () => {
    assert.equal(run.tool.driver.name, "secure-ai-lint");
    assert.equal(run.tool.driver.version, "9.8.7");
    const [systemPrompt, shell] = run.tool.driver.rules;
    assert.equal(systemPrompt.id, "untrusted-input-in-system-prompt");
    assert.equal(systemPrompt.name, "UntrustedInputInSystemPrompt");
    assert.deepEqual(systemPrompt.shortDescription, { text: "Untrusted input in a system prompt" });
    assert.deepEqual(systemPrompt.fullDescription, { text: "Request data reaches the system prompt; keep it constant." });
    assert.deepEqual(systemPrompt.help, { text: RULES[0].docs, markdown: RULES[0].docs });
    assert.deepEqual(systemPrompt.defaultConfiguration, { level: "error" });
    assert.deepEqual(systemPrompt.properties, {
      tags: ["security", "external/cwe/cwe-1427", "LLM01:2025", "AML.T0051"],
      "security-severity": "8.0",
      precision: "high",
    });
    assert.equal(shell.defaultConfiguration.level, "warning");
    assert.equal(shell.properties["security-severity"], "5.0");
    assert.equal(shell.properties.precision, "medium");
  });

  test("locates results relative to %SRCROOT% with one-based regions", () => {
    assert.deepEqual(run.originalUriBaseIds, { "%SRCROOT%": { uri: `${pathToFileURL(CWD).href}/` } });
    const result = resultFor(SYSTEM_PROMPT.ruleId);
    assert.equal(result.ruleIndex, 0);
    assert.equal(result.level, "error");
    assert.deepEqual(result.message, { text: "Request data reaches the system prompt." });
    assert.deepEqual(result.locations[0].physicalLocation, {
      artifactLocation: { uri: "src/app.py", uriBaseId: "%SRCROOT%" },
      region: { startLine: 10, startColumn: 5, endLine: 10, endColumn: 31 },
    });
    assert.equal(resultFor(SHELL.ruleId).level, "note");
  });

  test("turns the dataflow path into a thread flow", () => {
    const steps = resultFor(SYSTEM_PROMPT.ruleId).codeFlows[0].threadFlows[0].locations;
    assert.deepEqual(
      steps.map((step: { location: { message: { text: string }; physicalLocation: { region: { startLine: number } } } }) => [
        step.location.physicalLocation.region.startLine,
        step.location.message.text,
      ]),
      [
        [3, "untrusted input from the Flask request"],
        [10, "reaches an OpenAI chat system message"],
      ],
    );
    assert.equal(resultFor(SHELL.ruleId).codeFlows, undefined);
  });

  test("reports skipped files and errors as notifications", () => {
    const invocation = run.invocations[0];
    assert.equal(invocation.executionSuccessful, false);
    assert.deepEqual(
      invocation.toolExecutionNotifications.map((n: { level: string; message: { text: string } }) => [n.level, n.message.text]),
      [
        ["note", "This file is too large."],
        ["error", "the analysis worker crashed: boom"],
      ],
    );
    const clean = JSON.parse(formatSarif(report([outcome(APP, [], [])])));
    assert.equal(clean.runs[0].invocations[0].executionSuccessful, true);
  });

  test("links a rule's failure to the rule", () => {
    const [notification] = JSON.parse(formatSarif(RULE_FAILURE)).runs[0].invocations[0].toolExecutionNotifications;
    assert.deepEqual(notification.associatedRule, { id: "llm-output-to-shell", index: 1 });
    assert.equal(notification.message.text, "rule llm-output-to-shell failed: x is undefined");
  });

  test("fingerprints survive code moving to another line but not a changed line", () => {
    const fingerprintOf = (finding: Finding, line: string): string =>
      JSON.parse(formatSarif(report([outcome(APP, [finding], [line])]))).runs[0].results[0].partialFingerprints["secureAiLint/v1"];
    const original = fingerprintOf(SYSTEM_PROMPT, "  system = f'You are {persona}'");
    const moved = { ...SYSTEM_PROMPT, range: range(40, 8, 40, 34) };
    assert.equal(fingerprintOf(moved, "system = f'You are {persona}'   "), original);
    assert.notEqual(fingerprintOf(SYSTEM_PROMPT, "system = f'You are {role}'"), original);
  });

  test("tells identical flagged lines in one file apart", () => {
    const twice = [SYSTEM_PROMPT, { ...SYSTEM_PROMPT, range: range(20, 4, 20, 30) }];
    const results = JSON.parse(formatSarif(report([outcome(APP, twice, ["same()", "same()"])]))).runs[0].results;
    const [first, second] = results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints["secureAiLint/v1"]);
    assert.match(first, /^[0-9a-f]{32}:1$/);
    assert.equal(second, first.replace(/:1$/, ":2"));
  });

  test("encodes paths as URIs, and gives files outside the working directory absolute URIs", () => {
    const spaced = path.join(CWD, "my app", "chat #1.py");
    const outside = path.resolve(CWD, "..", "elsewhere", "x.py");
    const results = JSON.parse(formatSarif(report([outcome(spaced, [SHELL], [""]), outcome(outside, [SHELL], [""])]))).runs[0].results;
    assert.deepEqual(results[0].locations[0].physicalLocation.artifactLocation, { uri: "my%20app/chat%20%231.py", uriBaseId: "%SRCROOT%" });
    assert.deepEqual(results[1].locations[0].physicalLocation.artifactLocation, { uri: pathToFileURL(outside).href });
  });

  test("names rules in PascalCase", () => {
    assert.equal(pascalCase("llm-output-to-eval"), "LlmOutputToEval");
  });
});

/**
 * The official schema (OASIS SARIF 2.1.0 Errata 01) is written in JSON Schema draft-04. Ajv's default
 * dialect, draft-07, agrees with draft-04 on every keyword the schema uses except the spelling of the
 * schema's own identifier (`id`, later `$id`), so only that is translated.
 */
function sarifValidator() {
  const { id, $schema: _draft04, ...schema } = JSON.parse(readRepoFile("test", "schemas", "sarif-schema-2.1.0.json"));
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile({ $id: id, ...schema });
}
