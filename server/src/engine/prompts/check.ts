/**
 * Prompt template files in the engine: bindings out of code files, findings out of prompt files.
 * A code file's "prompt-template" sink hits become PromptBindings (ranges and file paths, so they
 * can cross worker threads and files); a prompt file is parsed and the prompt-file rules run over
 * it with the bindings that name it.
 */
import type { SinkHit } from "../dataflow";
import { bindingNamesFile } from "../files";
import type { Span } from "../ir";
import type { LineIndex } from "../lines";
import type { Rule } from "../rule";
import type { AnalysisResult, Finding, PathStep, PromptBinding, Range, RuleMeta, Severity } from "../types";
import { stepsToArray } from "../values";
import { parsePrompt, type ParsedPrompt, type PromptFormat } from "./parse";
import type { PromptTemplateSink } from "./render";

export interface PromptFileReport {
  severity?: Severity;
  message: string;
  span: Span;
  /** Steps in code files carry their `file`; steps in the prompt file do not. */
  path: PathStep[];
}

export interface PromptFileContext {
  readonly filePath: string;
  readonly text: string;
  readonly prompt: ParsedPrompt;
  /** What code passes into this file's variables (only bindings that name this file). */
  readonly bindings: readonly PromptBinding[];
  range(span: Span): Range;
  report(r: PromptFileReport): void;
}

const BINDING_KINDS = new Set(["untrusted", "indirect", "model"]);

/** The bindings among a code file's sink hits, with ranges in that file. */
export function promptBindingsOf(hits: readonly SinkHit[], filePath: string, lines: LineIndex): PromptBinding[] {
  const out: PromptBinding[] = [];
  const step = (span: Span, message: string): PathStep => ({ range: lines.range(span), message, file: filePath });
  for (const hit of hits) {
    if (hit.spec.kind !== "prompt-template") continue;
    const sink = hit.spec as PromptTemplateSink;
    for (const taint of hit.taints) {
      if (!BINDING_KINDS.has(taint.kind)) continue;
      const variable = sink.input === "*" ? "every variable" : `\`${sink.input}\``;
      out.push({
        format: sink.format,
        target: sink.target,
        input: sink.input,
        kind: taint.kind as PromptBinding["kind"],
        label: taint.label,
        path: [
          step(taint.origin.span, taint.origin.message),
          ...stepsToArray(taint.steps).map((s) => step(s.span, s.message)),
          step(hit.callSpan, `renders ${sink.target}, filling ${variable}`),
        ],
      });
    }
  }
  return out;
}

export interface PromptRuleRun {
  rules: ReadonlyArray<{ rule: Rule; meta: RuleMeta }>;
  overrides: Record<string, Severity | "off">;
}

export function analyzePromptFile(text: string, filePath: string, format: PromptFormat, lines: LineIndex, bindings: readonly PromptBinding[], run: PromptRuleRun): AnalysisResult {
  const prompt = parsePrompt(text, format);
  const result: AnalysisResult = { findings: [], ruleFailures: [], syntaxErrors: prompt.syntaxErrors.map((e) => lines.range(e.span)) };
  const relevant = bindings.filter((b) => bindingNamesFile(filePath, b));
  for (const { rule, meta } of run.rules) {
    const override = run.overrides[meta.id];
    if (!rule.checkPromptFile || override === "off" || (meta.confidence === "audit" && override === undefined)) continue;
    const report = (r: PromptFileReport): void => {
      const finding: Finding = { ruleId: meta.id, severity: override ?? r.severity ?? meta.severity, message: r.message, range: lines.range(r.span), path: r.path, owasp: meta.owasp, cwe: meta.cwe, atlas: meta.atlas };
      result.findings.push(finding);
    };
    try {
      rule.checkPromptFile({ filePath, text, prompt, bindings: relevant, range: (span) => lines.range(span), report });
    } catch (err) {
      result.ruleFailures.push({ ruleId: meta.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  }
  result.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return result;
}
