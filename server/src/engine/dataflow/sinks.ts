/**
 * Sink checks: given a call that SDK knowledge names as a sink, find the dangerous value
 * (an argument, a field inside it, the system messages of a message list, an argv) and
 * record which tainted data reaches it.
 */
import type { Span } from "../ir";
import type { ArgSelector, CheckSpec, SinkSpec } from "../models/schema";
import { deepTaints, type Taint, type Val } from "../values";
import type { Frame } from "./functions";
import { withSpan, type Interpreter } from "./interpreter";
import { wholeValueTaints } from "./sensitive";

export interface SinkHit {
  spec: SinkSpec;
  taints: readonly Taint[];
  /** The dangerous value's span: where the finding is reported. */
  span: Span;
  callSpan: Span;
  /** The called API, e.g. `subprocess.run`. */
  callee: string;
  /** For argv sinks: whether the model picks the program, a shell command, or only arguments. */
  detail?: "program" | "shell" | "argument";
  /** The value that reached the sink (rules that judge its shape: a whole prompt written to a log). */
  value?: Val;
}

export interface CallArgs {
  args: Array<{ value: Val; spread?: boolean; span?: Span }>;
  /** Keyword arguments, each carrying its own span. */
  kwargs: Map<string, Val>;
  span: Span;
  callee: string;
  /** The object a method is called on: the sink for `Path(p).read_text()`. */
  receiver?: Val;
}

const SYSTEM_ROLES = new Set(["system", "developer"]);
/** The selector for the object a method is called on. */
const RECEIVER = "$receiver";
const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "fish", "cmd", "cmd.exe", "powershell", "pwsh", "powershell.exe"]);

export function argBySelector(sel: ArgSelector, call: CallArgs, python: boolean): Val | undefined {
  if (sel === RECEIVER) return call.receiver;
  if (typeof sel === "number") {
    const a = call.args[sel];
    return a && !a.spread ? (a.span ? withSpan(a.value, a.span) : a.value) : undefined;
  }
  if (python) return call.kwargs.get(sel);
  for (const a of call.args) {
    const f = a.value.fields?.get(sel);
    if (f) return f;
  }
  return undefined;
}

function selectArg(spec: SinkSpec, call: CallArgs, python: boolean): Val | undefined {
  if (spec.arg === undefined) return undefined;
  const selectors = Array.isArray(spec.arg) ? spec.arg : [spec.arg];
  for (const sel of selectors) {
    let v = argBySelector(sel, call, python);
    if (!v) continue;
    for (const step of spec.path ?? []) {
      const next: Val | undefined = step
        .split("|")
        .map((k) => v!.fields?.get(k))
        .find((x) => x !== undefined);
      if (!next) return undefined;
      v = next;
    }
    return v;
  }
  return undefined;
}

export function truthy(v: Val | undefined): boolean {
  if (!v) return false;
  if (v.bool !== undefined) return v.bool;
  if (v.str !== undefined) return v.str.length > 0;
  if (v.num !== undefined) return v.num !== 0;
  if (v.elems) return v.elems.length > 0;
  if (v.fields) return v.fields.size > 0;
  // Not a literal: `shell=use_shell` may be true.
  return !v.constant;
}

function liveTaints(v: Val, spec: SinkSpec): readonly Taint[] {
  const ts = deepTaints(v) ?? [];
  return ts.filter((t) => !t.clearedFor?.includes(spec.kind));
}

/** System- and developer-role contents in a message list. */
function systemContents(list: Val): Val[] {
  const out: Val[] = [];
  for (const m of list.elems ?? []) {
    const role = m.fields?.get("role")?.str;
    if (role !== undefined) {
      if (SYSTEM_ROLES.has(role)) {
        const content = m.fields!.get("content") ?? m.fields!.get("parts");
        if (content) out.push(content);
      }
      continue;
    }
    const tupleRole = m.elems?.[0]?.str;
    if (tupleRole !== undefined && SYSTEM_ROLES.has(tupleRole) && m.elems![1]) out.push(m.elems![1]);
  }
  return out;
}

