/**
 * Abstract interpretation of the IR: evaluates statements and expressions to values
 * that carry taints, SDK symbols and container structure. Calls are delegated to
 * calls.ts, function entry and summaries to functions.ts.
 */
import type { Expr, FunctionDef, IRFile, Pattern, Span, Stmt } from "../ir";
import type { Knowledge } from "../models/knowledge";
import type { HandlerSpec } from "../models/schema";
import {
  EMPTY,
  blend,
  childScope,
  deepTaints,
  joinVals,
  lookup,
  mapVal,
  removeTaints,
  unionTaints,
  type ClassValue,
  type FunctionValue,
  type Scope,
  type Val,
} from "../values";
import { evalCall, markDispatch } from "./calls";
import { isTrue, isUncapped, loopHead, UNCAPPED_LOOP } from "./loops";
import { literalValue, readSensitive } from "./sensitive";
import { bindPattern } from "./bind";
import { guardOf, type Guard } from "./guards";
import type { CheckHit, SinkHit } from "./sinks";
import { classValue, classFields, type Frame, type Summary } from "./functions";

export class AnalysisTimeout extends Error {}

const LOCATION_NAMES = new Set(["__file__", "__dirname", "__filename", "import.meta"]);

export class Interpreter {
  readonly hits: SinkHit[] = [];
  readonly checkHits: CheckHit[] = [];
  readonly summaries = new Map<FunctionDef, Summary | "pending">();
  /** Handler registrations found while evaluating (decorators, router callbacks). */
  readonly handlerOf = new Map<FunctionDef, HandlerSpec[]>();
  /** Functions met during evaluation, each analysed as an entry point (again if it is registered as a handler later). */
  readonly pendingRoots: Array<{ def: FunctionDef; scope: Scope; owner?: ClassValue }> = [];
  /** Entry points analysed so far, with the number of handler registrations they were analysed with. */
  readonly analysedRoots = new Map<FunctionDef, number>();
  readonly moduleScope: Scope;
  private ticks = 0;
  /** LLM calls evaluated so far (a loop that makes some is an agent loop). */
  modelCalls = 0;
  /** Calls that wait for a person (`input()`, a confirmation): a loop that makes some is a chat, not an agent. */
  humanCalls = 0;

  constructor(
    readonly file: IRFile,
    readonly kb: Knowledge,
    private readonly deadline: number,
  ) {
    this.moduleScope = childScope(null);
    for (const imp of file.imports) {
      const raw = imp.name === null ? imp.module : `${imp.module}.${imp.name}`;
      this.moduleScope.vars.set(imp.local, { symbol: kb.canonicalSymbol(raw), span: imp.span });
    }
  }

  get isPython(): boolean {
    return this.file.language === "python";
  }

  tick(): void {
    if (++this.ticks % 512 === 0 && Date.now() > this.deadline) throw new AnalysisTimeout();
  }

  /** Executes a block; returns true when every path through it ends (return, raise, abort()). */
  execBlock(stmts: readonly Stmt[], frame: Frame): boolean {
    // JS function declarations are hoisted: `tool({ execute: tail })` may come before `function tail`.
    if (!this.isPython) {
      for (const s of stmts) {
        if (s.kind === "function") frame.scope.vars.set(s.func.name, { fn: { def: s.func, scope: frame.scope, owner: frame.owner }, span: s.func.nameSpan });
      }
    }
    for (const s of stmts) if (this.exec(s, frame)) return true;
    return false;
  }

