/**
 * Functions: entry points, parameters, summaries and classes.
 *
 * Every function is analysed once as an entry point. Its parameters are placeholders
 * ("param" taints) unless the function is a registered handler, in which case the
 * parameters the framework fills from a request are untrusted. The same run yields the
 * function's summary: what its return value holds in terms of its parameters, and
 * which sinks its parameters reach. A call of a function defined in the file applies
 * the summary to the actual arguments, so helpers that build prompts or wrap an LLM
 * call are followed.
 */
import type { FunctionDef, Param, Pattern, Span, Stmt } from "../ir";
import type { HandlerSpec } from "../models/schema";
import {
  EMPTY,
  childScope,
  deepTaints,
  joinVals,
  mapVal,
  unionTaints,
  type ClassValue,
  type FunctionValue,
  type Scope,
  type StepList,
  type Taint,
  type Val,
} from "../values";
import type { Interpreter } from "./interpreter";
import { sourceMessage } from "./interpreter";
import type { SinkHit } from "./sinks";

export interface Frame {
  scope: Scope;
  def: FunctionDef;
  owner?: ClassValue;
  /** The instance `self` / `this` stands for. */
  self?: Val;
  returns: Val[];
  /** `self.x = …` assignments made in this frame. */
  ownFields: Map<string, Val>;
  /** Sink hits reached by parameters: the summary's second half. */
  paramHits: SinkHit[];
  /** Messages-shaped sinks that received a parameter as a whole: checked again with the caller's value. */
  paramShapeSinks: Array<{ hit: SinkHit; param: number }>;
  /** When set, sink hits are not recorded (evaluation only gathers class fields). */
  quiet?: boolean;
  /** A person approved what follows (an approval call ran earlier in this frame): tool arguments no longer count. */
  approved?: boolean;
  /** Loops around the code being evaluated, in this frame. */
  loopDepth?: number;
  /** The function is one a framework calls per request or per tool call. */
  handler?: boolean;
}

export interface Summary {
  ret: Val;
  /** The function calls an LLM (so a loop calling it is an agent loop). */
  callsModel: boolean;
  /** The function asks a person (`input()`, a confirmation): calling it is an approval step too. */
  asksHuman: boolean;
  paramHits: SinkHit[];
  paramShapeSinks: Array<{ hit: SinkHit; param: number }>;
}

const NO_SUMMARY: Summary = { ret: EMPTY, paramHits: [], paramShapeSinks: [], callsModel: false, asksHuman: false };

export function newFrame(def: FunctionDef, scope: Scope, owner?: ClassValue): Frame {
  return { scope: childScope(scope), def, owner, returns: [], ownFields: new Map(), paramHits: [], paramShapeSinks: [] };
}

function isSelfParam(interp: Interpreter, def: FunctionDef, p: Param, owner?: ClassValue): boolean {
  if (!interp.isPython || !owner || p.index !== 0) return false;
  const staticMethod = def.decorators.some((d) => d.kind === "name" && d.name === "staticmethod");
  return !staticMethod;
}

/** The value a parameter starts with: a placeholder taint, its annotated type, and handler taint. */
function paramValue(interp: Interpreter, frame: Frame, p: Param, handlers: HandlerSpec[], placeholder: boolean): Val {
  let v: Val = placeholder
    ? { taints: [{ kind: "param", param: p.index, label: p.name, origin: { span: p.span, message: `parameter \`${p.name}\`` }, steps: null }] }
    : {};
  if (p.annotation) v = { ...v, ...interp.instanceOfType(p.annotation, frame) };
  // A parameter's name says its type only when no annotation does (Django's `request`).
  for (const t of v.symbol ? [] : interp.kb.paramTypes(p.name)) {
    if (interp.file.imports.some((i) => i.module === t.whenImported || i.module.startsWith(`${t.whenImported}.`))) v = { ...v, symbol: `${t.type}()` };
  }
  for (const h of handlers) {
    const marked = h.params === "all" ? "untrusted" : h.params[String(p.index)];
    if (!marked || (h.params === "all" && skipsParam(interp, frame, h, p))) continue;
    if (marked === "untrusted") {
      const taint = h.taint === "tool" ? toolTaint(frame, p.name, p.span, h) : requestTaint(p, h);
      v = { ...v, taints: unionTaints(v.taints, [taint]) };
    } else v = { ...v, symbol: `${interp.kb.canonicalSymbol(marked)}()` };
  }
  return { ...v, span: p.span };
}

function requestTaint(p: Param, h: HandlerSpec): Taint {
  const label = p.name.startsWith("$") ? h.label : `${h.label} \`${p.name}\``;
  return { kind: "untrusted", label, origin: { span: p.span, message: sourceMessage(label, "untrusted") }, steps: null };
}

/** Names that say how a framework calls a tool's function, not which tool it is. */
const FRAMEWORK_METHOD_NAMES = new Set(["execute", "func", "coroutine", "_call", "_run", "_arun", "forward", "<lambda>", ""]);

