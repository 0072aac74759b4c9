/**
 * Code that uses prompt template files, as the dataflow sees it. A load (`prompty.load("x.prompty")`,
 * `ai.prompt("name")`) yields a value that carries which file it read; a render
 * (`prompty.execute(path, inputs={…})`, `await prompt({…})`) records, for each template variable it
 * fills, the data it receives as a "prompt-template" sink hit. Hits go through the usual function
 * summaries, so a render inside a helper is attributed to the callers' data.
 */
import * as path from "node:path";
import { forEachChild, type Expr, type Span } from "../ir";
import type { Knowledge } from "../models/knowledge";
import { createPatternTable, type PatternTable } from "../models/patterns";
import type { ArgSelector, PromptFileSpec, SinkSpec } from "../models/schema";
import { deepTaints, type Val } from "../values";
import type { Frame } from "../dataflow/functions";
import type { Interpreter } from "../dataflow/interpreter";
import { argBySelector, recordHit, type CallArgs } from "../dataflow/sinks";
import type { PromptFormat } from "./parse";

type CallExpr = Extract<Expr, { kind: "call" }>;

/** The sink of one template variable of one rendered prompt file. */
export interface PromptTemplateSink extends SinkSpec {
  kind: "prompt-template";
  format: PromptFormat;
  /** The file as the code names it: trailing path segments, `/`-separated (`prompts/support.prompty`). */
  target: string;
  /** The variable filled; `*` when the whole input object is untrusted and its keys are unknown. */
  input: string;
}

/** The property under which a loaded prompt (or a prompt registry) keeps what it refers to. */
const CARRIER = "<prompt file>";
const EXTENSIONS: Record<PromptFormat, string> = { prompty: ".prompty", dotprompt: ".prompt" };

interface Carried {
  format: PromptFormat;
  /** Set on loaded prompts. */
  target?: string;
  /** Set on registries: their prompt directory. */
  dir?: string;
}

const tables = new WeakMap<Knowledge, PatternTable<PromptFileSpec>>();

function specsFor(kb: Knowledge, symbol: string): PromptFileSpec[] {
  let table = tables.get(kb);
  if (!table) {
    const items: Array<[string, PromptFileSpec]> = [];
    for (const m of kb.models) for (const spec of m.promptFiles ?? []) for (const p of Array.isArray(spec.call) ? spec.call : [spec.call]) items.push([p, spec]);
    tables.set(kb, (table = createPatternTable(items)));
  }
  return table.match(symbol);
}

/**
 * Called for every call the dataflow evaluates. Returns the value of a load (the prompt it names)
 * or of a registry; records a render's inputs and returns undefined, so its result is computed as usual.
 */
export function observePromptFileCall(interp: Interpreter, frame: Frame, e: CallExpr, call: CallArgs, callee: Val, receiver: Val | undefined): Val | undefined {
  const symbol = callee.symbol;
  if (!symbol) return undefined;
  for (const spec of specsFor(interp.kb, symbol)) {
    if (spec.action === "registry") {
      const dir = literalText(interp, e, call, spec.dir)?.text ?? spec.defaultDir;
      return carrying(`${symbol}()`, { format: spec.format, dir });
    }
    if (spec.action === "load") {
      const loaded = spec.file ? fileReference(interp, e, call, spec.file, spec.format) : namedReference(interp, e, call, spec, receiver);
      if (loaded) return carrying(`${symbol}()`, { format: spec.format, ...loaded });
      continue;
    }
    const promptVal = spec.prompt?.includes("$callee") ? callee : first(spec.prompt, (sel) => argBySelector(sel, call, interp.isPython));
    const carried = promptVal && carriedBy(promptVal);
    const prompt = carried?.target ? carried : spec.prompt ? fileReference(interp, e, call, spec.prompt.filter((s) => s !== "$callee"), spec.format) : undefined;
    if (!prompt?.target) continue;
    const inputs = first(spec.inputs, (sel) => argBySelector(sel, call, interp.isPython));
    if (inputs) recordInputs(interp, frame, call, spec, prompt.target, inputs);
  }
  return undefined;
}