  private exec(s: Stmt, frame: Frame): boolean {
    this.tick();
    switch (s.kind) {
      case "assign": {
        let v = this.eval(s.value, frame);
        if (s.op) v = this.combine(s.op, this.evalPatternAsExpr(s.target, frame), v, s.span);
        // The declared type names what the value is (`llm: ChatOpenAI = Field(...)`); the value keeps its data.
        if (s.annotation) v = { ...v, ...this.instanceOfType(s.annotation, frame) };
        this.bind(s.target, v, frame, s.value.span);
        return false;
      }
      case "expr": {
        this.eval(s.expr, frame);
        return s.expr.kind === "call" && this.isNoReturnCall(s.expr, frame);
      }
      case "return":
        frame.returns.push(s.value ? this.eval(s.value, frame) : EMPTY);
        return true;
      case "throw":
        if (s.value) this.eval(s.value, frame);
        return true;
      case "jump":
        return true;
      case "if":
        return this.execIf(s, frame);
      case "loop":
        this.execLoop(s, frame);
        return false;
      case "try": {
        const before = new Map(frame.scope.vars);
        const bodyEnds = this.execBlock(s.body, frame);
        const afterBody = frame.scope.vars;
        let merged = new Map(afterBody);
        for (const h of s.handlers) {
          frame.scope.vars = new Map(before);
          for (const [k, v] of afterBody) frame.scope.vars.set(k, joinVals(frame.scope.vars.get(k), v));
          if (h.name) frame.scope.vars.set(h.name, EMPTY);
          const ends = this.execBlock(h.body, frame);
          if (!ends) merged = joinScopes(merged, frame.scope.vars);
        }
        frame.scope.vars = merged;
        const finallyEnds = this.execBlock(s.finally, frame);
        return finallyEnds || (bodyEnds && s.handlers.length === 0);
      }
      case "function":
        frame.scope.vars.set(s.func.name, { fn: { def: s.func, scope: frame.scope, owner: frame.owner }, span: s.func.nameSpan });
        this.registerDecorators(s.func, frame);
        this.pendingRoots.push({ def: s.func, scope: frame.scope, owner: frame.owner });
        return false;
      case "class": {
        const cls = classValue(this, s, frame);
        frame.scope.vars.set(s.name, { cls, span: s.span });
        const byMethod = cls.baseSymbols.flatMap((b) => this.kb.handlersBySubclass(b));
        for (const m of s.body) {
          if (m.kind !== "function") continue;
          this.registerDecorators(m.func, frame);
          const specs = byMethod.filter((h) => h.methods?.includes(m.func.name));
          if (specs.length) this.handlerOf.set(m.func, [...(this.handlerOf.get(m.func) ?? []), ...specs]);
          this.pendingRoots.push({ def: m.func, scope: cls.scope, owner: cls });
        }
        return false;
      }
    }
  }

  /** What a declared type says a value is: an instance of an SDK class or of a class in this file. */
  instanceOfType(annotation: Expr, frame: Frame): Val {
    // `OpenAI | None`, `Optional[OpenAI]`, `Annotated[OpenAI, ...]`: the class inside.
    if (annotation.kind === "binary" && annotation.op === "|") {
      const left = this.instanceOfType(annotation.left, frame);
      return left === EMPTY ? this.instanceOfType(annotation.right, frame) : left;
    }
    if (annotation.kind === "index") return this.instanceOfType(annotation.index.kind === "array" && annotation.index.elements[0] ? annotation.index.elements[0].value : annotation.index, frame);
    if (annotation.kind === "unknown") {
      for (const child of annotation.children) {
        const inner = this.instanceOfType(child, frame);
        if (inner !== EMPTY) return inner;
      }
      return EMPTY;
    }
    const type = this.evalQuiet(annotation, frame);
    if (type.symbol && !/^(builtins|typing|typing_extensions)\./.test(type.symbol)) return { symbol: `${type.symbol}()` };
    return type.cls ? { instanceOf: type.cls } : EMPTY;
  }

  private execIf(s: Extract<Stmt, { kind: "if" }>, frame: Frame): boolean {
    this.eval(s.test, frame);
    const guard = guardOf(s.test, this, frame);
    const before = frame.scope.vars;
    frame.scope.vars = new Map(before);
    if (guard?.cleanWhen === true) this.sanitizeGuarded(guard, frame);
    const thenEnds = this.execBlock(s.then, frame);
    const afterThen = frame.scope.vars;
    frame.scope.vars = new Map(before);
    if (guard?.cleanWhen === false) this.sanitizeGuarded(guard, frame);
    const elseEnds = this.execBlock(s.else, frame);
    const afterElse = frame.scope.vars;
    if (thenEnds && elseEnds) return true;
    frame.scope.vars = thenEnds ? afterElse : elseEnds ? afterThen : joinScopes(afterThen, afterElse);
    return false;
  }

  private execLoop(s: Extract<Stmt, { kind: "loop" }>, frame: Frame): void {
    const element = s.iter ? this.elementOf(this.eval(s.iter, frame), s.iter.span) : undefined;
    const before = new Map(frame.scope.vars);
    const modelCallsBefore = this.modelCalls;
    const humanCallsBefore = this.humanCalls;
    frame.loopDepth = (frame.loopDepth ?? 0) + 1;
    // Twice, so values carried around the loop (`text += chunk`) reach a fixed point for the common cases.
    for (let pass = 0; pass < 2; pass++) {
      if (s.test) this.eval(s.test, frame);
      if (s.target && element) this.bind(s.target, element, frame, s.target.span);
      this.execBlock(s.body, frame);
    }
    frame.loopDepth--;
    frame.scope.vars = joinScopes(before, frame.scope.vars);
    const agentLoop = this.modelCalls > modelCallsBefore && this.humanCalls === humanCallsBefore;
    if (agentLoop && !frame.quiet && isUncapped(s)) this.checkHits.push({ check: UNCAPPED_LOOP, span: loopHead(s), callee: "" });
  }

