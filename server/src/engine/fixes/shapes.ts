/**
 * Edits that the fixes of output sinks share: dropping one item of a comma-separated list (an
 * argument, an option), adding a guard before the statement that holds a sink call, and
 * module-level constants. Each returns undefined when the code's shape makes the edit unsure.
 */
import type { Expr, Span, Stmt } from "../ir";
import type { CallExpr, FixKit, SpanEdit } from "./kit";

/** Positional and keyword arguments of a call, in source order (keyword spans include `name=`). */
function argumentSpans(call: CallExpr): Span[] {
  return [...call.args.map((a) => a.value.span), ...call.kwargs.map((k) => k.span)].sort((a, b) => a.start - b.start);
}

/** Deletes `items[index]` with the comma that joins it to its neighbour. */
export function removeListItem(kit: FixKit, items: readonly Span[], index: number): SpanEdit {
  const item = items[index];
  if (index > 0) return { span: { start: items[index - 1].end, end: item.end }, newText: "" };
  if (items.length > 1) return { span: { start: item.start, end: items[1].start }, newText: "" };
  const trailingComma = /^\s*,/.exec(kit.text.slice(item.end))?.[0].length ?? 0;
  return { span: { start: item.start, end: item.end + trailingComma }, newText: "" };
}

/** Deletes a Python keyword argument `name=…`, or returns undefined when the call has none. */
export function removeKeyword(kit: FixKit, call: CallExpr, name: string): SpanEdit | undefined {
  const kwarg = call.kwargs.find((k) => k.name === name);
  if (!kwarg) return undefined;
  const items = argumentSpans(call);
  return removeListItem(kit, items, items.findIndex((s) => s.start === kwarg.span.start));
}

/** A name, attribute or constant-index chain: reading it twice gives the same value and runs nothing. */
export function isPlainReference(e: Expr): boolean {
  if (e.kind === "name") return true;
  if (e.kind === "attr") return isPlainReference(e.object);
  if (e.kind === "index") return isPlainReference(e.object) && (e.index.kind === "str" || e.index.kind === "num");
  if (e.kind === "paren") return isPlainReference(e.value);
  return false;
}

/**
 * Lines inserted before `statement`, at its indentation: only for a simple statement that starts
 * its own line inside a block (not the body of a brace-less `if`, an arrow or a lambda).
 */
export function insertBefore(kit: FixKit, statement: Stmt, lines: readonly string[]): SpanEdit | undefined {
  if (statement.kind !== "assign" && statement.kind !== "expr" && statement.kind !== "return") return undefined;
  const start = statement.span.start;
  const lineStart = kit.lineStart(start);
  // The statement's span may start after the keyword that opens it: `const x = …`, `with open(p) as f:`.
  const opener = kit.isPython ? /^[ \t]*(?:(?:async[ \t]+)?with[ \t]+)?$/ : /^[ \t]*(?:(?:export[ \t]+)?(?:const|let|var)[ \t]+)?$/;
  if (!opener.test(kit.text.slice(lineStart, start))) return undefined;
  // A lowered lambda or arrow body is a `return` without the keyword.
  if (statement.kind === "return" && !kit.text.startsWith("return", start)) return undefined;
  if (!kit.isPython && !/[;{}]$/.test(previousCode(kit, lineStart))) return undefined;
  if (kit.isPython && previousCode(kit, lineStart).endsWith("\\")) return undefined;
  const indent = kit.indentAt(start);
  const nl = kit.newline();
  return { span: { start: lineStart, end: lineStart }, newText: lines.map((l) => (l ? indent + l : l) + nl).join("") };
}

/** The last line of code before `offset`, skipping blank lines and line comments ("" at the file's start). */
function previousCode(kit: FixKit, offset: number): string {
  const comment = kit.isPython ? "#" : "//";
  const lines = kit.text.slice(0, offset).split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (line && !line.startsWith(comment)) return line;
  }
  return "";
}

/** The local name under which the file imports `module`'s default export (JS), if it does. */
export function defaultImportOf(kit: FixKit, module: string): string | undefined {
  return kit.ir?.imports.find((i) => i.module === module && i.name === "default")?.local;
}

/**
 * Whether an expression is evaluated every time its statement runs, with no loop variable of its
 * own: not inside a lambda, comprehension, conditional expression or short-circuit operand.
 * Only then can a check of it move in front of the statement.
 */
export function hoistable(ancestors: readonly Expr[]): boolean {
  return ancestors.every((a) => a.kind !== "function" && a.kind !== "comprehension" && a.kind !== "cond" && !(a.kind === "binary" && ["&&", "||", "??"].includes(a.op)));
}

/** `base`, or `base` with a number when the function around `offset` already uses that identifier. */
export function unusedName(kit: FixKit, base: string, separator: string, offset: number): string {
  const span = kit.functionAround({ start: offset, end: offset })?.span ?? { start: 0, end: kit.text.length };
  // Words in comments are not names.
  let scope = kit.slice(span);
  for (const c of kit.ir?.comments ?? []) {
    if (c.span.start < span.start || c.span.end > span.end) continue;
    scope = scope.slice(0, c.span.start - span.start) + " ".repeat(c.span.end - c.span.start) + scope.slice(c.span.end - span.start);
  }
  const used = (name: string) => new RegExp(`(?<![\\w$.])${name.replace(/\$/g, "\\$")}(?![\\w$])`).test(scope);
  if (!used(base)) return base;
  let n = 2;
  while (used(`${base}${separator}${n}`)) n++;
  return `${base}${separator}${n}`;
}

/** The top-level assignment to `name`, if the module has one. */
export function topLevelValue(kit: FixKit, name: string): Expr | undefined {
  for (const s of kit.ir?.module.body ?? []) if (s.kind === "assign" && s.target.kind === "name" && s.target.name === name) return s.value;
  return undefined;
}

/**
 * Edits that add an import and a block of module-level lines after the imports, as one insertion
 * (two insertions at one offset would land in either order).
 */
export function afterImports(kit: FixKit, importEdits: ReadonlyArray<SpanEdit | undefined>, block: readonly string[]): SpanEdit[] {
  const imports = importEdits.filter((e): e is SpanEdit => e !== undefined);
  const at = kit.afterImports();
  const nl = kit.newline();
  const blockText = block.length ? nl + block.map((l) => l + nl).join("") : "";
  const sameOffset = imports.filter((e) => e.span.start === at && e.span.end === at);
  const elsewhere = imports.filter((e) => !sameOffset.includes(e));
  const text = sameOffset.map((e) => e.newText).join("") + blockText;
  return [...elsewhere, ...(text ? [{ span: { start: at, end: at }, newText: text }] : [])];
}
