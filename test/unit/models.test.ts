/** SDK knowledge files are well-formed and their patterns compile. */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import Ajv from "ajv";
import { MODELS } from "../../rules/models";
import schema from "../../schemas/model.schema.json";
import { compileKnowledge } from "../../server/src/engine/models/knowledge";
import { createPatternTable, expandAlternatives } from "../../server/src/engine/models/patterns";
import { repoRoot } from "../helpers/repo";

test("every model file validates against the model schema", () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  for (const model of MODELS) assert.ok(validate(model), `${model.name}: ${JSON.stringify(validate.errors, null, 1)}`);
});

test("every JSON file in rules/models is registered", () => {
  const files = readdirSync(path.join(repoRoot(), "rules", "models")).filter((f) => f.endsWith(".json"));
  assert.deepEqual(files.map((f) => f.replace(/\.json$/, "")).sort(), MODELS.map((m) => m.name).sort());
});

test("the knowledge compiles for both languages", () => {
  for (const lang of ["python", "javascript"] as const) {
    const kb = compileKnowledge(MODELS.filter((m) => m.languages.includes(lang)));
    assert.ok(kb.sinks(lang === "python" ? "builtins.eval" : "globalThis.eval", undefined).length > 0);
  }
});

test("patterns: alternatives, one-segment and any-depth wildcards", () => {
  assert.deepEqual(expandAlternatives("a.{b,c{1,2}}.d"), ["a.b.d", "a.c1.d", "a.c2.d"]);
  const t = createPatternTable<string>([
    ["openai.OpenAI().chat.completions.create", "exact"],
    ["langchain_openai.ChatOpenAI()**.invoke", "deep"],
    ["llama_index.llms.*().complete", "one"],
  ]);
  assert.deepEqual(t.match("openai.OpenAI().chat.completions.create"), ["exact"]);
  assert.deepEqual(t.match("openai.OpenAI().chat.completions.create()"), []);
  assert.deepEqual(t.match("langchain_openai.ChatOpenAI().bind_tools().invoke"), ["deep"]);
  assert.deepEqual(t.match("langchain_openai.ChatOpenAI().invoke"), ["deep"]);
  assert.deepEqual(t.match("llama_index.llms.OpenAI().complete"), ["one"]);
  assert.deepEqual(t.match("llama_index.llms.openai.OpenAI().complete"), []);
  const local = createPatternTable<string>([["**.redact", "any"]]);
  assert.deepEqual(local.match("redact"), ["any"]);
  assert.deepEqual(local.match("app.util.redact"), ["any"]);
  assert.deepEqual(local.match("unredact"), []);
});

test("aliases chain to the canonical symbol", () => {
  const kb = compileKnowledge(MODELS.filter((m) => m.languages.includes("javascript")));
  assert.equal(kb.canonicalSymbol("@anthropic-ai/sdk.default"), "anthropic.Anthropic");
  assert.equal(kb.canonicalSymbol("openai.default"), "openai.OpenAI");
});
