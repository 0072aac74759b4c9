/**
 * The project config (secure-ai-lint.json / .yaml): parsed and validated here, purely from text.
 * An invalid file yields problems, each with the range it concerns, and the defaults; nothing
 * in it is ever executed.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import schema from "../../../schemas/config.schema.json";
import { readConfigDocument, type ConfigDocument, type ConfigFormat } from "./configDocument";
import type { ArgSelector, ModelFile, SanitizerSpec, SinkSpec, SourceSpec } from "./models/schema";
import type { Range, Severity } from "./types";

/** The config file names, in the order that decides which one applies when a folder holds several. */
export const CONFIG_FILE_NAMES = [
  "secure-ai-lint.json",
  "secure-ai-lint.yaml",
  "secure-ai-lint.yml",
  ".secure-ai-lint.json",
  ".secure-ai-lint.yaml",
  ".secure-ai-lint.yml",
] as const;

export function configFormatOf(fileName: string): ConfigFormat {
  return fileName.endsWith(".json") ? "json" : "yaml";
}

export interface ProjectConfig {
  rules: Record<string, Severity | "off">;
  exclude: string[];
  maxFileSize?: number;
  /** Project knowledge as one more model, layered over the built-in ones. */
  model?: ModelFile;
}

export interface ConfigProblem {
  message: string;
  /** `error`: the whole file is ignored; `warning`: only the entry it points at is. */
  severity: "error" | "warning";
  /** JSON pointer of the offending value, when known. */
  pointer?: string;
  /** Where the problem is in the file's text (0-based lines and UTF-16 columns). */
  range?: Range;
}

export const DEFAULT_CONFIG: ProjectConfig = { rules: {}, exclude: [] };

type Selectors = ArgSelector | ArgSelector[];

/** An in-house function that calls a model: its result is model output, its system-prompt argument a sink. */
export interface LlmWrapper {
  call: string;
  system?: Selectors;
  prompt?: Selectors;
  label?: string;
}

/** Project-specific knowledge, as written in the config file (and, partly, in editor settings). */
export interface ProjectKnowledge {
  sanitizers?: Array<string | { call: string; kinds?: SanitizerSpec["kinds"]; sinks?: SanitizerSpec["sinks"] }>;
  sources?: Array<{ call: string; kind: SourceSpec["kind"]; label?: string }>;
  sinks?: Array<{ call: string; kind: SinkSpec["kind"]; arg: Selectors; label?: string }>;
  llmWrappers?: LlmWrapper[];
}

