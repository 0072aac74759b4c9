/**
 * The call gets an output-token cap (1024) under the name its SDK uses, in the argument or
 * config object it belongs in. Unsafe: answers longer than the cap are cut off, and the right
 * cap depends on the answers the application expects.
 */
import type { CheckHit } from "../../server/src/engine/dataflow";
import type { Expr } from "../../server/src/engine/ir";
import { addKeywordArgument, addProperty } from "../../server/src/engine/fixes/edits";
import type { CallExpr, FixKit, FixProposal, SpanEdit } from "../../server/src/engine/fixes/kit";

const CAP = "1024";

/** Where each SDK takes its cap: a parameter, or a field of a config parameter. Python first, then JS. */
const CAP_PARAMETERS: Array<{ callee: RegExp; python?: string[]; js?: string[] }> = [
  { callee: /^openai\..*\.chat\.completions\.create$/, python: ["max_completion_tokens"], js: ["max_completion_tokens"] },
  { callee: /\.responses\.create$/, python: ["max_output_tokens"], js: ["max_output_tokens"] },
  { callee: /^litellm\./, python: ["max_tokens"] },
  // OpenAI-compatible clients of other providers: `max_tokens` is the name they all accept.
  { callee: /\.chat\.completions\.create$/, python: ["max_tokens"], js: ["max_tokens"] },
  { callee: /^ai\./, js: ["maxOutputTokens"] },
  { callee: /^google\.genai\./, python: ["config", "max_output_tokens"], js: ["config", "maxOutputTokens"] },
  { callee: /^(?:google\.generativeai|vertexai)\./, python: ["generation_config", "max_output_tokens"] },
  { callee: /^(?:mistralai|cohere)\./, python: ["max_tokens"], js: ["maxTokens"] },
  { callee: /^(?:boto3|@aws-sdk\/client-bedrock-runtime)\./, python: ["inferenceConfig", "maxTokens"], js: ["inferenceConfig", "maxTokens"] },
  { callee: /^ollama\./, python: ["options", "num_predict"], js: ["options", "num_predict"] },
];

export function tokenCapFixes(kit: FixKit, hit: CheckHit): FixProposal[] {
  const entry = CAP_PARAMETERS.find((p) => p.callee.test(hit.callee));
  const path = kit.isPython ? entry?.python : entry?.js;
  const call = kit.callAt(hit.span)?.expr;
  if (!path || !call) return [];
  const edit = kit.isPython ? pythonCap(kit, call, path) : jsCap(kit, call, path);
  if (!edit) return [];
  return [{ title: `Cap the output at ${CAP} tokens (${path.join(".")}; longer answers are cut off)`, safe: false, edits: [edit] }];
}

function pythonCap(kit: FixKit, call: CallExpr, [name, field]: string[]): SpanEdit | undefined {
  if (!field) return addKeywordArgument(kit, call, name, CAP);
  const config = call.kwargs.find((k) => k.name === name)?.value;
  if (!config) return addKeywordArgument(kit, call, name, `{"${field}": ${CAP}}`);
  return intoConfig(kit, config, field);
}

function jsCap(kit: FixKit, call: CallExpr, [name, field]: string[]): SpanEdit | undefined {
  const options = call.args[0]?.value;
  if (options?.kind !== "object" || call.args[0].spread) return undefined;
  if (!field) return addProperty(kit, options, name, CAP);
  const config = options.entries.find((e) => e.key === name);
  if (!config) return addProperty(kit, options, name, `{ ${field}: ${CAP} }`);
  // `{ config }` shorthand names a variable built elsewhere.
  return config.span.start === config.value.span.start ? undefined : intoConfig(kit, config.value, field);
}

/** A config given as a literal (`{...}`) or, in Python, as a config class call (`types.GenerateContentConfig(...)`). */
function intoConfig(kit: FixKit, config: Expr, field: string): SpanEdit | undefined {
  if (config.kind === "object") return addProperty(kit, config, field, CAP);
  if (config.kind === "call" && kit.isPython && config.args.length === 0) return addKeywordArgument(kit, config, field, CAP);
  return undefined;
}
