/**
 * Calls: the heart of the SDK modelling. A call may be a local function (apply its
 * summary), a local class (an instance), a source (model output, request data), a
 * sink, a sanitizer, a barrier (`len`, `int`), a container mutation (`append`, `push`)
 * or unknown, in which case data flows from the receiver and the arguments into the
 * result.
 */
import type { Expr } from "../ir";
import { markScrubbed, readSensitive, sensitiveCallResult } from "./sensitive";
import { EMPTY, blend, deepTaints, joinVals, mapVal, unionTaints, withStep, type FunctionValue, type Taint, type Val } from "../values";
import { actualArgs, summarize, substitute, type Frame } from "./functions";
import { pipe, sourceMessage, withSpan, type Interpreter } from "./interpreter";
import type { HandlerSpec } from "../models/schema";
import { observePromptFileCall } from "../prompts/render";
import { argBySelector, checkCall, checkShapeWithActual, checkSink, recordHit, truthy, type CallArgs } from "./sinks";

type CallExpr = Extract<Expr, { kind: "call" }>;

const APPENDERS = new Set(["append", "push", "add", "appendleft"]);
const EXTENDERS = new Set(["extend", "concat_inplace"]);
const PREPENDERS = new Set(["unshift"]);
const KEYED_READS = new Set(["get", "pop", "setdefault", "getattr"]);
/** Builtins that return their argument's structure (a copy, a freeze, a set of the same strings). */
const PASS_THROUGH = new Set([
  "builtins.list",
  "builtins.tuple",
  "builtins.set",
  "builtins.frozenset",
  "builtins.sorted",
  "builtins.dict",
  "globalThis.Set",
  "globalThis.Array.from",
  "globalThis.Object.freeze",
  "globalThis.Promise.all",
  "globalThis.Promise.resolve",
  "globalThis.structuredClone",
  "util.promisify",
]);

export function evalCall(interp: Interpreter, e: CallExpr, frame: Frame): Val {
  let receiver: Val | undefined;
  let method: string | undefined;
  let callee: Val;
  if (e.callee.kind === "attr") {
    receiver = interp.eval(e.callee.object, frame);
    method = e.callee.name;
    callee = interp.attrOf(receiver, method, e.callee.nameSpan);
  } else callee = interp.eval(e.callee, frame);

  const args = e.args.map((a) => ({ value: interp.eval(a.value, frame), spread: a.spread, span: a.value.span }));
  const kwargs = new Map<string, Val>();
  for (const k of e.kwargs) {
    const v = interp.eval(k.value, frame);
    if (k.name === "**" && v.fields) for (const [name, fv] of v.fields) kwargs.set(name, fv);
    else kwargs.set(k.name, readSensitive(interp, withSpan(v, k.value.span), k.name, k.span, true));
  }
  const call: CallArgs = { args, kwargs, span: e.span, callee: callee.symbol ?? method ?? "", receiver: receiver && withSpan(receiver, e.callee.kind === "attr" ? e.callee.object.span : e.span) };

  if (callee.fnChoices || (callee.fn && callee.toolDispatch)) {
    const choices = callee.fnChoices ?? [callee.fn!];
    return choices.reduce<Val>((acc, fn) => joinVals(acc, callLocal(interp, frame, { fn }, callee.toolDispatch ? asToolCall(call, fn) : call, receiver)), EMPTY);
  }
  if (callee.fn) return callLocal(interp, frame, callee, call, receiver);
  if (callee.cls) {
    const ctor = callee.cls.methods.get(interp.isPython ? "__init__" : "constructor");
    const instance: Val = { instanceOf: callee.cls, symbol: callee.cls.baseSymbols[0] ? `${callee.cls.baseSymbols[0]}()` : undefined };
    if (ctor) callLocal(interp, frame, { fn: { def: ctor, scope: callee.cls.scope, owner: callee.cls } }, call, instance);
    return instance;
  }

  const symbol = callee.symbol;
  if (symbol) {
    for (const h of interp.kb.handlersByCallback(symbol)) registerCallbacks(interp, h, call);
    for (const check of interp.kb.checks(symbol)) checkCall(interp, frame, check, call);
    if (interp.kb.isApproval(symbol)) {
      frame.approved = true;
      interp.humanCalls++;
    }
  }
  for (const spec of interp.kb.sinks(symbol, method)) checkSink(interp, frame, spec, call);
  // Prompt template files: a load yields the prompt it names; a render records its variables' data.
  const promptFile = observePromptFileCall(interp, frame, e, call, callee, receiver);
  if (promptFile) return promptFile;

  if (method === "pipe" && receiver && args.length === 1 && (receiver.symbol || args[0].value.symbol)) return pipe(interp, receiver, args[0].value);
  if (receiver && method && e.callee.kind === "attr" && e.callee.object.kind === "name") {
    const mutated = mutate(method, receiver, args);
    if (mutated) {
      interp.updateContainer(e.callee.object.name, frame, () => mutated);
      return EMPTY;
    }
  }

  const sources = interp.kb.callSources(symbol, method).filter((s) => {
    if (s.unlessConstant === undefined) return true;
    const input = s.unlessConstant === "receiver" ? receiver : args[s.unlessConstant]?.value;
    return !input?.constant;
  });
  if (sources.length) {
    if (sources.some((s) => s.kind === "model")) interp.modelCalls++;
    const taints: Taint[] = sources.map((s) => ({ kind: s.kind, label: s.label, origin: { span: e.span, message: sourceMessage(s.label, s.kind) }, steps: null }));
    return { taints, symbol: symbol && `${symbol}()` };
  }
  if (interp.kb.isBarrier(symbol, method)) return EMPTY;
  if (symbol && PASS_THROUGH.has(symbol)) {
    if (args.length === 1 && !args[0].spread) return args[0].value;
    if (args.length === 0 && kwargs.size) return { fields: kwargs, constant: [...kwargs.values()].every((v) => v.constant) };
  }
  const result = sensitiveCallResult(interp, defaultResult(interp, symbol, method, receiver, call, e.isNew), symbol, method, receiver, call);
  const sanitized = sanitize(interp, result, symbol, method, receiver);
  const relativeArg = symbol !== undefined ? RELATIVE_PATH[symbol] : undefined;
  const relativeOf = relativeArg !== undefined ? e.args[relativeArg]?.value : undefined;
  return relativeOf?.kind === "name" ? { ...sanitized, relativeOf: relativeOf.name } : sanitized;
}