function argvParts(argv: Val): Array<{ v: Val; detail: SinkHit["detail"] }> {
  const elems = argv.elems;
  if (!elems || elems.length === 0) return [{ v: argv, detail: "program" }];
  const [program, ...rest] = elems;
  if (deepTaints(program)) return [{ v: program, detail: "program" }];
  const name = program.str?.split(/[\\/]/).pop();
  const viaShell = name !== undefined && SHELLS.has(name) && rest.some((r) => r.str === "-c" || r.str === "/c" || r.str === "-Command");
  return rest.filter((r) => deepTaints(r)).map((v) => ({ v, detail: viaShell ? "shell" : "argument" }));
}

export function checkSink(interp: Interpreter, frame: Frame, spec: SinkSpec, call: CallArgs): void {
  const python = interp.isPython;
  if (spec.when && !spec.when.every((sel) => truthy(argBySelector(sel, call, python)))) return;
  if (spec.whenNot && spec.whenNot.some((sel) => truthy(argBySelector(sel, call, python)))) return;
  if (spec.safeWhen?.some((safe) => safe.symbols.includes(argBySelector(safe.arg, call, python)?.symbol ?? ""))) return;
  const shape = spec.shape ?? "value";
  if (shape === "all-args" || shape === "every-arg") {
    for (const a of call.args) record(interp, frame, spec, a.span ? withSpan(a.value, a.span) : a.value, call);
    if (shape === "every-arg") for (const v of call.kwargs.values()) record(interp, frame, spec, v, call);
    return;
  }
  if (shape === "argv-rest") {
    const from = typeof spec.arg === "number" ? spec.arg : 0;
    const elems = call.args.slice(from).map((a) => (a.spread ? { taints: deepTaints(a.value), span: a.span } : a.span ? withSpan(a.value, a.span) : a.value));
    for (const p of argvParts({ elems })) record(interp, frame, spec, p.v, call, p.detail);
    return;
  }
  if (shape === "program-args") {
    const program = selectArg(spec, call, python);
    if (!program) return;
    const argsIndex = (typeof spec.arg === "number" ? spec.arg : 0) + 1;
    const rest = call.args[argsIndex]?.value;
    const elems = rest?.elems ?? (rest && deepTaints(rest) ? [rest] : []);
    for (const p of argvParts({ elems: [program, ...elems] })) record(interp, frame, spec, p.v, call, p.detail);
    return;
  }
  const v = selectArg(spec, call, python);
  if (!v) return;
  if (shape === "messages") {
    for (const content of systemContents(v)) record(interp, frame, spec, content, call);
    const wholeParam = v.taints?.find((t) => t.kind === "param");
    if (wholeParam && !v.elems && !frame.quiet) {
      frame.paramShapeSinks.push({ hit: { spec, taints: [], span: v.span ?? call.span, callSpan: call.span, callee: call.callee }, param: wholeParam.param! });
    }
    return;
  }
  if (spec.kind === "argv") {
    for (const p of argvParts(v)) record(interp, frame, spec, p.v, call, p.detail);
    return;
  }
  record(interp, frame, spec, v, call);
}

/** Re-checks a messages-shaped sink with the caller's value for the parameter that reached it. */
export function checkShapeWithActual(interp: Interpreter, frame: Frame, hit: SinkHit, actual: Val): void {
  for (const content of systemContents(actual)) record(interp, frame, hit.spec, content, { args: [], kwargs: new Map(), span: hit.callSpan, callee: hit.callee });
}

/** `el.innerHTML = value`: an assignment to a property that a model names as a sink. */
export function checkPropertySink(interp: Interpreter, frame: Frame, spec: SinkSpec, v: Val, span: Span, property: string): void {
  record(interp, frame, spec, withSpan(v, span), { args: [], kwargs: new Map(), span, callee: property });
}

