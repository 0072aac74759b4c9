/**
 * Structural edits that fixes share. Inside bracketed, comma-separated lists (the arguments of a
 * call, the entries of a dict or object literal) adding an item keeps the list's layout (one item
 * per line stays one per line) and removing one takes its comma and, when it stood alone on its
 * line, the whole line. Also: finding a loop statement, wrapping expressions in a call.
 */
import { forEachChild, type Expr, type FunctionDef, type Span, type Stmt } from "../ir";
import { statementBlocks, type CallExpr, type FixKit, type SpanEdit } from "./kit";

type ObjectExpr = Extract<Expr, { kind: "object" }>;
type LoopStmt = Extract<Stmt, { kind: "loop" }>;

/** The items of a call in source order: positional arguments and keyword arguments. */
function callItems(call: CallExpr): Span[] {
  return [...call.args.map((a) => a.value.span), ...call.kwargs.map((k) => k.span)].sort((a, b) => a.start - b.start);
}

/** Offset of the closing bracket of a call or literal, or undefined when the text does not end in one. */
function closingBracket(kit: FixKit, e: CallExpr | ObjectExpr): number | undefined {
  const close = e.span.end - 1;
  return kit.text[close] === (e.kind === "call" ? ")" : "}") ? close : undefined;
}

function standsOnOwnLine(kit: FixKit, span: Span): boolean {
  return /^[ \t]*$/.test(kit.text.slice(kit.lineStart(span.start), span.start));
}

