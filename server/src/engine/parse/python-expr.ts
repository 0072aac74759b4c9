/**
 * Expression lowering: tree-sitter-python expressions -> IR expressions.
 *
 * Conventions beyond ir.ts:
 * - `not x` is a `unary` with op `"!"`, so Python and JavaScript negation look alike.
 * - `a < b < c` is `binary "&&"` of `compare(a < b)` and `compare(b < c)`; longer chains are
 *   left-nested up to three comparisons, then balanced.
 * - Comprehensions with several `for` clauses nest: the first clause is the outer
 *   comprehension and each later clause wraps the element, as Python evaluates them.
 *   A dict comprehension's element is an `object` with one entry.
 * - `a[x, y]` and slices lower to `index` with an `unknown` index holding the parts.
 */
import type { Expr, FunctionDef, Param, Pattern, Span, Stmt } from "../ir";
import { decodeStringContent, decodeStringLiteral, parseNumber, readPrefix } from "./python-literals";
import { spanOf, type PyNode } from "./python-tree";

/** Later `for` clauses are ignored: real code never comes close, and the IR must stay shallow. */
const MAX_COMPREHENSION_LOOPS = 32;

/** Python never destructures into object patterns, and only these may carry `rest` in a tuple. */
type SequencePattern = Exclude<Pattern, { kind: "object" }>;

type CallArgs = Extract<Expr, { kind: "call" }>["args"];
type CallKwargs = Extract<Expr, { kind: "call" }>["kwargs"];
type ObjectEntry = Extract<Expr, { kind: "object" }>["entries"][number];
type ArrayElement = Extract<Expr, { kind: "array" }>["elements"][number];

export class ExpressionLowerer {
  /** Statements to emit before the statement being lowered: walrus assignments and recovered fragments. */
  pending: Stmt[] = [];

  constructor(readonly text: string) {}

  textOf(node: PyNode): string {
    return this.text.slice(node.start, node.end);
  }

  lowerExpr(node: PyNode): Expr {
    const span = spanOf(node);
    const c = node.children;
    switch (node.type) {
      case "identifier":
        return { kind: "name", name: this.textOf(node), span };
      case "attribute":
        if (c.length < 2) break;
        return { kind: "attr", object: this.lowerExpr(c[0]), name: this.textOf(c[1]), span, nameSpan: spanOf(c[1]) };
      case "subscript":
        if (c.length < 1) break;
        return { kind: "index", object: this.lowerExpr(c[0]), index: this.lowerSubscriptIndex(node), span };
      case "call":
        if (c.length < 1) break;
        return this.lowerCall(node);
      case "string":
        return this.lowerStrings([node], span);
      case "concatenated_string":
        return this.lowerStrings(c, span);
      case "integer":
      case "float":
        return { kind: "num", value: parseNumber(this.textOf(node)), span };
      case "true":
        return { kind: "const", value: true, span };
      case "false":
        return { kind: "const", value: false, span };
      case "none":
        return { kind: "const", value: null, span };
      case "binary_operator":
        if (c.length < 2) break;
        return { kind: "binary", op: this.operatorBetween(c[0].end, c[1].start), left: this.lowerExpr(c[0]), right: this.lowerExpr(c[1]), span };
      case "boolean_operator": {
        if (c.length < 2) break;
        const op = this.operatorBetween(c[0].end, c[1].start) === "and" ? "&&" : "||";
        return { kind: "binary", op, left: this.lowerExpr(c[0]), right: this.lowerExpr(c[1]), span };
      }
      case "not_operator":
        if (c.length < 1) break;
        return { kind: "unary", op: "!", operand: this.lowerExpr(c[0]), span };
      case "unary_operator":
        if (c.length < 1) break;
        return { kind: "unary", op: this.operatorBetween(node.start, c[0].start), operand: this.lowerExpr(c[0]), span };
      case "comparison_operator":
        if (c.length < 2) break;
        return this.lowerComparison(node);
      case "dictionary":
        return { kind: "object", entries: c.map((entry) => this.lowerEntry(entry)), span };
      case "list":
      case "tuple":
      case "set":
      case "expression_list":
      case "pattern_list":
        return this.lowerSequence(node);
      case "list_comprehension":
      case "set_comprehension":
      case "generator_expression":
      case "dictionary_comprehension":
        if (c.length < 2) break;
        return this.lowerComprehension(node);
      case "conditional_expression":
        if (c.length < 3) break;
        return { kind: "cond", then: this.lowerExpr(c[0]), test: this.lowerExpr(c[1]), else: this.lowerExpr(c[2]), span };
      case "await":
        if (c.length < 1) break;
        return { kind: "await", value: this.lowerExpr(c[0]), span };
      case "parenthesized_expression":
        if (c.length < 1) break;
        return { kind: "paren", value: this.lowerExpr(c[0]), span };
      case "lambda":
        return { kind: "function", func: this.lowerLambda(node), span };
      case "named_expression":
        if (c.length < 2) break;
        return this.lowerWalrus(node);
      case "type":
        if (c.length < 1) break;
        return this.lowerExpr(c[0]);
      case "keyword_argument":
        if (c.length < 2) break;
        return { kind: "unknown", children: [this.lowerExpr(c[1])], span };
    }
    return this.opaque(node);
  }