  /** Inside a branch where `target` was checked against an allowlist or a constant, its value is one of those constants. */
  private sanitizeGuarded(guard: Guard, frame: Frame): void {
    const v = lookup(frame.scope, guard.target);
    if (!v) return;
    const clears = guard.clears;
    const safe = clears
      ? mapVal(v, (ts) => ts?.map((t) => ({ ...t, clearedFor: [...(t.clearedFor ?? []), ...clears] })))
      : { ...removeTaints(v, () => true), constant: true };
    frame.scope.vars.set(guard.target, safe);
  }

  private isNoReturnCall(e: Extract<Expr, { kind: "call" }>, frame: Frame): boolean {
    const callee = this.evalQuiet(e.callee, frame);
    return callee.symbol !== undefined && this.kb.isNoReturn(callee.symbol);
  }

  private registerDecorators(def: FunctionDef, frame: Frame): void {
    for (const d of def.decorators) {
      const v = this.evalQuiet(d.kind === "call" ? d.callee : d, frame);
      if (!v.symbol) continue;
      // `@function_tool(needs_approval=True)`: the registration itself opts out.
      const specs = this.kb.handlersByDecorator(v.symbol).filter((h) => !(d.kind === "call" && h.unlessArg?.some((sel) => d.kwargs.some((k) => k.name === sel && isTrue(k.value)))));
      if (specs.length) this.handlerOf.set(def, [...(this.handlerOf.get(def) ?? []), ...specs]);
    }
  }

  /** A function registered as a handler by a call (`Tool(func=f)`); analysed again if it was analysed without it. */
  registerHandler(fn: FunctionValue, specs: HandlerSpec[]): void {
    this.handlerOf.set(fn.def, [...(this.handlerOf.get(fn.def) ?? []), ...specs]);
    if (this.analysedRoots.has(fn.def)) this.pendingRoots.push({ def: fn.def, scope: fn.scope, owner: fn.owner });
  }

  /** Evaluates without recording sink hits twice: used for callee symbols of statements already evaluated. */
  evalQuiet(e: Expr, frame: Frame): Val {
    if (e.kind === "name") return this.evalName(e.name, e.span, frame);
    if (e.kind === "attr") return this.attrOf(this.evalQuiet(e.object, frame), e.name, e.nameSpan);
    if (e.kind === "call") return { symbol: this.evalQuiet(e.callee, frame).symbol?.concat("()") };
    return EMPTY;
  }

