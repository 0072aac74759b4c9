/** The project config: validation, and the knowledge it adds to the engine. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { createEngine } from "../../server/src/engine/analyze";
import { parseConfig } from "../../server/src/engine/config";
import { ProjectConfigLoader } from "../../server/src/projectConfig";

const RULE_IDS = ["untrusted-input-in-system-prompt", "llm-output-to-eval", "llm-output-to-shell"];

test("invalid config gives readable problems and the defaults", () => {
  const bad = parseConfig('{"rules": {"llm-output-to-eval": "loud"}, "extra": 1}', RULE_IDS);
  assert.deepEqual(bad.config.rules, {});
  assert.deepEqual(
    bad.problems.map((p) => [p.severity, p.pointer, p.message]),
    [
      ["error", "/extra", '/extra: unknown property "extra"'],
      ["error", "/rules/llm-output-to-eval", '/rules/llm-output-to-eval: must be one of "error", "warning", "info", "off"'],
    ],
  );
  assert.match(parseConfig("{ not json", RULE_IDS).problems[0].message, /^Not valid JSON/);
  const unknown = parseConfig('{"rules": {"no-such-rule": "off", "llm-output-to-evl": "off", "llm-output-to-shell": "off"}}', RULE_IDS);
  assert.deepEqual(
    unknown.problems.map((p) => [p.severity, p.message]),
    [
      ["warning", `Unknown rule "no-such-rule" is ignored; known rules: ${RULE_IDS.join(", ")}`],
      ["warning", 'Unknown rule "llm-output-to-evl" is ignored; did you mean "llm-output-to-eval"?'],
    ],
  );
  assert.deepEqual(unknown.config.rules, { "llm-output-to-shell": "off" }, "the known rules still apply");
});

test("declared sanitizers, sources and sinks change what the engine reports", async () => {
  const code = `from flask import request
from openai import OpenAI
from myapp.llm import ask
client = OpenAI()
def scrub(text):
    return text
name = request.args["name"]
client.chat.completions.create(model="m", messages=[{"role": "system", "content": scrub(name)}])
eval(ask("2+2"))
`;
  const plain = await createEngine();
  assert.deepEqual(plain.analyze(code, "a.py").findings.map((f) => [f.ruleId, f.range.start.line + 1]), [["untrusted-input-in-system-prompt", 8]]);
  const { config, problems } = parseConfig(JSON.stringify({ sanitizers: ["**.scrub"], sources: [{ call: "myapp.llm.ask", kind: "model" }] }), RULE_IDS);
  assert.deepEqual(problems, []);
  const configured = await createEngine({ extraModels: [config.model!] });
  assert.deepEqual(configured.analyze(code, "a.py").findings.map((f) => [f.ruleId, f.range.start.line + 1]), [["llm-output-to-eval", 9]]);
});

test("the nearest config file applies, with its excludes, and edits are picked up", () => {
  const root = mkdtempSync(path.join(tmpdir(), "sal-config-"));
  mkdirSync(path.join(root, "app", "generated"), { recursive: true });
  writeFileSync(path.join(root, "secure-ai-lint.json"), JSON.stringify({ exclude: ["app/generated/**"], rules: { "llm-output-to-eval": "warning" } }));
  const loader = new ProjectConfigLoader(RULE_IDS);
  const loaded = loader.forPath(path.join(root, "app", "x.py"));
  assert.equal(loaded.file, path.join(root, "secure-ai-lint.json"));
  assert.deepEqual(loaded.config.rules, { "llm-output-to-eval": "warning" });
  assert.equal(loaded.excludes(path.join(root, "app", "generated", "g.py")), true);
  assert.equal(loaded.excludes(path.join(root, "app", "x.py")), false);
  writeFileSync(path.join(root, "secure-ai-lint.json"), "{ broken");
  const later = new Date(Date.now() + 5000);
  utimesSync(path.join(root, "secure-ai-lint.json"), later, later);
  const reloaded = loader.forPath(path.join(root, "app", "x.py"));
  assert.notEqual(reloaded.version, loaded.version);
  assert.equal(reloaded.problems.length, 1);
  assert.deepEqual(reloaded.config.rules, {});
});
