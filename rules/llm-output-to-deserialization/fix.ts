/**
 * Deserialisers that can build objects are swapped for ones that build plain data:
 * PyYAML's unsafe loaders become `yaml.safe_load` (safe: plain YAML loads to the same data),
 * pickle and jsonpickle become `json` (unsafe: the producer must now write JSON), `numpy.load`
 * loses `allow_pickle=True` (unsafe: object arrays stop loading), js-yaml drops its custom schema
 * (unsafe: custom tags stop loading) and node-serialize becomes `JSON.parse` (unsafe: serialised
 * functions stay strings).
 */
import type { SinkHit } from "../../server/src/engine/dataflow";
import type { Expr } from "../../server/src/engine/ir";
import type { CallExpr, FixKit, FixProposal, SpanEdit } from "../../server/src/engine/fixes/kit";
import { removeKeyword, removeListItem } from "../../server/src/engine/fixes/shapes";

/** PyYAML loaders that only add Python object construction to the safe one. */
const UNSAFE_YAML_LOADERS = new Set(["Loader", "FullLoader", "UnsafeLoader"]);

const SAFE_YAML_FUNCTION: Record<string, string> = {
  "yaml.load": "safe_load",
  "yaml.full_load": "safe_load",
  "yaml.unsafe_load": "safe_load",
  "yaml.load_all": "safe_load_all",
  "yaml.full_load_all": "safe_load_all",
  "yaml.unsafe_load_all": "safe_load_all",
};

type MethodCall = CallExpr & { callee: Extract<Expr, { kind: "attr" }> };

function isMethodCall(call: CallExpr): call is MethodCall {
  return call.callee.kind === "attr";
}

export function deserializationFixes(kit: FixKit, hit: SinkHit): FixProposal[] {
  const call = kit.callAt(hit.callSpan)?.expr;
  if (!call || !isMethodCall(call) || call.args.some((a) => a.spread)) return [];
  if (kit.isPython) {
    if (hit.callee in SAFE_YAML_FUNCTION) return safeYaml(kit, call, SAFE_YAML_FUNCTION[hit.callee]);
    if (hit.callee === "pickle.loads" || hit.callee === "pickle.load" || hit.callee === "jsonpickle.decode") return pickleToJson(kit, call);
    if (hit.callee === "numpy.load") return withoutPickle(kit, call);
    return [];
  }
  if (hit.callee === "js-yaml.load" || hit.callee === "js-yaml.loadAll") return withoutSchema(kit, call, hit.callee === "js-yaml.load" ? 1 : 2);
  if (hit.callee === "node-serialize.unserialize" && call.args.length === 1 && call.kwargs.length === 0) {
    return [{ title: "Parse the model output with JSON.parse instead of node-serialize", safe: false, edits: [{ span: call.callee.span, newText: "JSON.parse" }] }];
  }
  return [];
}

/** `yaml.load(x, Loader=yaml.Loader)` → `yaml.safe_load(x)`: only with the stream alone and a stock loader. */
function safeYaml(kit: FixKit, call: MethodCall, safeName: string): FixProposal[] {
  const loaders = [...call.args.slice(1).map((a) => a.value), ...call.kwargs.filter((k) => k.name === "Loader").map((k) => k.value)];
  if (call.args.length < 1 || call.args.length + call.kwargs.length > 2 || loaders.length !== call.args.length + call.kwargs.length - 1) return [];
  if (!loaders.every((l) => l.kind === "attr" && UNSAFE_YAML_LOADERS.has(l.name) && kit.slice(l.object.span) === kit.slice(call.callee.object.span))) return [];
  const stream = kit.slice(call.args[0].value.span);
  return [
    {
      title: `Load the model output with yaml.${safeName}`,
      safe: true,
      edits: [{ span: { start: call.callee.nameSpan.start, end: call.span.end }, newText: `${safeName}(${stream})` }],
    },
  ];
}

/** `pickle.loads(x)` / `jsonpickle.decode(x)` → `json.loads(x)`; `pickle.load(f)` → `json.load(f)`. */
function pickleToJson(kit: FixKit, call: MethodCall): FixProposal[] {
  if (call.args.length !== 1 || call.kwargs.length > 0) return [];
  const fromFile = call.callee.name === "load";
  const importJson = kit.ensureImport("json");
  const edits: SpanEdit[] = [...(importJson ? [importJson] : []), { span: call.callee.span, newText: fromFile ? "json.load" : "json.loads" }];
  return [{ title: `Parse the model output as JSON (json.${fromFile ? "load" : "loads"}) instead of unpickling it`, safe: false, edits }];
}

/** `numpy.load(f, allow_pickle=True)` → `numpy.load(f)`: arrays of numbers load as before. */
function withoutPickle(kit: FixKit, call: CallExpr): FixProposal[] {
  const flag = call.kwargs.find((k) => k.name === "allow_pickle");
  const edit = flag?.value.kind === "const" && flag.value.value === true ? removeKeyword(kit, call, "allow_pickle") : undefined;
  return edit ? [{ title: "Load the array without allow_pickle", safe: false, edits: [edit] }] : [];
}

/** js-yaml: drop the options argument (or its `schema` entry) so the default, data-only schema applies. */
function withoutSchema(kit: FixKit, call: CallExpr, optionsIndex: number): FixProposal[] {
  if (call.args.length !== optionsIndex + 1) return [];
  const options = call.args[optionsIndex].value;
  if (options.kind !== "object" || options.entries.some((e) => e.spread || e.keyExpr)) return [];
  const schemaIndex = options.entries.findIndex((e) => e.key === "schema");
  if (schemaIndex < 0) return [];
  const edit =
    options.entries.length === 1
      ? removeListItem(kit, call.args.map((a) => a.value.span), optionsIndex)
      : removeListItem(kit, options.entries.map((e) => e.span), schemaIndex);
  return [{ title: "Load the model output with js-yaml's default schema", safe: false, edits: [edit] }];
}