  /**
   * Values keep the span of the literal that built them (a message's `content`, an
   * argv element); sinks report a whole argument at the argument's own span.
   */
  eval(e: Expr, frame: Frame): Val {
    switch (e.kind) {
      case "name":
        return this.evalName(e.name, e.span, frame);
      case "attr":
        return this.attrOf(this.eval(e.object, frame), e.name, e.nameSpan);
      case "index": {
        const o = this.eval(e.object, frame);
        const key = this.eval(e.index, frame);
        return key.str !== undefined ? readSensitive(this, this.indexOf(o, key), key.str, e.span, true) : this.indexOf(o, key);
      }
      case "call":
        return evalCall(this, e, frame);
      case "str":
        return literalValue(e.value, e.span);
      case "num":
        return { num: e.value, constant: true };
      case "const":
        return typeof e.value === "boolean" ? { bool: e.value, constant: true } : { constant: true };
      case "template": {
        const parts = e.parts.map((p) => (typeof p === "string" ? ({ str: p, constant: true } as Val) : this.eval(p, frame)));
        const out = blend(parts, e.span);
        if (parts.every((p) => p.str !== undefined)) return { ...out, str: parts.map((p) => p.str).join(""), constant: true };
        const known = parts.findIndex((p) => p.str === undefined);
        const prefix = parts.slice(0, known).map((p) => p.str).join("") + (parts[known].prefix ?? "");
        return prefix ? { ...out, prefix } : out;
      }
      case "binary":
        return this.combine(e.op, this.eval(e.left, frame), this.eval(e.right, frame), e.span);
      case "compare":
        this.eval(e.left, frame);
        this.eval(e.right, frame);
        return EMPTY;
      case "unary": {
        const v = this.eval(e.operand, frame);
        if (e.op === "-" && v.num !== undefined) return { num: -v.num, constant: true };
        return e.op === "!" || e.op === "not" || e.op === "typeof" || e.op === "-" || e.op === "+" ? EMPTY : blend([v]);
      }
      case "object":
        return this.evalObject(e, frame);
      case "array": {
        const elems: Val[] = [];
        let extra: Val | undefined;
        for (const el of e.elements) {
          const v = this.eval(el.value, frame);
          if (!el.spread) elems.push(withSpan(v, el.value.span));
          else if (v.elems) elems.push(...v.elems);
          else extra = joinVals(extra, blend([v], el.value.span));
        }
        if (extra) elems.push(extra);
        return { elems, constant: elems.every((x) => x.constant) };
      }
      case "await":
      case "paren":
        return this.eval(e.value, frame);
      case "function":
        this.pendingRoots.push({ def: e.func, scope: frame.scope, owner: frame.owner });
        return { fn: { def: e.func, scope: frame.scope, owner: frame.owner } };
      case "cond":
        this.eval(e.test, frame);
        return joinVals(this.eval(e.then, frame), this.eval(e.else, frame));
      case "comprehension": {
        const inner: Frame = { ...frame, scope: childScope(frame.scope) };
        this.bind(e.target, this.elementOf(this.eval(e.iter, frame), e.iter.span), inner, e.target.span);
        for (const c of e.conditions) this.eval(c, inner);
        return { elems: [this.eval(e.element, inner)] };
      }
      case "unknown":
        return blend(e.children.map((c) => this.eval(c, frame)));
    }
  }

  private evalName(name: string, span: Span, frame: Frame): Val {
    const v = lookup(frame.scope, name);
    if (v !== undefined) return readSensitive(this, v, name, span, false);
    if (name === "self" || name === "this") return frame.self ?? EMPTY;
    // The program's own location: paths built from it name files shipped with the app.
    if (LOCATION_NAMES.has(name)) return { constant: true, span };
    return { symbol: `${this.isPython ? "builtins" : "globalThis"}.${name}`, span };
  }

  private evalObject(e: Extract<Expr, { kind: "object" }>, frame: Frame): Val {
    const fields = new Map<string, Val>();
    let taints: Val["taints"];
    let constant = true;
    for (const en of e.entries) {
      const v = this.eval(en.value, frame);
      constant &&= !!v.constant;
      if (en.spread) {
        if (v.fields) for (const [k, fv] of v.fields) fields.set(k, fv);
        else taints = unionTaints(taints, deepTaints(v));
      } else if (en.key !== null) fields.set(en.key, readSensitive(this, withSpan(v, en.value.span), en.key, en.span, true));
      else {
        const k = en.keyExpr ? this.eval(en.keyExpr, frame) : EMPTY;
        if (k.str !== undefined) fields.set(k.str, withSpan(v, en.value.span));
        else taints = unionTaints(taints, deepTaints(v));
      }
    }
    return { fields, taints, constant };
  }

  attrOf(o: Val, name: string, span: Span): Val {
    return readSensitive(this, this.readAttr(o, name, span), name, span, true);
  }

  private readAttr(o: Val, name: string, span: Span): Val {
    const field = o.fields?.get(name);
    if (field) return field;
    if (o.instanceOf) {
      const method = o.instanceOf.methods.get(name);
      if (method) return { fn: { def: method, scope: o.instanceOf.scope, owner: o.instanceOf }, bound: o };
      // A field of tainted data (a request body parsed into a pydantic model) carries the data's taint.
      const f = classFields(this, o.instanceOf).get(name);
      if (f) return o.taints ? { ...f, taints: unionTaints(f.taints, o.taints) } : f;
    }
    if (o.cls) {
      const method = o.cls.methods.get(name);
      if (method) return { fn: { def: method, scope: o.cls.scope, owner: o.cls } };
      const base = o.cls.baseSymbols[0];
      if (base) return this.withAttrSources({ symbol: `${base}.${name}` }, span);
    }
    if (!this.isPython && name === "length") return EMPTY;
    const out: Val = { taints: o.taints, symbol: o.symbol !== undefined ? `${o.symbol}.${name}` : undefined, constant: o.constant && !o.taints };
    return out.symbol ? this.withAttrSources(out, span) : out;
  }