interface RawConfig extends ProjectKnowledge {
  rules?: Record<string, Severity | "off">;
  exclude?: string[];
  maxFileSize?: number;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile<RawConfig>(schema);
const validateWrapper = ajv.getSchema(`${schema.$id}#/definitions/llmWrapper`) as ValidateFunction<LlmWrapper>;

/** For editor settings, which share the shape of the config's `llmWrappers` entries. */
export function isLlmWrapper(value: unknown): value is LlmWrapper {
  return validateWrapper(value);
}

export function parseConfig(
  text: string,
  knownRules: readonly string[],
  fileName: string = CONFIG_FILE_NAMES[0],
): { config: ProjectConfig; problems: ConfigProblem[] } {
  const document = readConfigDocument(text, configFormatOf(fileName));
  if (document.problems.length > 0) {
    return { config: DEFAULT_CONFIG, problems: document.problems.map((p) => ({ ...p, severity: "error" as const })) };
  }
  const raw = document.value;
  if (!validate(raw)) return { config: DEFAULT_CONFIG, problems: schemaProblems(validate.errors ?? [], document) };
  const problems: ConfigProblem[] = [];
  const rules = { ...raw.rules };
  for (const id of Object.keys(rules)) {
    if (knownRules.includes(id)) continue;
    delete rules[id];
    const pointer = `/rules/${escapePointer(id)}`;
    problems.push({ message: unknownRuleMessage(id, knownRules), severity: "warning", pointer, range: document.rangeOf(pointer, "key") });
  }
  const exclude: string[] = [];
  for (const [index, pattern] of (raw.exclude ?? []).entries()) {
    const problem = globProblem(pattern);
    if (problem === undefined) {
      exclude.push(pattern);
      continue;
    }
    const pointer = `/exclude/${index}`;
    problems.push({ message: `${pointer}: "${pattern}" ${problem}; it is ignored.`, severity: "warning", pointer, range: document.rangeOf(pointer) });
  }
  return { config: { rules, exclude, maxFileSize: raw.maxFileSize, model: knowledgeModel(raw, "project", "Project configuration") }, problems };
}

/**
 * Project knowledge as a model file. Wrappers become a model-output source and system-prompt
 * sinks: their `system` argument directly, their `prompt` argument when it is a message list
 * (only its system- and developer-role messages; a user prompt is where user text belongs).
 */
export function knowledgeModel(knowledge: ProjectKnowledge, name: string, title: string): ModelFile | undefined {
  const sanitizers: SanitizerSpec[] = (knowledge.sanitizers ?? []).map((s) =>
    typeof s === "string" ? { call: s, label: s } : { call: s.call, kinds: s.kinds, sinks: s.sinks, label: s.call },
  );
  const sources: SourceSpec[] = (knowledge.sources ?? []).map((s) => ({ call: s.call, kind: s.kind, label: s.label ?? s.call }));
  const sinks: SinkSpec[] = (knowledge.sinks ?? []).map((s) => ({ call: s.call, kind: s.kind, arg: s.arg, label: s.label ?? `\`${s.call}()\`` }));
  for (const wrapper of knowledge.llmWrappers ?? []) {
    const label = wrapper.label ?? `\`${wrapper.call}()\``;
    sources.push({ call: wrapper.call, kind: "model", label });
    if (wrapper.system !== undefined) sinks.push({ call: wrapper.call, kind: "system-prompt", arg: wrapper.system, label: `the system prompt of ${label}` });
    if (wrapper.prompt !== undefined) {
      sinks.push({ call: wrapper.call, kind: "system-prompt", arg: wrapper.prompt, shape: "messages", label: `a system message passed to ${label}` });
    }
  }
  if (sanitizers.length + sources.length + sinks.length === 0) return undefined;
  return {
    name,
    title,
    // Project sources of model output make a file worth analysing even without an SDK import.
    category: sources.some((s) => s.kind === "model") || sinks.some((s) => s.kind === "system-prompt") ? "llm" : "data",
    languages: ["python", "javascript"],
    modules: [...sources, ...sinks].map((s) => String(s.call).split(".").pop()!.replace(/[*{}]/g, "")).filter(Boolean),
    sources,
    sinks,
    sanitizers,
  };
}

/**
 * Why `ignore` would silently drop or never match a .gitignore-style pattern, or undefined when
 * it is fine. Patterns are relative to the config's folder and use `/` between folders.
 */
export function globProblem(pattern: string): string | undefined {
  if (pattern.trim() === "") return "is blank";
  if (pattern.startsWith("#")) return "is a comment in .gitignore syntax (write \\# for a leading #)";
  if (/(^|[^\\])(\\\\)*\\$/.test(pattern)) return "ends with an unescaped backslash";
  if (/^([a-z]:)?[\\/]{2}|^[a-z]:[\\/]/i.test(pattern) || pattern.startsWith("../") || pattern.includes("/../")) {
    return "points outside this folder; patterns are relative to the folder of the file that declares them";
  }
  if (/\\[^\\\s!#*?[\] ]/.test(pattern)) return "uses a backslash; separate folders with /";
  for (const klass of pattern.matchAll(/\[([^\]]*)(\]?)/g)) {
    if (klass[2] !== "]") return "has a [ without its closing ]";
    for (const [, from, to] of klass[1].matchAll(/(.)-(.)/g)) {
      if (from > to) return `has the empty range ${from}-${to}`;
    }
  }
  return undefined;
}

function unknownRuleMessage(id: string, knownRules: readonly string[]): string {
  const closest = [...knownRules].sort((a, b) => editDistance(id, a) - editDistance(id, b))[0];
  const hint = closest !== undefined && editDistance(id, closest) <= Math.max(2, id.length / 4) ? `did you mean "${closest}"?` : `known rules: ${knownRules.join(", ")}`;
  return `Unknown rule "${id}" is ignored; ${hint}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current.push(Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = current;
  }
  return previous[b.length];
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Ajv's errors, one problem per place. A value that matches none of several alternatives yields an
 * error per alternative; those at the same place merge into one message.
 */
function schemaProblems(errors: ErrorObject[], document: ConfigDocument): ConfigProblem[] {
  const specific = errors.filter(
    (e) => !["oneOf", "anyOf", "if"].includes(e.keyword) || !errors.some((o) => o !== e && o.instancePath.startsWith(e.instancePath) && !["oneOf", "anyOf", "if"].includes(o.keyword)),
  );
  const byPlace = new Map<string, { pointer: string; part: "key" | "value"; messages: string[]; types: string[] }>();
  for (const error of specific) {
    const misplacedKey = error.keyword === "additionalProperties" ? String(error.params.additionalProperty) : undefined;
    const pointer = misplacedKey === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(misplacedKey)}`;
    const part = misplacedKey === undefined ? "value" : "key";
    const place = byPlace.get(`${part}${pointer}`) ?? { pointer, part, messages: [], types: [] };
    byPlace.set(`${part}${pointer}`, place);
    if (error.keyword === "type") place.types.push(String(error.params.type));
    else place.messages.push(describe(error, misplacedKey));
  }
  return [...byPlace.values()].map(({ pointer, part, messages, types }) => {
    if (types.length > 0) messages.unshift(`must be ${types.length === 1 ? types[0] : `${types.slice(0, -1).join(", ")} or ${types.at(-1)}`}`);
    return { message: `${pointer || "The config"}: ${messages.join("; ")}`, severity: "error" as const, pointer, range: document.rangeOf(pointer, part) };
  });
}

function describe(error: ErrorObject, misplacedKey: string | undefined): string {
  if (misplacedKey !== undefined) return `unknown property "${misplacedKey}"`;
  if (error.keyword === "enum") return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  if (error.keyword === "required") return `needs "${String(error.params.missingProperty)}"`;
  return error.message ?? error.keyword;
}