/** A tool's parameters are filled by the model that calls the tool. */
function toolTaint(frame: Frame, argumentName: string, span: Span, h: HandlerSpec): Taint {
  const name = frame.def.name;
  const tool = !FRAMEWORK_METHOD_NAMES.has(name) && /^[A-Za-z_$][\w$]*$/.test(name) ? name : (frame.owner?.name ?? "");
  const argument = argumentName.startsWith("$") ? "an argument" : `argument \`${argumentName}\``;
  const label = tool ? `${argument} of tool \`${tool}\`` : `${argument} of ${h.label}`;
  return { kind: "model", tool: tool || h.label, label, origin: { span, message: `the model chooses ${label}` }, steps: null };
}

/** `async ({ command }) => …`: each destructured tool argument is named by its own key. */
function nameToolArguments(frame: Frame, pattern: Pattern, handlers: HandlerSpec[]): void {
  const h = handlers.find((x) => x.taint === "tool");
  if (!h || pattern.kind !== "object") return;
  for (const prop of pattern.properties) {
    if (prop.value.kind !== "name") continue;
    const current = frame.scope.vars.get(prop.value.name);
    if (!current?.taints?.some((t) => t.tool !== undefined)) continue;
    const own = toolTaint(frame, prop.key, prop.value.span, h);
    frame.scope.vars.set(prop.value.name, { ...current, taints: current.taints.map((t) => (t.tool !== undefined ? own : t)) });
  }
}

function skipsParam(interp: Interpreter, frame: Frame, h: HandlerSpec, p: Param): boolean {
  if (p.kwrest) return false;
  if (h.skipDefaults && p.defaultValue?.kind === "call") {
    const callee = interp.evalQuiet(p.defaultValue.callee, frame).symbol;
    if (callee && h.skipDefaults.includes(callee)) return true;
  }
  if (h.skipTypes && p.annotation) {
    const type = interp.evalQuiet(p.annotation, frame).symbol;
    if (type && h.skipTypes.includes(type)) return true;
  }
  return false;
}

function bindParams(interp: Interpreter, frame: Frame, handlers: HandlerSpec[], placeholder: boolean): void {
  const { def, owner } = frame;
  if (owner) frame.self = { instanceOf: owner };
  for (const p of def.params) {
    if (isSelfParam(interp, def, p, owner)) {
      frame.scope.vars.set(p.name, frame.self!);
      continue;
    }
    const v = paramValue(interp, frame, p, handlers, placeholder);
    frame.scope.vars.set(p.name, v);
    if (p.pattern) {
      interp.bind(p.pattern, v, frame, p.span);
      nameToolArguments(frame, p.pattern, handlers);
    }
  }
}

function handlersFor(interp: Interpreter, def: FunctionDef): HandlerSpec[] {
  const registered = interp.handlerOf.get(def) ?? [];
  const exported = def.exported ? interp.kb.handlersByExportedName(def.name) : [];
  return exported.length ? [...registered, ...exported] : registered;
}

function run(interp: Interpreter, fn: FunctionValue, handlers: HandlerSpec[]): Frame {
  const frame = newFrame(fn.def, fn.scope, fn.owner);
  frame.handler = handlers.length > 0;
  bindParams(interp, frame, handlers, true);
  interp.execBlock(fn.def.body, frame);
  return frame;
}

export function summarize(interp: Interpreter, fn: FunctionValue): Summary {
  const cached = interp.summaries.get(fn.def);
  if (cached === "pending") return NO_SUMMARY;
  if (cached) return cached;
  interp.summaries.set(fn.def, "pending");
  const modelCallsBefore = interp.modelCalls;
  const humanCallsBefore = interp.humanCalls;
  const frame = run(interp, fn, []);
  const summary: Summary = {
    ret: frame.returns.reduce<Val>((acc, v) => joinVals(acc, v), EMPTY),
    paramHits: frame.paramHits,
    paramShapeSinks: frame.paramShapeSinks,
    callsModel: interp.modelCalls > modelCallsBefore,
    asksHuman: interp.humanCalls > humanCallsBefore,
  };
  interp.summaries.set(fn.def, summary);
  return summary;
}

/** Analyses a function as an entry point (its own sources reaching its own sinks). */
export function analyzeEntry(interp: Interpreter, fn: FunctionValue): void {
  const handlers = handlersFor(interp, fn.def);
  if (handlers.length === 0) summarize(interp, fn);
  else run(interp, fn, handlers);
}

