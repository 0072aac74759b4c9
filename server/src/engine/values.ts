/**
 * Abstract values of the dataflow: what a variable may hold.
 *
 * A value carries taints (where untrusted data or model output in it came from, with
 * the steps it took), the SDK symbol it was reached by (for API matching), a known
 * constant string, and structure for containers (object fields, ordered elements) so
 * that a message list keeps which content belongs to which role.
 */
import type { Span } from "./ir";
import type { SinkKind, TaintKind } from "./models/schema";
import type { FunctionDef, Stmt } from "./ir";

export interface Step {
  span: Span;
  message: string;
}

/** Immutable list of steps, newest last, shared between taints. */
export interface StepList {
  step: Step;
  prev: StepList | null;
  length: number;
}

export interface Taint {
  /** "param" taints stand for a parameter while a function summary is computed. */
  kind: TaintKind | "param";
  param?: number;
  /** What produced the data: "Flask request.args", "OpenAI chat completion". */
  label: string;
  origin: Step;
  steps: StepList | null;
  /** Sink kinds this data was made safe for (shlex.quote → shell). */
  clearedFor?: readonly SinkKind[];
  /** Set on model output that arrives as the argument of an agent tool: the tool's name. */
  tool?: string;
}

export interface FunctionValue {
  def: FunctionDef;
  /** Scope the function closes over. */
  scope: Scope;
  /** Set for methods: the class they belong to. */
  owner?: ClassValue;
}

export interface ClassValue {
  name: string;
  body: Stmt[];
  scope: Scope;
  /** Symbols of base classes that resolved to an SDK (`pydantic.BaseModel`). */
  baseSymbols: string[];
  methods: Map<string, FunctionDef>;
  /** `self.x = …` / `this.x = …` values gathered from every method, computed on first use. */
  fields?: Map<string, Val>;
}

export interface Val {
  taints?: readonly Taint[];
  symbol?: string;
  str?: string;
  /** Known constant text at the start of a built string (`f"https://api.x.com/{q}"`). */
  prefix?: string;
  num?: number;
  bool?: boolean;
  /** A literal string, number, boolean or None, or a container of only such literals. */
  constant?: boolean;
  fields?: ReadonlyMap<string, Val>;
  elems?: readonly Val[];
  fn?: FunctionValue;
  /** Several functions this may be (`TOOLS[name]`, `a if c else b`); a call runs each. */
  fnChoices?: readonly FunctionValue[];
  /** `path.relative(root, full)` / `os.path.relpath(full, root)`: the variable whose place inside a root this tells. */
  relativeOf?: string;
  /** Picked from a table of functions by a model-chosen name: the functions are the model's tools. */
  toolDispatch?: boolean;
  cls?: ClassValue;
  /** An instance of a class defined in this file. */
  instanceOf?: ClassValue;
  /** For a method read off an instance: the instance, passed as `self`. */
  bound?: Val;
  /** Where the expression that produced this value is. */
  span?: Span;
  /** A redaction, masking or hashing helper produced this value: the name it is bound to no longer says what it holds. */
  scrubbed?: boolean;
}

export interface Scope {
  vars: Map<string, Val>;
  parent: Scope | null;
}

export const EMPTY: Val = Object.freeze({});

const MAX_STEPS = 16;
const MAX_TAINTS = 8;
const MAX_DEPTH = 5;

export function addStep(list: StepList | null, step: Step): StepList {
  if (list && list.length >= MAX_STEPS) return list;
  if (list && list.step.span.start === step.span.start && list.step.message === step.message) return list;
  return { step, prev: list, length: (list?.length ?? 0) + 1 };
}

export function stepsToArray(list: StepList | null): Step[] {
  const out: Step[] = [];
  for (let l = list; l; l = l.prev) out.push(l.step);
  return out.reverse();
}

/** Same data from the same place, equally cleaned: a branch that checked it and one that did not stay apart. */
function sameOrigin(a: Taint, b: Taint): boolean {
  return (
    a.kind === b.kind &&
    a.param === b.param &&
    a.origin.span.start === b.origin.span.start &&
    a.label === b.label &&
    (a.clearedFor?.join() ?? "") === (b.clearedFor?.join() ?? "")
  );
}

