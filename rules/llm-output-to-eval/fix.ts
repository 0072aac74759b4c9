/**
 * `eval(text)` on model output becomes a parser of data: `ast.literal_eval` or `json.loads` in
 * Python, `JSON.parse` in JS. Unsafe: a reply that was an expression to compute (not a literal)
 * now raises, so the prompt has to ask for data.
 */
import type { FixKit, FixProposal } from "../../server/src/engine/fixes/kit";
import type { SinkHit } from "../../server/src/engine/dataflow";

export function evalFixes(kit: FixKit, hit: SinkHit): FixProposal[] {
  const call = kit.callAt(hit.callSpan)?.expr;
  if (!call || call.callee.kind !== "name" || call.callee.name !== "eval" || call.args.length !== 1) return [];
  if (hit.callee !== "builtins.eval" && hit.callee !== "globalThis.eval") return [];
  const callee = call.callee.span;
  const replaceWith = (text: string, module?: string): FixProposal["edits"] => {
    const importEdit = module ? kit.ensureImport(module) : undefined;
    return [...(importEdit ? [importEdit] : []), { span: callee, newText: text }];
  };
  if (!kit.isPython) return [{ title: "Parse the model output with JSON.parse instead of eval", safe: false, edits: replaceWith("JSON.parse") }];
  return [
    { title: "Parse the model output with ast.literal_eval instead of eval", safe: false, edits: replaceWith("ast.literal_eval", "ast") },
    { title: "Parse the model output with json.loads instead of eval", safe: false, edits: replaceWith("json.loads", "json") },
  ];
}