function removeItem(kit: FixKit, items: Span[], index: number, close: number): SpanEdit {
  const item = items[index];
  const rest = kit.text.slice(item.end);
  const lineTail = /^[ \t]*,?[ \t]*(?:(?:#|\/\/)[^\n]*)?\r?\n/.exec(rest);
  if (standsOnOwnLine(kit, item) && lineTail) {
    return { span: { start: kit.lineStart(item.start), end: item.end + lineTail[0].length }, newText: "" };
  }
  if (index > 0) return { span: { start: items[index - 1].end, end: item.end }, newText: "" };
  if (index + 1 < items.length) return { span: { start: item.start, end: items[index + 1].start }, newText: "" };
  const trailing = /^\s*,?\s*/.exec(kit.text.slice(item.end, close))![0];
  return { span: { start: item.start, end: item.end + trailing.length }, newText: "" };
}

function appendItem(kit: FixKit, items: Span[], close: number, text: string, padEmpty: boolean): SpanEdit {
  const last = items[items.length - 1];
  if (!last) return { span: { start: close, end: close }, newText: padEmpty ? ` ${text} ` : text };
  if (standsOnOwnLine(kit, last) && kit.text.slice(last.end, close).includes("\n")) {
    return { span: { start: last.end, end: last.end }, newText: `,${kit.newline()}${kit.indentAt(last.start)}${text}` };
  }
  return { span: { start: last.end, end: last.end }, newText: `, ${text}` };
}

/** Adds `name=value` to a Python call; undefined when the call passes `**kwargs` (the name may be in them). */
export function addKeywordArgument(kit: FixKit, call: CallExpr, name: string, value: string): SpanEdit | undefined {
  const close = closingBracket(kit, call);
  if (close === undefined || call.kwargs.some((k) => k.name === "**" || k.name === name)) return undefined;
  return appendItem(kit, callItems(call), close, `${name}=${value}`, false);
}

/** Adds `key: value` to a JS object literal or a Python dict (`"key": value`). */
export function addProperty(kit: FixKit, object: ObjectExpr, key: string, value: string): SpanEdit | undefined {
  const close = closingBracket(kit, object);
  if (close === undefined || object.entries.some((e) => e.key === key)) return undefined;
  const entry = kit.isPython ? `"${key}": ${value}` : `${key}: ${value}`;
  return appendItem(kit, object.entries.map((e) => e.span), close, entry, !kit.isPython);
}

/**
 * Removes the argument (keyword or positional) or the dict / object entry whose value has this
 * span (a check reported at `trust_remote_code=True` points at the `True`).
 */
export function removeArgumentWithValue(kit: FixKit, valueSpan: Span): SpanEdit | undefined {
  const parent = kit.at(valueSpan)?.ancestors[0];
  const same = (s: Span) => s.start === valueSpan.start && s.end === valueSpan.end;
  if (parent?.kind === "call") {
    const close = closingBracket(kit, parent);
    const kwarg = parent.kwargs.find((k) => k.name !== "**" && same(k.value.span));
    const positional = parent.args.find((a) => !a.spread && same(a.value.span));
    const item = kwarg?.span ?? positional?.value.span;
    if (close === undefined || !item) return undefined;
    const items = callItems(parent);
    return removeItem(kit, items, items.indexOf(item), close);
  }
  if (parent?.kind === "object") {
    const close = closingBracket(kit, parent);
    const index = parent.entries.findIndex((e) => !e.spread && same(e.value.span));
    if (close === undefined || index < 0) return undefined;
    return removeItem(kit, parent.entries.map((e) => e.span), index, close);
  }
  return undefined;
}

/** The statement that starts at this offset and passes `test`, with the block that holds it. */
export function statementAt<S extends Stmt>(kit: FixKit, start: number, test: (s: Stmt) => s is S): { statement: S; block: readonly Stmt[] } | undefined {
  const search = (block: readonly Stmt[]): { statement: S; block: readonly Stmt[] } | undefined => {
    for (const s of block) {
      if (s.span.start > start || s.span.end < start) continue;
      if (s.span.start === start && test(s)) return { statement: s, block };
      for (const inner of statementBlocks(s)) {
        const found = search(inner);
        if (found) return found;
      }
    }
    return undefined;
  };
  return kit.ir ? search(kit.ir.module.body) : undefined;
}

export function loopAt(kit: FixKit, start: number): LoopStmt | undefined {
  return statementAt(kit, start, (s): s is LoopStmt => s.kind === "loop")?.statement;
}

/** Deletes a statement that has its lines to itself, unless it is the only one in its block (Python needs one). */
export function deleteStatement(kit: FixKit, statement: Stmt, block: readonly Stmt[]): SpanEdit | undefined {
  if (block.length < 2 && kit.isPython) return undefined;
  const lineStart = kit.lineStart(statement.span.start);
  const tail = /^[ \t]*;?[ \t]*(?:\r?\n|$)/.exec(kit.text.slice(statement.span.end));
  if (kit.text.slice(lineStart, statement.span.start).trim() !== "" || !tail) return undefined;
  return { span: { start: lineStart, end: statement.span.end + tail[0].length }, newText: "" };
}

/** Edits that are insertions at one offset, joined into one edit so their order is kept. */
export function joinInsertions(edits: Array<SpanEdit | undefined>): SpanEdit[] {
  const out: SpanEdit[] = [];
  for (const e of edits) {
    if (!e) continue;
    const same = out.find((o) => o.span.start === o.span.end && e.span.start === e.span.end && o.span.start === e.span.start);
    if (same) same.newText += e.newText;
    else out.push({ span: e.span, newText: e.newText });
  }
  return out;
}

export interface EnclosingFunction {
  func: FunctionDef;
  /** For a `def` / function declaration. */
  statement?: Extract<Stmt, { kind: "function" }>;
  /** For a function expression (a lambda, an arrow). */
  expr?: Expr;
}

/** The functions (`def`s and function expressions) whose bodies hold `span`, innermost first. */
export function enclosingFunctions(kit: FixKit, span: Span): EnclosingFunction[] {
  const chain: EnclosingFunction[] = [];
  const holds = (f: FunctionDef) => f.span.start <= span.start && span.end <= f.span.end;
  const visitExpr = (e: Expr): void => {
    if (e.span.end < span.start || e.span.start > span.end) return;
    if (e.kind === "function" && holds(e.func)) {
      chain.unshift({ func: e.func, expr: e });
      visitStmts(e.func.body);
    }
    forEachChild(e, visitExpr);
  };
  const visitStmts = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      if (s.span.end < span.start || s.span.start > span.end) continue;
      if (s.kind === "function" && holds(s.func)) chain.unshift({ func: s.func, statement: s });
      for (const e of statementExpressions(s)) visitExpr(e);
      for (const block of statementBlocks(s)) visitStmts(block);
    }
  };
  if (kit.ir) visitStmts(kit.ir.module.body);
  return chain;
}

function statementExpressions(s: Stmt): Expr[] {
  switch (s.kind) {
    case "assign":
      return [s.value];
    case "expr":
      return [s.expr];
    case "return":
    case "throw":
      return s.value ? [s.value] : [];
    case "if":
      return [s.test];
    case "loop":
      return [s.iter, s.test].filter((e): e is Expr => e !== undefined);
    default:
      return [];
  }
}
