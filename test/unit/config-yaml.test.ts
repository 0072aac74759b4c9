/** The project config in YAML, and where its problems are in the text (JSON alike). */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { globProblem, parseConfig, type ConfigProblem } from "../../server/src/engine/config";
import { ProjectConfigLoader } from "../../server/src/projectConfig";

const RULE_IDS = ["untrusted-input-in-system-prompt", "llm-output-to-eval", "llm-output-to-shell"];

/** Each problem as [pointer, 1-based line, the text its range covers]. */
function located(text: string, problems: ConfigProblem[]): Array<[string | undefined, number, string]> {
  const lines = text.split("\n");
  return problems.map(({ pointer, range }) => {
    assert.ok(range, `a range for ${pointer}`);
    assert.equal(range.start.line, range.end.line, "one line");
    return [pointer, range.start.line + 1, lines[range.start.line].slice(range.start.character, range.end.character)];
  });
}

test("a YAML config reads like its JSON twin, anchors and aliases included", () => {
  const yaml = `# shared by the team
rules:
  llm-output-to-shell: warning
exclude: &generated
  - "generated/**"
  - "*.gen.py"
sanitizers:
  - myapp.security.scrub_prompt
  - call: "**.quote_sql"
    sinks: [sql]
sources:
  - { call: myapp.tickets.body, kind: indirect }
llmWrappers:
  - call: myapp.llm.ask
    system: [1, system]
`;
  const fromYaml = parseConfig(yaml, RULE_IDS, "secure-ai-lint.yaml");
  assert.deepEqual(fromYaml.problems, []);
  const json = JSON.stringify({
    rules: { "llm-output-to-shell": "warning" },
    exclude: ["generated/**", "*.gen.py"],
    sanitizers: ["myapp.security.scrub_prompt", { call: "**.quote_sql", sinks: ["sql"] }],
    sources: [{ call: "myapp.tickets.body", kind: "indirect" }],
    llmWrappers: [{ call: "myapp.llm.ask", system: [1, "system"] }],
  });
  assert.deepEqual(fromYaml.config, parseConfig(json, RULE_IDS, "secure-ai-lint.json").config);
  assert.deepEqual(parseConfig("# nothing yet\n", RULE_IDS, ".secure-ai-lint.yml"), parseConfig("{}", RULE_IDS));
  for (const name of ["secure-ai-lint.json", "secure-ai-lint.yaml"]) {
    assert.deepEqual(parseConfig('\uFEFF{"exclude": ["a/**"]}', RULE_IDS, name).config.exclude, ["a/**"], `${name} with a byte-order mark`);
  }
});

test("schema problems point at the offending value, or at the key when the key is wrong", () => {
  const yaml = `rules:
  llm-output-to-eval: loud
  llm-output-to-evl: off
exclude:
  - ok/**
  - ../outside/**
sinks:
  - call: myapp.db.run
    kind: sqll
    arg: 0
`;
  const { config, problems } = parseConfig(yaml, RULE_IDS, "secure-ai-lint.yaml");
  assert.deepEqual(located(yaml, problems), [
    ["/rules/llm-output-to-eval", 2, "loud"],
    ["/sinks/0/kind", 9, "sqll"],
  ]);
  assert.deepEqual(config.rules, {}, "an invalid file gives the defaults");

  const json = '{\n  "rules": { "llm-output-to-evl": "off" },\n  "exclude": ["ok/**", "a[b"],\n  "extra": true\n}';
  assert.deepEqual(located(json, parseConfig(json, RULE_IDS).problems), [["/extra", 4, '"extra"']]);
  const warnings = '{\n  "rules": { "llm-output-to-evl": "off" },\n  "exclude": ["ok/**", "a[b"]\n}';
  const partly = parseConfig(warnings, RULE_IDS);
  assert.deepEqual(located(warnings, partly.problems), [
    ["/rules/llm-output-to-evl", 2, '"llm-output-to-evl"'],
    ["/exclude/1", 3, '"a[b"'],
  ]);
  assert.deepEqual(partly.problems.map((p) => p.severity), ["warning", "warning"]);
  assert.deepEqual(partly.config.exclude, ["ok/**"], "only the bad entries are dropped");
});

test("syntax errors carry their position, in YAML and in JSON", () => {
  const yaml = "rules:\n  llm-output-to-eval: warning\n bad: [\n";
  const [yamlProblem] = parseConfig(yaml, RULE_IDS, "secure-ai-lint.yml").problems;
  assert.match(yamlProblem.message, /^Not valid YAML: /);
  assert.equal(yamlProblem.severity, "error");
  assert.equal(yamlProblem.range?.start.line, 2);

  const json = '{\n  "rules": {\n    "llm-output-to-eval": "warning",\n  }\n}';
  const [jsonProblem] = parseConfig(json, RULE_IDS, "secure-ai-lint.json").problems;
  assert.match(jsonProblem.message, /^Not valid JSON: /);
  assert.ok(jsonProblem.range && jsonProblem.range.start.line >= 2 && jsonProblem.range.start.line <= 3, JSON.stringify(jsonProblem));
  assert.match(parseConfig("rules: {}", RULE_IDS, "secure-ai-lint.json").problems[0].message, /^Not valid JSON/, "a .json file must be JSON");
});