/** Actual argument values, by parameter index, for a call of `def`. */
export function actualArgs(
  interp: Interpreter,
  fn: FunctionValue,
  receiver: Val | undefined,
  args: Array<{ value: Val; spread?: boolean }>,
  kwargs: Map<string, Val>,
): Map<number, Val> {
  const out = new Map<number, Val>();
  const positional = [...args];
  const params = fn.def.params;
  const selfTaken = fn.owner !== undefined && params[0] !== undefined && isSelfParam(interp, fn.def, params[0], fn.owner);
  if (selfTaken && receiver) out.set(0, receiver);
  let i = selfTaken ? 1 : 0;
  for (; i < params.length; i++) {
    const p = params[i];
    if (p.rest) {
      out.set(i, { elems: positional.map((a) => a.value) });
      positional.length = 0;
      continue;
    }
    if (p.kwrest) {
      out.set(i, { fields: kwargs });
      continue;
    }
    const next = positional.shift();
    // `f(**json.loads(args))`: a dict of unknown keys may fill any parameter not given otherwise.
    const unpacked = kwargs.get("**");
    const v = next ? (next.spread ? { taints: deepTaints(next.value) } : next.value) : (kwargs.get(p.name) ?? (unpacked && { taints: deepTaints(unpacked) }));
    if (v) out.set(i, v);
  }
  return out;
}

function concatSteps(base: StepList | null, inner: StepList | null): StepList | null {
  if (!inner) return base;
  const prefix = concatSteps(base, inner.prev);
  const length = (prefix?.length ?? 0) + 1;
  return length > 16 ? prefix : { step: inner.step, prev: prefix, length };
}

/** Replaces parameter placeholders in `v` with the data of the actual arguments. */
export function substitute(v: Val, actuals: Map<number, Val>, callStep: { span: Span; message: string }): Val {
  return mapVal(v, (ts) => {
    if (!ts || !ts.some((t) => t.kind === "param")) return ts;
    let out: readonly Taint[] | undefined;
    for (const t of ts) {
      if (t.kind !== "param") {
        out = unionTaints(out, [t]);
        continue;
      }
      const actual = deepTaints(actuals.get(t.param!));
      if (!actual) continue;
      // What the function did to its parameter (`shlex.quote(x)`) applies to the caller's data.
      const cleared = t.clearedFor;
      const mapped = actual.map((a) => ({
        ...a,
        steps: concatSteps({ step: callStep, prev: a.steps, length: (a.steps?.length ?? 0) + 1 }, t.steps),
        ...(cleared ? { clearedFor: [...new Set([...(a.clearedFor ?? []), ...cleared])] } : {}),
      }));
      out = unionTaints(out, mapped);
    }
    return out;
  });
}

export function classValue(interp: Interpreter, s: Extract<Stmt, { kind: "class" }>, frame: Frame): ClassValue {
  const methods = new Map<string, FunctionDef>();
  for (const m of s.body) if (m.kind === "function") methods.set(m.func.name, m.func);
  const baseSymbols = s.bases.map((b) => interp.evalQuiet(b, frame).symbol).filter((x): x is string => !!x);
  return { name: s.name, body: s.body, scope: childScope(frame.scope), baseSymbols, methods };
}

/** `self.x = …` / `this.x = …` from every method, and JS class field initialisers. */
export function classFields(interp: Interpreter, cls: ClassValue): Map<string, Val> {
  if (cls.fields) return cls.fields;
  const fields = new Map<string, Val>();
  cls.fields = fields;
  for (const def of cls.methods.values()) {
    if (!assignsSelf(def.body)) continue;
    const frame = newFrame(def, cls.scope, cls);
    frame.quiet = true;
    bindParams(interp, frame, [], false);
    interp.execBlock(def.body, frame);
    for (const [k, v] of frame.ownFields) fields.set(k, joinVals(fields.get(k), v));
  }
  const initFrame = newFrame({ ...EMPTY_DEF, body: cls.body }, cls.scope, cls);
  initFrame.quiet = true;
  initFrame.self = { instanceOf: cls };
  for (const s of cls.body) if (s.kind === "assign") interp.execBlock([s], initFrame);
  // Python class attributes are plain names in the class body; JS class fields arrive as `this.x` assignments.
  for (const [k, v] of [...initFrame.scope.vars, ...initFrame.ownFields]) fields.set(k, joinVals(fields.get(k), v));
  return fields;
}

/** Whether a method body assigns `self.x` / `this.x` anywhere (only those methods are run to gather fields). */
function assignsSelf(stmts: readonly Stmt[]): boolean {
  return stmts.some((s) => {
    switch (s.kind) {
      case "assign":
        return s.target.kind === "attr" && s.target.object.kind === "name" && (s.target.object.name === "self" || s.target.object.name === "this");
      case "if":
        return assignsSelf(s.then) || assignsSelf(s.else);
      case "loop":
        return assignsSelf(s.body);
      case "try":
        return assignsSelf(s.body) || s.handlers.some((h) => assignsSelf(h.body)) || assignsSelf(s.finally);
      default:
        return false;
    }
  });
}

const EMPTY_DEF: FunctionDef = {
  name: "<class>",
  params: [],
  body: [],
  decorators: [],
  isAsync: false,
  span: { start: 0, end: 0 },
  nameSpan: { start: 0, end: 0 },
};