export function unionTaints(a: readonly Taint[] | undefined, b: readonly Taint[] | undefined): readonly Taint[] | undefined {
  if (!a || a.length === 0) return b && b.length ? b : undefined;
  if (!b || b.length === 0) return a;
  let out: Taint[] | null = null;
  for (const t of b) {
    if ((out ?? a).some((x) => sameOrigin(x, t))) continue;
    if ((out ?? a).length >= MAX_TAINTS) break;
    out ??= [...a];
    out.push(t);
  }
  return out ?? a;
}

/** Every taint in a value, including inside its fields and elements. */
export function deepTaints(v: Val | undefined, depth = 0): readonly Taint[] | undefined {
  if (!v) return undefined;
  let out = v.taints;
  if (depth >= MAX_DEPTH) return out;
  if (v.fields) for (const f of v.fields.values()) out = unionTaints(out, deepTaints(f, depth + 1));
  if (v.elems) for (const e of v.elems) out = unionTaints(out, deepTaints(e, depth + 1));
  return out;
}

export function isTainted(v: Val | undefined): boolean {
  const t = deepTaints(v);
  return !!t && t.length > 0;
}

/** A value that may be either `a` or `b` (branches, `or`, `??`). Structure is kept only when both agree. */
export function joinVals(a: Val | undefined, b: Val | undefined): Val {
  if (!a || a === EMPTY) return b ?? EMPTY;
  if (!b || b === EMPTY || a === b) return a;
  const out: Val = {
    taints: unionTaints(a.taints, b.taints),
    symbol: a.symbol ?? b.symbol,
    fn: a.fn ?? b.fn,
    fnChoices: functionChoices(a, b),
    cls: a.cls ?? b.cls,
    instanceOf: a.instanceOf ?? b.instanceOf,
    constant: a.constant && b.constant,
    str: a.str === b.str ? a.str : undefined,
    span: a.span ?? b.span,
  };
  if (a.fields || b.fields) {
    const fields = new Map(a.fields ?? []);
    for (const [k, v] of b.fields ?? []) fields.set(k, joinVals(fields.get(k), v));
    out.fields = fields;
  }
  if (a.elems && b.elems) out.elems = a.elems.length >= b.elems.length ? a.elems : b.elems;
  else if (a.elems || b.elems) out.taints = unionTaints(out.taints, deepTaints(a.elems ? a : b));
  return out;
}

function functionChoices(a: Val, b: Val): readonly FunctionValue[] | undefined {
  const all = [...(a.fnChoices ?? (a.fn ? [a.fn] : [])), ...(b.fnChoices ?? (b.fn ? [b.fn] : []))];
  const unique = all.filter((f, i) => all.findIndex((g) => g.def === f.def) === i);
  return unique.length > 1 ? unique : undefined;
}

/** The data of several values combined into one opaque value (string building, unknown calls). */
export function blend(vals: Iterable<Val | undefined>, span?: Span): Val {
  let taints: readonly Taint[] | undefined;
  for (const v of vals) taints = unionTaints(taints, deepTaints(v));
  return taints ? { taints, span } : span ? { span } : EMPTY;
}

export function withStep(v: Val, step: Step): Val {
  if (!v.taints && !v.fields && !v.elems) return v;
  const mapTaints = (ts: readonly Taint[] | undefined) => ts?.map((t) => ({ ...t, steps: addStep(t.steps, step) }));
  return mapVal(v, mapTaints);
}

/** Applies `f` to the taints of `v` and of everything inside it. */
export function mapVal(v: Val, f: (ts: readonly Taint[] | undefined) => readonly Taint[] | undefined, depth = 0): Val {
  if (depth > MAX_DEPTH) return v;
  const out: Val = { ...v, taints: f(v.taints) };
  if (v.fields) {
    const fields = new Map<string, Val>();
    for (const [k, x] of v.fields) fields.set(k, mapVal(x, f, depth + 1));
    out.fields = fields;
  }
  if (v.elems) out.elems = v.elems.map((x) => mapVal(x, f, depth + 1));
  return out;
}

/** Drops the taints `drop` selects, everywhere inside `v`. */
export function removeTaints(v: Val, drop: (t: Taint) => boolean): Val {
  return mapVal(v, (ts) => {
    if (!ts) return ts;
    const kept = ts.filter((t) => !drop(t));
    return kept.length ? kept : undefined;
  });
}

export function lookup(scope: Scope | null, name: string): Val | undefined {
  for (let s = scope; s; s = s.parent) {
    const v = s.vars.get(name);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function childScope(parent: Scope | null): Scope {
  return { vars: new Map(), parent };
}