function recordInputs(interp: Interpreter, frame: Frame, call: CallArgs, spec: PromptFileSpec, target: string, inputs: Val): void {
  const record = (input: string, v: Val) => {
    const taints = deepTaints(v);
    if (!taints?.length) return;
    const sink: PromptTemplateSink = { kind: "prompt-template", label: `${path.posix.basename(target)} variable \`${input}\``, format: spec.format, target, input };
    recordHit(interp, frame, { spec: sink, taints, span: v.span ?? call.span, callSpan: call.span, callee: call.callee });
  };
  if (inputs.fields) {
    for (const [name, v] of inputs.fields) record(name, v);
    // Data spread in without known keys may fill any variable.
    if (inputs.taints?.length) record("*", { taints: inputs.taints, span: inputs.span });
  } else record("*", inputs);
}

function first<T>(selectors: ArgSelector[] | undefined, f: (sel: ArgSelector) => T | undefined): T | undefined {
  for (const sel of selectors ?? []) {
    const v = f(sel);
    if (v !== undefined) return v;
  }
  return undefined;
}

function carrying(symbol: string, carried: Carried): Val {
  return { symbol, fields: new Map([[CARRIER, { str: JSON.stringify(carried), constant: true }]]) };
}

function carriedBy(v: Val): Carried | undefined {
  const raw = v.fields?.get(CARRIER)?.str;
  return raw === undefined ? undefined : (JSON.parse(raw) as Carried);
}

/** A path whose last literal segment names a file of the format. */
function fileReference(interp: Interpreter, e: CallExpr, call: CallArgs, selectors: ArgSelector[], format: PromptFormat): { target: string } | undefined {
  const literal = literalText(interp, e, call, selectors);
  if (!literal || !literal.text.toLowerCase().endsWith(EXTENSIONS[format])) return undefined;
  const target = normalise(literal.text);
  return target ? { target } : undefined;
}

/** Genkit: `ai.prompt("support", { variant: "short" })` is `<promptDir>/support.short.prompt`. */
function namedReference(interp: Interpreter, e: CallExpr, call: CallArgs, spec: PromptFileSpec, receiver: Val | undefined): { target: string } | undefined {
  const name = literalText(interp, e, call, spec.name);
  if (!name) return undefined;
  const variant = literalText(interp, e, call, spec.variant)?.text;
  const dir = (receiver && carriedBy(receiver)?.dir) ?? spec.defaultDir ?? "";
  const target = normalise(`${dir}/${name.text}${variant ? `.${variant}` : ""}${EXTENSIONS[spec.format]}`);
  return target ? { target } : undefined;
}

/**
 * The text of an argument built from literals: a constant string, or the string literals inside
 * the argument's expression joined as path segments (`os.path.join(HERE, "prompts", "x.prompty")`,
 * `Path(__file__).parent / "x.prompty"`, `` `${dir}/x.prompty` ``).
 */
function literalText(interp: Interpreter, e: CallExpr, call: CallArgs, selectors: ArgSelector[] | undefined): { text: string } | undefined {
  const v = first(selectors, (sel) => argBySelector(sel, call, interp.isPython));
  if (!v) return undefined;
  if (v.str !== undefined) return { text: v.str };
  if (!v.span) return undefined;
  const within = v.span;
  const parts: string[] = [];
  const visit = (x: Expr): void => {
    if (x.span.end <= within.start || x.span.start >= within.end) return;
    if (x.kind === "str" && x.span.start >= within.start && x.span.end <= within.end) parts.push(x.value);
    else if (x.kind === "template" && x.span.start >= within.start && x.span.end <= within.end) {
      const text = x.parts.filter((p): p is string => typeof p === "string").join("/");
      if (text) parts.push(text);
      for (const p of x.parts) if (typeof p !== "string") visit(p);
    } else forEachChild(x, visit);
  };
  for (const a of e.args) visit(a.value);
  for (const k of e.kwargs) visit(k.value);
  if (!parts.length) return undefined;
  return { text: parts.join("/") };
}

/** `./prompts//x.prompty`, `../x.prompty`, `C:\\app\\x.prompty` → `prompts/x.prompty`, `x.prompty`, `app/x.prompty`. */
function normalise(text: string): string | undefined {
  const segments = text
    .split(/[\\/]+/)
    .filter((s) => s && s !== "." && s !== ".." && !/^[A-Za-z]:$/.test(s));
  return segments.length ? segments.join("/") : undefined;
}