  /** Yield, starred and other constructs the IR has no shape for: the children keep their data. */
  private opaque(node: PyNode): Expr {
    const children: Expr[] = [];
    for (const child of node.children) if (child.named) children.push(this.lowerExpr(child));
    return { kind: "unknown", children, span: spanOf(node) };
  }

  /** The operator token(s) between two operands, without comments, continuations or extra spaces. */
  operatorBetween(from: number, to: number): string {
    let gap = this.text.slice(from, to);
    if (gap.includes("#")) gap = gap.replace(/#[^\n]*/g, " ");
    if (gap.includes("\\")) gap = gap.replace(/\\/g, " ");
    const op = gap.trim();
    return /\s/.test(op) ? op.replace(/\s+/g, " ") : op;
  }

  private lowerCall(node: PyNode): Expr {
    const [callee, argumentNode] = node.children;
    const args: CallArgs = [];
    const kwargs: CallKwargs = [];
    const lowered = this.lowerExpr(callee);
    if (argumentNode !== undefined) {
      if (argumentNode.type === "argument_list") this.lowerArguments(argumentNode, args, kwargs);
      else args.push({ value: this.lowerExpr(argumentNode) });
    }
    return { kind: "call", callee: lowered, args, kwargs, span: spanOf(node) };
  }

  lowerArguments(argumentList: PyNode, args: CallArgs, kwargs: CallKwargs): void {
    for (const argument of argumentList.children) this.lowerArgument(argument, args, kwargs);
  }

  lowerArgument(argument: PyNode, args: CallArgs, kwargs: CallKwargs): void {
    const inner = argument.children;
    if (argument.type === "keyword_argument" && inner.length >= 2) {
      kwargs.push({ name: this.textOf(inner[0]), value: this.lowerExpr(inner[1]), span: spanOf(argument) });
    } else if ((argument.type === "dictionary_splat" || argument.type === "dictionary_splat_pattern") && inner.length >= 1) {
      kwargs.push({ name: "**", value: this.lowerExpr(inner[0]), span: spanOf(argument) });
    } else if ((argument.type === "list_splat" || argument.type === "list_splat_pattern") && inner.length >= 1) {
      args.push({ value: this.lowerExpr(inner[0]), spread: true });
    } else {
      args.push({ value: this.lowerExpr(argument) });
    }
  }

  /** One string or an implicit concatenation: a `str` unless some part interpolates. */
  private lowerStrings(strings: PyNode[], span: Span): Expr {
    const parts: Array<string | Expr> = [];
    let literal = "";
    for (const string of strings) {
      if (string.type !== "string") {
        if (literal !== "") parts.push(literal);
        literal = "";
        parts.push(this.lowerExpr(string));
        continue;
      }
      const c = string.children;
      if (c.length === 0) {
        literal += decodeStringLiteral(this.textOf(string));
        continue;
      }
      const prefix = readPrefix(c.length > 0 ? this.textOf(c[0]) : "");
      for (const part of c) {
        if (part.type === "string_content") {
          literal += decodeStringContent(this.textOf(part), prefix);
        } else if (part.type === "interpolation" && part.children.length > 0) {
          if (literal !== "") parts.push(literal);
          literal = "";
          parts.push(this.lowerExpr(part.children[0]));
        }
      }
    }
    if (parts.length === 0) return { kind: "str", value: literal, span };
    if (literal !== "") parts.push(literal);
    return { kind: "template", parts, span };
  }

  private lowerComparison(node: PyNode): Expr {
    const c = node.children;
    const operands = c.map((operand) => this.lowerExpr(operand));
    const compares: Expr[] = [];
    for (let i = 0; i + 1 < c.length; i++) {
      const written = this.operatorBetween(c[i].end, c[i + 1].start);
      const op = written === "<>" ? "!=" : written;
      compares.push({ kind: "compare", op, left: operands[i], right: operands[i + 1], span: { start: c[i].start, end: c[i + 1].end } });
    }
    return conjunction(compares, 0, compares.length);
  }

  private lowerEntry(entry: PyNode): ObjectEntry {
    const span = spanOf(entry);
    const c = entry.children;
    if (entry.type === "dictionary_splat" && c.length >= 1) return { key: null, value: this.lowerExpr(c[0]), spread: true, span };
    if (entry.type !== "pair" || c.length < 2) {
      return { key: null, keyExpr: { kind: "unknown", children: [], span }, value: this.lowerExpr(entry), span };
    }
    return this.makeEntry(this.lowerExpr(c[0]), this.lowerExpr(c[1]), span);
  }

  /** String and number keys are static; anything else (names included) is a computed key. */
  makeEntry(key: Expr, value: Expr, span: Span): ObjectEntry {
    if (key.kind === "str") return { key: key.value, value, span };
    if (key.kind === "num") return { key: String(key.value), value, span };
    return { key: null, keyExpr: key, value, span };
  }

  lowerSequence(node: PyNode, items: PyNode[] = node.children): Expr {
    const elements: ArrayElement[] = [];
    for (const item of items) {
      const starred = (item.type === "list_splat" || item.type === "parenthesized_list_splat") && item.children.length > 0;
      elements.push(starred ? { value: this.lowerExpr(item.children[0]), spread: true } : { value: this.lowerExpr(item) });
    }
    return { kind: "array", elements, span: spanOf(node) };
  }

  lowerSubscriptIndex(subscript: PyNode): Expr {
    const parts = subscript.children.slice(1);
    if (parts.length === 1 && parts[0].type !== "slice") return this.lowerExpr(parts[0]);
    const children: Expr[] = [];
    for (const part of parts) {
      if (part.type === "slice") for (const bound of part.children) children.push(this.lowerExpr(bound));
      else children.push(this.lowerExpr(part));
    }
    const span = parts.length > 0 ? { start: parts[0].start, end: parts[parts.length - 1].end } : { start: subscript.end, end: subscript.end };
    return { kind: "unknown", children, span };
  }

  private lowerComprehension(node: PyNode): Expr {
    const [body, ...clauses] = node.children;
    const span = spanOf(node);
    let element: Expr =
      body.type === "pair" ? { kind: "object", entries: [this.lowerEntry(body)], span: spanOf(body) } : this.lowerExpr(body);
    const loops: Array<{ target: Pattern; iter: Expr; conditions: Expr[] }> = [];
    for (const clause of clauses) {
      const c = clause.children;
      if (clause.type === "for_in_clause" && c.length >= 2 && loops.length < MAX_COMPREHENSION_LOOPS) {
        const iter = c.length === 2 ? this.lowerExpr(c[1]) : this.lowerSequence(clause, c.slice(1));
        loops.push({ target: this.lowerPattern(c[0]), iter, conditions: [] });
      } else if (clause.type === "if_clause" && c.length >= 1 && loops.length > 0) {
        loops[loops.length - 1].conditions.push(this.lowerExpr(c[0]));
      }
    }
    if (loops.length === 0) return this.opaque(node);
    for (let i = loops.length - 1; i >= 0; i--) element = { kind: "comprehension", element, ...loops[i], span };
    return element;
  }

  /** `lambda a: a` -> a function whose body is `[return a]`; a walrus inside stays inside. */
  private lowerLambda(node: PyNode): FunctionDef {
    const span = spanOf(node);
    const c = node.children;
    const hasParams = c.length > 0 && c[0].type === "lambda_parameters";
    const params = hasParams ? this.lowerParams(c[0]) : [];
    const bodyNode = c.length > (hasParams ? 1 : 0) ? c[c.length - 1] : undefined;
    const saved = this.pending;
    this.pending = [];
    const body: Stmt[] = [];
    if (bodyNode !== undefined) {
      const value = this.lowerExpr(bodyNode);
      body.push(...this.pending, { kind: "return", value, span: spanOf(bodyNode) });
    }
    this.pending = saved;
    return { name: "<lambda>", params, body, decorators: [], isAsync: false, span, nameSpan: span };
  }

  private lowerWalrus(node: PyNode): Expr {
    const [nameNode, valueNode] = node.children;
    const name = this.textOf(nameNode);
    const value = this.lowerExpr(valueNode);
    const span = spanOf(node);
    this.pending.push({ kind: "assign", target: { kind: "name", name, span: spanOf(nameNode) }, value, span });
    return { kind: "name", name, span };
  }

  lowerParams(parameters: PyNode): Param[] {
    const params: Param[] = [];
    for (const node of parameters.children) {
      const param = this.lowerParam(node, params.length);
      if (param !== undefined) params.push(param);
    }
    return params;
  }

  private lowerParam(node: PyNode, index: number): Param | undefined {
    const span = spanOf(node);
    const c = node.children;
    switch (node.type) {
      case "identifier":
        return { name: this.textOf(node), index, span };
      case "list_splat_pattern":
        return { name: c.length > 0 ? this.textOf(c[0]) : "", index, rest: true, span };
      case "dictionary_splat_pattern":
        return { name: c.length > 0 ? this.textOf(c[0]) : "", index, kwrest: true, span };
      case "tuple_pattern":
      case "list_pattern":
        return { name: `$param${index}`, index, pattern: this.lowerPattern(node), span };
      case "typed_parameter": {
        const base = c.length >= 2 ? this.lowerParam(c[0], index) : undefined;
        return base && { ...base, annotation: this.lowerExpr(c[1]), span };
      }
      case "default_parameter": {
        const base = c.length >= 2 ? this.lowerParam(c[0], index) : undefined;
        return base && { ...base, defaultValue: this.lowerExpr(c[1]), span };
      }
      case "typed_default_parameter": {
        const base = c.length >= 3 ? this.lowerParam(c[0], index) : undefined;
        return base && { ...base, annotation: this.lowerExpr(c[1]), defaultValue: this.lowerExpr(c[2]), span };
      }
      default:
        // `*` and `/` separators are not parameters.
        return undefined;
    }
  }

  /** Assignment, loop and `with` targets. */
  lowerPattern(node: PyNode): SequencePattern {
    const span = spanOf(node);
    const c = node.children;
    switch (node.type) {
      case "identifier":
        return { kind: "name", name: this.textOf(node), span };
      case "attribute":
        if (c.length < 2) break;
        return { kind: "attr", object: this.lowerExpr(c[0]), name: this.textOf(c[1]), span };
      case "subscript":
        if (c.length < 1) break;
        return { kind: "index", object: this.lowerExpr(c[0]), index: this.lowerSubscriptIndex(node), span };
      case "pattern_list":
      case "tuple_pattern":
      case "list_pattern":
      case "tuple":
      case "list":
      case "expression_list":
        return { kind: "tuple", elements: c.map((element) => this.lowerPatternElement(element)), span };
      case "parenthesized_expression":
      case "as_pattern_target":
        if (c.length !== 1) break;
        return this.lowerPattern(c[0]);
    }
    // Targets that bind nothing we can name (or half-parsed ones).
    return { kind: "tuple", elements: [], span };
  }

  private lowerPatternElement(node: PyNode): Pattern & { rest?: boolean } {
    const starred = node.type === "list_splat_pattern" || node.type === "list_splat";
    if (starred && node.children.length === 1) return { ...this.lowerPattern(node.children[0]), rest: true };
    return this.lowerPattern(node);
  }
}

/**
 * `&&` over `compares[from..to)`, split in halves so even absurdly long chains stay shallow;
 * for up to three comparisons this is the same as left nesting.
 */
function conjunction(compares: Expr[], from: number, to: number): Expr {
  if (to - from === 1) return compares[from];
  const middle = to - Math.floor((to - from) / 2);
  const left = conjunction(compares, from, middle);
  const right = conjunction(compares, middle, to);
  return { kind: "binary", op: "&&", left, right, span: { start: left.span.start, end: right.span.end } };
}