  private withAttrSources(v: Val, span: Span): Val {
    const sources = this.kb.attrSources(v.symbol!);
    if (!sources.length) return v;
    const origin = { span, message: "" };
    const taints = sources.map((s) => ({ kind: s.kind, label: s.label, origin: { ...origin, message: sourceMessage(s.label, s.kind) }, steps: null }));
    return { ...v, taints: unionTaints(v.taints, taints) };
  }

  indexOf(o: Val, i: Val): Val {
    if (i.str !== undefined && o.fields?.has(i.str)) return o.fields.get(i.str)!;
    // The result of an unknown call keeps its keyword arguments as fields; a key it lacks is not one of them.
    if (i.str !== undefined && o.fields && o.symbol?.endsWith("()")) return { taints: o.taints, symbol: `${o.symbol}[]` };
    if (i.num !== undefined && o.elems && Number.isInteger(i.num)) {
      const at = i.num < 0 ? o.elems.length + i.num : i.num;
      if (o.elems[at]) return o.elems[at];
    }
    // The key never flows into the result: a lookup of untrusted input in a constant table yields the table's value.
    let out: Val = { taints: o.taints, symbol: o.symbol !== undefined ? `${o.symbol}[]` : undefined };
    for (const v of o.elems ?? []) out = joinVals(out, v);
    for (const v of o.fields?.values() ?? []) out = joinVals(out, v);
    return markDispatch(out, i);
  }

  /** What a loop over `v` binds: its elements' data. */
  elementOf(v: Val, span: Span): Val {
    if (v.elems && v.elems.length) return v.elems.reduce<Val>((acc, x) => joinVals(acc, x), EMPTY);
    return { taints: deepTaints(v), symbol: v.symbol !== undefined ? `${v.symbol}[]` : undefined, span };
  }

  private combine(op: string, left: Val, right: Val, span: Span): Val {
    if (op === "&&" || op === "||" || op === "??") return joinVals(left, right);
    if (op === "+" && left.elems && right.elems) return { elems: [...left.elems, ...right.elems] };
    if (op === "|" && (left.symbol || right.symbol)) return pipe(this, left, right);
    if (op === "+" && left.str !== undefined && right.str !== undefined) return { str: left.str + right.str, constant: true };
    const out = blend([left, right], span);
    if (op === "+" && (left.str ?? left.prefix)) return { ...out, prefix: left.str !== undefined ? left.str + (right.prefix ?? "") : left.prefix };
    return left.constant && right.constant ? { ...out, constant: true } : out;
  }

  /** Binds a pattern to a value, recording an "assigned to" step on tainted data. */
  bind(p: Pattern, v: Val, frame: Frame, span: Span): void {
    bindPattern(this, p, v, frame, span);
  }

  /** Rebinds a container variable after a mutation (`msgs.append(x)`, `d["k"] = v`). */
  updateContainer(name: string, frame: Frame, f: (o: Val) => Val): void {
    const current = lookup(frame.scope, name);
    if (current === undefined || current.fn || current.cls) return;
    frame.scope.vars.set(name, f(current));
  }

  private evalPatternAsExpr(p: Pattern, frame: Frame): Val {
    if (p.kind === "name") return this.evalName(p.name, p.span, frame);
    if (p.kind === "attr") return this.attrOf(this.eval(p.object, frame), p.name, p.span);
    if (p.kind === "index") return this.indexOf(this.eval(p.object, frame), this.eval(p.index, frame));
    return EMPTY;
  }

}

export function withSpan(v: Val, span: Span): Val {
  return v.span === span ? v : { ...v, span };
}

function joinScopes(a: Map<string, Val>, b: Map<string, Val>): Map<string, Val> {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, a.has(k) ? joinVals(a.get(k), v) : v);
  return out;
}

/** LCEL `prompt | llm | parser` / `prompt.pipe(llm)`: the chain is invoked like the model inside it. */
export function pipe(interp: Interpreter, left: Val, right: Val): Val {
  const isModel = (v: Val) => v.symbol !== undefined && interp.kb.callSources(`${v.symbol}.invoke`, undefined).some((s) => s.kind === "model");
  const model = isModel(left) ? left : isModel(right) ? right : undefined;
  // The prompt side keeps what it knows (a prompt file it renders) for `chain.invoke(...)`.
  return { symbol: (model ?? left).symbol, taints: unionTaints(left.taints, right.taints), fields: left.fields };
}

export function sourceMessage(label: string, kind: string): string {
  const what = kind === "model" ? "model output" : kind === "indirect" ? "untrusted content" : "untrusted input";
  return `${what} from ${label}`;
}

