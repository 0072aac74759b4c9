/**
 * The project config (secure-ai-lint.json): parsed and validated here, purely from text.
 * Invalid config yields messages and the defaults; nothing in it is ever executed.
 */
import Ajv from "ajv";
import schema from "../../../schemas/config.schema.json";
import type { ModelFile, SanitizerSpec, SinkSpec, SourceSpec } from "./models/schema";
import type { Severity } from "./types";

export const CONFIG_FILE_NAMES = ["secure-ai-lint.json", ".secure-ai-lint.json"];

export interface ProjectConfig {
  rules: Record<string, Severity | "off">;
  exclude: string[];
  maxFileSize?: number;
  /** Project knowledge as one more model, layered over the built-in ones. */
  model?: ModelFile;
}

export interface ConfigProblem {
  message: string;
  /** JSON pointer of the offending value, when known. */
  pointer?: string;
}

export const DEFAULT_CONFIG: ProjectConfig = { rules: {}, exclude: [] };

interface RawConfig {
  rules?: Record<string, Severity | "off">;
  exclude?: string[];
  maxFileSize?: number;
  sanitizers?: Array<string | { call: string; kinds?: SanitizerSpec["kinds"]; sinks?: SanitizerSpec["sinks"] }>;
  sources?: Array<{ call: string; kind: SourceSpec["kind"]; label?: string }>;
  sinks?: Array<{ call: string; kind: SinkSpec["kind"]; arg: number | string; label?: string }>;
}

const validate = new Ajv({ allErrors: true, strict: false }).compile<RawConfig>(schema);

export function parseConfig(text: string, knownRules: readonly string[]): { config: ProjectConfig; problems: ConfigProblem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { config: DEFAULT_CONFIG, problems: [{ message: `Not valid JSON: ${(err as Error).message}` }] };
  }
  if (!validate(raw)) {
    const problems = (validate.errors ?? []).map((e) => ({ message: `${e.instancePath || "config"} ${e.message}`, pointer: e.instancePath }));
    return { config: DEFAULT_CONFIG, problems };
  }
  const problems: ConfigProblem[] = [];
  for (const id of Object.keys(raw.rules ?? {})) {
    if (!knownRules.includes(id)) problems.push({ message: `Unknown rule "${id}" (known: ${knownRules.join(", ")})`, pointer: `/rules/${id}` });
  }
  return { config: toConfig(raw), problems };
}

function toConfig(raw: RawConfig): ProjectConfig {
  const sanitizers: SanitizerSpec[] = (raw.sanitizers ?? []).map((s) =>
    typeof s === "string" ? { call: s, label: s } : { call: s.call, kinds: s.kinds, sinks: s.sinks, label: s.call },
  );
  const sources: SourceSpec[] = (raw.sources ?? []).map((s) => ({ call: s.call, kind: s.kind, label: s.label ?? s.call }));
  const sinks: SinkSpec[] = (raw.sinks ?? []).map((s) => ({ call: s.call, kind: s.kind, arg: s.arg, label: s.label ?? `\`${s.call}()\`` }));
  const hasKnowledge = sanitizers.length + sources.length + sinks.length > 0;
  return {
    rules: raw.rules ?? {},
    exclude: raw.exclude ?? [],
    maxFileSize: raw.maxFileSize,
    model: hasKnowledge
      ? {
          name: "project",
          title: "Project configuration",
          // Project sources of model output make a file worth analysing even without an SDK import.
          category: sources.some((s) => s.kind === "model") || sinks.some((s) => s.kind === "system-prompt") ? "llm" : "data",
          languages: ["python", "javascript"],
          modules: [...sources, ...sinks].map((s) => String(s.call).split(".").pop()!.replace(/[*{}]/g, "")).filter(Boolean),
          sources,
          sinks,
          sanitizers,
        }
      : undefined,
  };
}