/** Functions that give a path relative to a root, and which argument is the path. */
const RELATIVE_PATH: Record<string, number> = { "path.relative": 1, "node:path.relative": 1, "os.path.relpath": 0, "posixpath.relpath": 0 };

/** `TOOLS[call.function.name]`: a function picked by the model's choice of name is one of its tools. */
export function markDispatch(picked: Val, key: Val | undefined): Val {
  if (!(picked.fn || picked.fnChoices) || !key) return picked;
  return deepTaints(key)?.some((t) => t.kind === "model") ? { ...picked, toolDispatch: true } : picked;
}

/** The model's output passed to a function it picked by name is that tool's arguments. */
function asToolCall(call: CallArgs, fn: FunctionValue): CallArgs {
  const name = fn.def.name;
  const mark = (v: Val): Val =>
    mapVal(v, (ts) => ts?.map((t) => (t.kind === "model" && !t.tool ? { ...t, tool: name, label: `the arguments of tool \`${name}\` (${t.label})` } : t)));
  return { ...call, args: call.args.map((a) => ({ ...a, value: mark(a.value) })), kwargs: new Map([...call.kwargs].map(([k, v]) => [k, mark(v)])) };
}

/** `Tool(func=f)`, `tool({ execute })`, `create_react_agent(llm, tools=[f, g])`, `app.get(path, handler)`. */
function registerCallbacks(interp: Interpreter, h: HandlerSpec, call: CallArgs): void {
  const python = interp.isPython;
  if (h.unlessArg?.some((sel) => truthy(argBySelector(sel, call, python)))) return;
  const candidates = h.callbackArg ? h.callbackArg.map((sel) => argBySelector(sel, call, python)) : call.args.map((a) => a.value);
  for (const v of candidates) {
    for (const f of v?.fn ? [v] : (v?.elems ?? [])) if (f.fn) interp.registerHandler(f.fn, [h]);
  }
}

/** Data flows from the receiver and every argument into the result; keyword-only constructors keep their fields. */
function defaultResult(interp: Interpreter, symbol: string | undefined, method: string | undefined, receiver: Val | undefined, call: CallArgs, isNew?: boolean): Val {
  const { args, kwargs } = call;
  if (receiver && method && KEYED_READS.has(method)) {
    const key = args[0]?.value;
    const known = key?.str !== undefined ? receiver.fields?.get(key.str) : undefined;
    // A lookup keyed by untrusted input in a constant table yields the table's data, not the key.
    const fallback = args.slice(1).map((a) => a.value);
    if (known) return joinVals(known, blend(fallback));
    const functions = [...(receiver.fields?.values() ?? [])].filter((v) => v.fn);
    if (functions.length) return markDispatch(functions.reduce<Val>((acc, v) => joinVals(acc, v), EMPTY), key);
    const table = blend([receiver, ...fallback]);
    return receiver.constant && fallback.every((f) => f.constant) ? { ...table, constant: true } : { ...table, symbol: symbol && `${symbol}()` };
  }
  let taints: Val["taints"] = receiver ? deepTaints(receiver) : undefined;
  for (const a of args) taints = unionTaints(taints, deepTaints(a.value));
  for (const v of kwargs.values()) taints = unionTaints(taints, deepTaints(v));
  const out: Val = { taints, symbol: symbol && `${symbol}()` };
  if (interp.isPython && kwargs.size) out.fields = kwargs;
  // A JS object built from an options object keeps the options (`new MarkdownIt({ html: true })`).
  if (isNew && args.some((a) => a.value.fields)) out.fields = new Map(args.flatMap((a) => [...(a.value.fields ?? [])]));
  const constant = (!receiver || receiver.constant) && args.every((a) => a.value.constant) && [...kwargs.values()].every((v) => v.constant);
  if (constant && (receiver?.constant || args.length > 0)) {
    out.constant = true;
    if (receiver?.str !== undefined && !args.length) out.str = receiver.str;
  }
  return out;
}

