/**
 * Strings built from constant text and values: f-strings, template literals, `+` chains,
 * `"...".format(x)`, `"..." % x` and `sep.join([...])`. Fixes use this to find the values spliced
 * into a string and to put constant text in a value's place, keeping the literal's quotes.
 */
import type { Expr } from "../ir";
import type { FixKit, SpanEdit } from "./kit";

export interface BuiltString {
  /** The spliced-in expressions that are not literals, in source order. */
  values: Expr[];
  /**
   * Edits that put `text` where `value` was spliced in, merging what is left into one literal
   * when the shape allows; undefined when `text` cannot be written into this string as is.
   */
  replaceValue(value: Expr, text: string): SpanEdit[] | undefined;
}

/** Characters that would need escaping in one of the literal forms: such text is not written. */
const NEEDS_ESCAPING = /[\\'"`{}$%\r\n]/;

interface Literal {
  prefix: string;
  quote: string;
  body: string;
}

/** A single Python or JS string token (with its prefix), or undefined for anything else. */
function literalOf(kit: FixKit, e: Expr): Literal | undefined {
  if (e.kind !== "str" && e.kind !== "template") return undefined;
  const src = kit.slice(e.span);
  const m = kit.isPython ? /^([rRuUfF]{0,2})('''|"""|'|")/.exec(src) : /^()(`|'|")/.exec(src);
  if (!m || !src.endsWith(m[2]) || src.length < m[0].length + m[2].length) return undefined;
  const body = src.slice(m[0].length, src.length - m[2].length);
  if (!singleToken(body, m[2], kit.isPython && /f/i.test(m[1]))) return undefined;
  return { prefix: m[1], quote: m[2], body };
}

/** False for implicitly concatenated Python strings (`"a" f"{b}"`), which lower to one template. */
function singleToken(body: string, quote: string, formatted: boolean): boolean {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (depth === 0 && c === "\\") i++;
    else if (formatted && c === "{" && depth === 0 && body[i + 1] === "{") i++;
    else if (formatted && c === "{") depth++;
    else if (formatted && c === "}" && depth > 0) depth--;
    else if (formatted && c === "}" && body[i + 1] === "}") i++;
    else if (depth === 0 && body.startsWith(quote, i)) return false;
  }
  return depth === 0;
}

const isLiteral = (e: Expr): boolean => e.kind === "str" || e.kind === "num" || e.kind === "const";

/** `{{` and `}}` in a format string stand for one brace once it is a plain string. */
const unescapeBraces = (s: string): string => s.replace(/\{\{/g, "{").replace(/\}\}/g, "}");

export function builtString(kit: FixKit, e: Expr): BuiltString | undefined {
  switch (e.kind) {
    case "template":
      return templateString(kit, e);
    case "binary":
      if (e.op === "+") return concatenation(kit, e);
      if (e.op === "%" && kit.isPython) return percentFormat(kit, e);
      return undefined;
    case "call":
      return formatCall(kit, e) ?? joinCall(kit, e);
    default:
      return undefined;
  }
}

function templateString(kit: FixKit, e: Extract<Expr, { kind: "template" }>): BuiltString | undefined {
  const lit = literalOf(kit, e);
  if (!lit) return undefined;
  const fields = e.parts.filter((p): p is Expr => typeof p !== "string");
  const spans = fields.map((f) => fieldAround(kit, f));
  // A conversion or format spec (`{x!r}`, `{x:>10}`) transforms the value: such strings are left alone.
  if (spans.some((s) => s === undefined)) return undefined;
  return {
    values: fields.filter((p) => !isLiteral(p)),
    replaceValue(value, text) {
      const field = spans[fields.indexOf(value)];
      if (NEEDS_ESCAPING.test(text) || !field) return undefined;
      const bodyStart = e.span.start + lit.prefix.length + lit.quote.length;
      let before = kit.text.slice(bodyStart, field.start);
      let after = kit.text.slice(field.end, e.span.end - lit.quote.length);
      let prefix = lit.prefix;
      // Once its only field is gone, an f-string is a plain string.
      if (kit.isPython && fields.length === 1) {
        prefix = prefix.replace(/f/i, "");
        before = unescapeBraces(before);
        after = unescapeBraces(after);
      }
      return [{ span: e.span, newText: `${prefix}${lit.quote}${before}${text}${after}${lit.quote}` }];
    },
  };
}

/** The `{expr}` / `${expr}` around a template's field; undefined when it has a conversion, format spec or `=`. */
function fieldAround(kit: FixKit, value: Expr): { start: number; end: number } | undefined {
  let start = value.span.start;
  while (start > 0 && /\s/.test(kit.text[start - 1])) start--;
  const open = kit.isPython ? "{" : "${";
  if (!kit.text.startsWith(open, start - open.length)) return undefined;
  start -= open.length;
  let end = value.span.end;
  while (/\s/.test(kit.text[end] ?? "")) end++;
  if (kit.text[end] !== "}") return undefined;
  return { start, end: end + 1 };
}

function flattenPlus(e: Expr, out: Expr[]): void {
  if (e.kind === "binary" && e.op === "+") {
    flattenPlus(e.left, out);
    flattenPlus(e.right, out);
  } else out.push(e);
}

function concatenation(kit: FixKit, e: Expr): BuiltString | undefined {
  const operands: Expr[] = [];
  flattenPlus(e, operands);
  const literals = operands.map((o) => (o.kind === "str" ? literalOf(kit, o) : undefined));
  const first = literals.find((l) => l !== undefined);
  // Without a string literal this may be arithmetic.
  if (!first) return undefined;
  const plainJoins = operands.slice(1).every((o, i) => /^\s*\+\s*$/.test(kit.text.slice(operands[i].span.end, o.span.start)));
  return {
    values: operands.filter((o) => !isLiteral(o)),
    replaceValue(value, text) {
      if (NEEDS_ESCAPING.test(text)) return undefined;
      const sameQuotes = operands.every((o, i) => o === value || (literals[i]?.quote === first.quote && literals[i]?.prefix === first.prefix));
      if (plainJoins && sameQuotes && first.quote.length === 1) {
        const body = operands.map((o, i) => (o === value ? text : literals[i]!.body)).join("");
        return [{ span: e.span, newText: `${first.prefix}${first.quote}${body}${first.quote}` }];
      }
      return [{ span: value.span, newText: `${first.quote}${text}${first.quote}` }];
    },
  };
}

/** `"…{}…".format(x)` / `"…{name}…".format(name=x)` with one field and one argument. */
function formatCall(kit: FixKit, e: Extract<Expr, { kind: "call" }>): BuiltString | undefined {
  if (!kit.isPython || e.callee.kind !== "attr" || e.callee.name !== "format" || e.callee.object.kind !== "str") return undefined;
  const lit = literalOf(kit, e.callee.object);
  if (!lit || /f/i.test(lit.prefix) || e.args.length + e.kwargs.length !== 1 || e.args.some((a) => a.spread) || e.kwargs.some((k) => k.name === "**")) return undefined;
  const fields = [...lit.body.replace(/\{\{|\}\}/g, "  ").matchAll(/\{([^{}]*)\}/g)];
  const expected = e.kwargs.length ? [e.kwargs[0].name] : ["", "0"];
  if (fields.length !== 1 || !expected.includes(fields[0][1])) return undefined;
  const value = e.kwargs.length ? e.kwargs[0].value : e.args[0].value;
  return {
    values: isLiteral(value) ? [] : [value],
    replaceValue(_value, text) {
      if (NEEDS_ESCAPING.test(text)) return undefined;
      const at = fields[0].index!;
      const body = unescapeBraces(lit.body.slice(0, at)) + text + unescapeBraces(lit.body.slice(at + fields[0][0].length));
      return [{ span: e.span, newText: `${lit.prefix}${lit.quote}${body}${lit.quote}` }];
    },
  };
}

/** `"…%s…" % x` / `"…%s…" % (x,)` with one `%s` and no other conversion. */
function percentFormat(kit: FixKit, e: Extract<Expr, { kind: "binary" }>): BuiltString | undefined {
  if (e.left.kind !== "str") return undefined;
  const lit = literalOf(kit, e.left);
  if (!lit || /f/i.test(lit.prefix)) return undefined;
  const conversions = lit.body.replace(/%%/g, "").match(/%/g)?.length ?? 0;
  const at = lit.body.replace(/%%/g, "  ").indexOf("%s");
  // `% (x,)` is a one-value tuple; `% [x]` formats the list itself.
  const right = e.right;
  const tuple = right.kind === "array" && kit.text[right.span.start] === "(" && right.elements.length === 1 && !right.elements[0].spread;
  const operand = tuple ? right.elements[0].value : right;
  if (conversions !== 1 || at < 0 || operand.kind === "array" || operand.kind === "object") return undefined;
  return {
    values: isLiteral(operand) ? [] : [operand],
    replaceValue(_value, text) {
      if (NEEDS_ESCAPING.test(text)) return undefined;
      const body = lit.body.slice(0, at).replace(/%%/g, "%") + text + lit.body.slice(at + 2).replace(/%%/g, "%");
      return [{ span: e.span, newText: `${lit.prefix}${lit.quote}${body}${lit.quote}` }];
    },
  };
}

/** `"\n".join([...])` / `[...].join("\n")` over a list literal. */
function joinCall(kit: FixKit, e: Extract<Expr, { kind: "call" }>): BuiltString | undefined {
  if (e.callee.kind !== "attr" || e.callee.name !== "join" || e.kwargs.length) return undefined;
  const list = kit.isPython ? (e.callee.object.kind === "str" && e.args.length === 1 ? e.args[0].value : undefined) : e.callee.object;
  const separator = kit.isPython ? e.callee.object : e.args[0]?.value;
  if (list?.kind !== "array" || (separator !== undefined && separator.kind !== "str") || list.elements.some((el) => el.spread)) return undefined;
  const elements = list.elements.map((el) => el.value);
  const quoted = elements.map((el) => literalOf(kit, el)).find((l) => l !== undefined && l.quote.length === 1 && !/f/i.test(l.prefix));
  return {
    values: elements.filter((el) => !isLiteral(el)),
    replaceValue(value, text) {
      if (NEEDS_ESCAPING.test(text) || !quoted) return undefined;
      return [{ span: value.span, newText: `${quoted.quote}${text}${quoted.quote}` }];
    },
  };
}