test("YAML is data only: tags are refused and an alias bomb stops early", () => {
  for (const tagged of ["exclude: !!python/object/apply:os.system [ls]\n", "exclude: !custom x\n", "exclude: !!binary aGk=\n"]) {
    const { config, problems } = parseConfig(tagged, RULE_IDS, "secure-ai-lint.yaml");
    assert.match(problems[0]?.message ?? "", /tags are not supported/, tagged);
    assert.deepEqual(config.exclude, []);
  }
  const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 9; i++) levels.push(`${"abcdefghi"[i]}: &${"abcdefghi"[i]} [${Array(10).fill(`*${"abcdefghi"[i - 1]}`).join(", ")}]`);
  const bomb = `${levels.join("\n")}\n`;
  const started = Date.now();
  const { problems } = parseConfig(bomb, RULE_IDS, "secure-ai-lint.yaml");
  assert.match(problems[0]?.message ?? "", /alias/i);
  assert.equal(problems[0].range?.start.line, 1, "at the first alias");
  assert.ok(Date.now() - started < 5_000, "refused without expanding 10^9 nodes");
});

test("a few aliases are fine", () => {
  const yaml = "exclude: &skip [build/**]\nsanitizers: &san [myapp.scrub]\nsources: [{ call: myapp.a, kind: untrusted }]\n";
  assert.deepEqual(parseConfig(yaml, RULE_IDS, "secure-ai-lint.yaml").problems, []);
  const reused = "exclude: &skip [build/**]\nx: *skip\n";
  assert.deepEqual(parseConfig(reused, RULE_IDS, "secure-ai-lint.yaml").problems.map((p) => p.pointer), ["/x"]);
});

test("patterns that would be dropped or never match are named", () => {
  for (const fine of ["tests/fixtures/**", "*.gen.py", "!keep.py", "\\#literal", "[a-z]*.py", "dir/"]) assert.equal(globProblem(fine), undefined, fine);
  for (const bad of [" ", "# comment", "trailing\\", "../up", "/a/../../b", "C:\\\\work\\\\x", "tests\\fixtures", "a[bc", "[z-a]"]) {
    assert.notEqual(globProblem(bad), undefined, bad);
  }
});

test("the nearest folder with a config wins; within a folder, JSON before YAML and the rest are named as ignored", () => {
  const root = mkdtempSync(path.join(tmpdir(), "sal-config-yaml-"));
  mkdirSync(path.join(root, "app"));
  writeFileSync(path.join(root, ".secure-ai-lint.yml"), "rules: { llm-output-to-eval: info }\n");
  const loader = new ProjectConfigLoader(RULE_IDS);
  const yamlOnly = loader.forPath(path.join(root, "app", "x.py"));
  assert.equal(yamlOnly.file, path.join(root, ".secure-ai-lint.yml"));
  assert.deepEqual(yamlOnly.config.rules, { "llm-output-to-eval": "info" });
  assert.deepEqual(yamlOnly.shadowed, []);

  writeFileSync(path.join(root, "secure-ai-lint.yaml"), "rules: { llm-output-to-eval: warning }\n");
  writeFileSync(path.join(root, "secure-ai-lint.json"), '{ "rules": { "llm-output-to-eval": "off" } }');
  const three = loader.forPath(path.join(root, "app", "x.py"));
  assert.equal(three.file, path.join(root, "secure-ai-lint.json"));
  assert.deepEqual(three.shadowed, [path.join(root, "secure-ai-lint.yaml"), path.join(root, ".secure-ai-lint.yml")]);
  assert.notEqual(three.version, yamlOnly.version);

  writeFileSync(path.join(root, "app", "secure-ai-lint.yml"), "exclude: [generated/**]\n");
  const nearer = loader.forPath(path.join(root, "app", "x.py"));
  assert.equal(nearer.file, path.join(root, "app", "secure-ai-lint.yml"));
  assert.equal(nearer.excludes(path.join(root, "app", "generated", "g.py")), true);
});

test("a re-read after invalidation is seen even when the modification time did not change", () => {
  const root = mkdtempSync(path.join(tmpdir(), "sal-config-reread-"));
  const file = path.join(root, "secure-ai-lint.yaml");
  writeFileSync(file, "rules: { llm-output-to-eval: info }\n");
  const loader = new ProjectConfigLoader(RULE_IDS);
  const first = loader.forPath(root);
  writeFileSync(file, "rules: { llm-output-to-eval: off }\n");
  loader.invalidate(file);
  const second = loader.forPath(root);
  assert.deepEqual(second.config.rules, { "llm-output-to-eval": "off" });
  assert.notEqual(second.version, first.version);
});
