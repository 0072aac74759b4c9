/**
 * The config schema against the engine: the kinds it accepts are exactly the engine's (the
 * Record types below stop type-checking when the engine gains a kind), every key is documented
 * with an example, and every config file name gets the schema in VS Code.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import configSchema from "../../schemas/config.schema.json";
import modelSchema from "../../schemas/model.schema.json";
import packageJson from "../../package.json";
import { CONFIG_FILE_NAMES } from "../../server/src/engine/config";
import type { SinkKind, TaintKind } from "../../server/src/engine/models/schema";

/** Each engine kind, and whether model and config files may declare it (some are only recorded by the engine itself). */
const ENGINE_SINK_KINDS: Record<SinkKind, boolean> = {
  "system-prompt": true,
  "code-eval": true,
  shell: true,
  argv: true,
  sql: true,
  html: true,
  url: true,
  path: true,
  deserialize: true,
  log: true,
  "llm-input": true,
  "prompt-template": false,
};
const ENGINE_TAINT_KINDS: Record<TaintKind, boolean> = { untrusted: true, indirect: true, model: true, pii: true, secret: true };

const declarable = (kinds: Record<string, boolean>) => Object.keys(kinds).filter((kind) => kinds[kind]);

const sorted = (values: readonly unknown[]) => [...values].map(String).sort();

test("the config and model schemas accept exactly the engine's sink and taint kinds", () => {
  assert.deepEqual(sorted(configSchema.definitions.sinkKind.enum), sorted(declarable(ENGINE_SINK_KINDS)));
  assert.deepEqual(sorted(modelSchema.definitions.sinkKind.enum), sorted(declarable(ENGINE_SINK_KINDS)));
  assert.deepEqual(sorted(configSchema.definitions.taintKind.enum), sorted(declarable(ENGINE_TAINT_KINDS)));
  assert.deepEqual(sorted(modelSchema.definitions.taintKind.enum), sorted(declarable(ENGINE_TAINT_KINDS)));
});

interface SchemaNode {
  description?: string;
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  then?: SchemaNode;
  else?: SchemaNode;
  $ref?: string;
}

/** Every property of the schema, with its path, descending into items, if/else branches and definitions. */
function properties(node: SchemaNode, at: string): Array<[string, SchemaNode]> {
  const own = Object.entries(node.properties ?? {}).flatMap(([name, child]): Array<[string, SchemaNode]> => [
    [`${at}.${name}`, child],
    ...properties(child, `${at}.${name}`),
  ]);
  const nested = [node.items, node.then, node.else].filter((child): child is SchemaNode => child !== undefined);
  return [...own, ...nested.flatMap((child) => properties(child, `${at}[]`))];
}

function resolve(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const target = node.$ref.replace("#/definitions/", "") as keyof typeof configSchema.definitions;
  return { ...(configSchema.definitions[target] as SchemaNode), ...node };
}

test("every config key has a description and an example", () => {
  const roots: Array<[string, SchemaNode]> = [
    ["config", configSchema as SchemaNode],
    ...Object.entries(configSchema.definitions).map(([name, definition]): [string, SchemaNode] => [`#${name}`, definition as SchemaNode]),
  ];
  const keys = roots.flatMap(([at, root]) => properties(root, at));
  assert.ok(keys.length > 15, `found ${keys.length} keys`);
  for (const [at, raw] of keys) {
    const node = resolve(raw);
    assert.ok((node.description ?? "").length > 10, `${at} has a description`);
    const enumerated = "enum" in node;
    assert.ok(enumerated || (node.examples ?? []).length > 0, `${at} has an example`);
  }
});

test("VS Code validates every config file name against the schema", () => {
  const { jsonValidation, yamlValidation } = packageJson.contributes;
  const covered = [...jsonValidation, ...yamlValidation]
    .filter((entry) => entry.url === "./schemas/config.schema.json")
    .flatMap((entry) => entry.fileMatch);
  assert.deepEqual(sorted(covered), sorted(CONFIG_FILE_NAMES));
  assert.ok(jsonValidation.every((entry) => entry.fileMatch.every((name) => name.endsWith(".json"))));
  assert.ok(yamlValidation.every((entry) => entry.fileMatch.every((name) => /\.ya?ml$/.test(name))));
});

test("the settings that mirror config keys share their shape", () => {
  const settings = packageJson.contributes.configuration.properties;
  for (const name of ["exclude", "sanitizers", "llmWrappers"] as const) {
    const setting = settings[`secureAiLint.${name}`];
    assert.equal(setting.type, "array", name);
    assert.equal(setting.scope, "resource", name);
    assert.ok(setting.markdownDescription.length > 40, name);
  }
  const wrapperKeys = Object.keys(settings["secureAiLint.llmWrappers"].items.properties).sort();
  assert.deepEqual(wrapperKeys, Object.keys(configSchema.definitions.llmWrapper.properties).sort());
});