function sanitize(interp: Interpreter, v: Val, symbol: string | undefined, method: string | undefined, receiver?: Val): Val {
  // A renderer configured to let raw HTML through (`new MarkdownIt({ html: true })`) sanitises nothing.
  const specs = interp.kb.sanitizers(symbol, method).filter((spec) => !spec.receiverWhenNot?.some((field) => receiver?.fields?.get(field)?.bool === true));
  if (!specs.length) return v;
  const sanitized = specs.reduce(
    (acc, spec) =>
      mapVal(acc, (ts) => {
        if (!ts) return ts;
        const out: Taint[] = [];
        for (const t of ts) {
          if (spec.kinds && !spec.kinds.includes(t.kind as never)) out.push(t);
          else if (spec.sinks) out.push({ ...t, clearedFor: [...(t.clearedFor ?? []), ...spec.sinks] });
        }
        return out.length ? out : undefined;
      }),
    v,
  );
  return markScrubbed(specs, sanitized);
}

/** `list.append(x)`, `arr.push(...xs)`, `list.extend(xs)`, `arr.unshift(x)`, `d.update(e)`: the container after the call. */
function mutate(method: string, receiver: Val, args: Array<{ value: Val; spread?: boolean }>): Val | undefined {
  if (receiver.fn || receiver.cls || receiver.symbol) return undefined;
  const items = args.flatMap((a) => (a.spread ? a.value.elems ?? [blend([a.value])] : [a.value]));
  if (APPENDERS.has(method)) return withElems(receiver, [...(receiver.elems ?? []), ...items]);
  if (PREPENDERS.has(method)) return withElems(receiver, [...items, ...(receiver.elems ?? [])]);
  if (EXTENDERS.has(method) && args[0]) return withElems(receiver, [...(receiver.elems ?? []), ...(args[0].value.elems ?? [blend([args[0].value])])]);
  if (method === "insert" && args.length === 2) {
    const at = args[0].value.num ?? 0;
    const elems = [...(receiver.elems ?? [])];
    elems.splice(at, 0, args[1].value);
    return withElems(receiver, elems);
  }
  if (method === "update" && args[0]?.value.fields && receiver.fields) return { ...receiver, fields: new Map([...receiver.fields, ...args[0].value.fields]) };
  return undefined;
}

function withElems(receiver: Val, elems: Val[]): Val {
  return { ...receiver, elems, constant: receiver.constant && elems.every((e) => e.constant) };
}

/** A call of a function defined in this file: its summary applied to the actual arguments. */
function callLocal(interp: Interpreter, frame: Frame, callee: Val, call: CallArgs, receiver: Val | undefined): Val {
  const fn = callee.fn!;
  const self = callee.bound ?? (fn.owner && receiver?.instanceOf === fn.owner ? receiver : undefined);
  const summary = summarize(interp, fn);
  if (summary.callsModel) interp.modelCalls++;
  // `if not confirm_tool_call(name, args): return`: a helper of the app's own that asks first.
  if (summary.asksHuman) {
    frame.approved = true;
    interp.humanCalls++;
  }
  const actuals = actualArgs(interp, fn, self, call.args, call.kwargs);
  const name = fn.def.name === "<lambda>" ? "the function" : `\`${fn.def.name}()\``;
  const passed = { span: call.span, message: `passed to ${name}` };
  for (const hit of summary.paramHits) {
    const taints = deepTaints(substitute({ taints: hit.taints }, actuals, passed));
    if (taints) recordHit(interp, frame, { ...hit, taints });
  }
  for (const { hit, param } of summary.paramShapeSinks) {
    const actual = actuals.get(param);
    if (actual) checkShapeWithActual(interp, frame, hit, actual);
  }
  let ret = substitute(summary.ret, actuals, passed);
  if (deepTaints(ret)) ret = withStep(ret, { span: call.span, message: `returned from ${name}` });
  return sanitize(interp, ret, fn.def.name, undefined);
}