/** A URL whose scheme and host are constant text cannot send the request elsewhere, whatever follows. */
export function hostIsFixed(v: Val): boolean {
  const known = v.str ?? v.prefix;
  return known !== undefined && /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+[/?#]/i.test(known);
}

function record(interp: Interpreter, frame: Frame, spec: SinkSpec, v: Val, call: CallArgs, detail?: SinkHit["detail"]): void {
  if (spec.kind === "url" && hostIsFixed(v)) return;
  if (spec.requiresPrefix && !new RegExp(spec.requiresPrefix).test(v.str ?? v.prefix ?? "")) return;
  let taints = approvedDropped(frame, liveTaints(v, spec));
  const span = v.span ?? call.span;
  if (spec.kind === "log") taints = wholeValueTaints(v, taints, span, interp.isPython);
  if (taints.length === 0 || frame.quiet) return;
  const real = taints.filter((t) => t.kind !== "param");
  const params = taints.filter((t) => t.kind === "param");
  const hit = { spec, span, callSpan: call.span, callee: call.callee, detail, value: v };
  if (real.length) interp.hits.push({ ...hit, taints: real });
  if (params.length) frame.paramHits.push({ ...hit, taints: params });
}

/** After a person approved the action, the tool's arguments are what they approved. */
function approvedDropped(frame: Frame, taints: readonly Taint[]): readonly Taint[] {
  return frame.approved ? taints.filter((t) => t.tool === undefined) : taints;
}

export function recordHit(interp: Interpreter, frame: Frame, hit: SinkHit): void {
  if (frame.quiet) return;
  const taints = approvedDropped(frame, hit.taints);
  const real = taints.filter((t) => t.kind !== "param");
  const params = taints.filter((t) => t.kind === "param");
  if (real.length) interp.hits.push({ ...hit, taints: real });
  if (params.length) frame.paramHits.push({ ...hit, taints: params });
}

/** A call that is a finding by itself (see CheckSpec). */
export interface CheckHit {
  check: CheckSpec;
  span: Span;
  callee: string;
}

const literalPatterns = new Map<string, RegExp>();
function literalPattern(source: string): RegExp {
  let re = literalPatterns.get(source);
  if (!re) literalPatterns.set(source, (re = new RegExp(source)));
  return re;
}

/**
 * A check's selector may name a field inside an argument (`config.max_output_tokens`). An
 * argument whose fields are unknown (built elsewhere) may hold the field: counted as set.
 */
function selectedTruthy(sel: ArgSelector, call: CallArgs, python: boolean): boolean {
  if (typeof sel !== "string" || !sel.includes(".")) return truthy(argBySelector(sel, call, python));
  const [head, ...rest] = sel.split(".");
  let v = argBySelector(head, call, python);
  for (const key of rest) {
    if (!v) return false;
    if (!v.fields) return true;
    v = v.fields.get(key);
  }
  return truthy(v);
}

function isNull(v: Val | undefined): boolean {
  return v !== undefined && v.constant === true && v.str === undefined && v.num === undefined && v.bool === undefined && !v.elems && !v.fields;
}

export function checkCall(interp: Interpreter, frame: Frame, check: CheckSpec, call: CallArgs): void {
  const python = interp.isPython;
  if (frame.quiet) return;
  if (check.within && !check.within.some((w) => (w === "loop" ? (frame.loopDepth ?? 0) > 0 : frame.handler))) return;
  if (check.when && !check.when.every((sel) => selectedTruthy(sel, call, python))) return;
  if (check.whenNot?.some((sel) => selectedTruthy(sel, call, python))) return;
  if (check.whenNull && !check.whenNull.every((sel) => isNull(argBySelector(sel, call, python)))) return;
  if (check.unlessLiteral) {
    const v = argBySelector(check.unlessLiteral.arg, call, python);
    // A non-literal value may be a pin; `None` is not.
    const pinned = v && (v.str !== undefined ? literalPattern(check.unlessLiteral.matches).test(v.str) : !v.constant);
    if (pinned) return;
  }
  const at = check.at !== undefined ? argBySelector(check.at, call, python) : undefined;
  interp.checkHits.push({ check, span: at?.span ?? call.span, callee: call.callee });
}
