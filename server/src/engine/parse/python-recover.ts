/**
 * Recovery of half-typed code inside tree-sitter ERROR nodes.
 *
 * An ERROR node holds whatever the parser could not fit: complete subtrees (a `pair`,
 * an `attribute`, whole statements) mixed with loose tokens (`(`, `=`, `[`, `return`).
 * A small parser over that sequence rebuilds calls, keyword arguments, containers,
 * attribute chains, operators and assignments, closing brackets that were never typed,
 * so `client.create(messages=[{"role": "system", "content": f"x {q}"` still yields
 * the call with its arguments. Tokens it cannot place are skipped.
 */
import type { Expr, Pattern, Stmt } from "../ir";
import { MISSING, spanOf, TRUNCATED, type PyNode } from "./python-tree";

type Call = Extract<Expr, { kind: "call" }>;
type ObjectEntry = Extract<Expr, { kind: "object" }>["entries"][number];
type ArrayElement = Extract<Expr, { kind: "array" }>["elements"][number];

/** What recovery needs from the lowerer. */
export interface RecoveryHost {
  readonly text: string;
  textOf(node: PyNode): string;
  lowerExpr(node: PyNode): Expr;
  lowerStatement(node: PyNode, out: Stmt[]): void;
  lowerArguments(argumentList: PyNode, args: Call["args"], kwargs: Call["kwargs"]): void;
  lowerArgument(argument: PyNode, args: Call["args"], kwargs: Call["kwargs"]): void;
  makeEntry(key: Expr, value: Expr, span: { start: number; end: number }): ObjectEntry;
  emit(out: Stmt[], stmt: Stmt): void;
}

const STATEMENT_TYPES = new Set([
  "class_definition", "decorated_definition", "for_statement", "function_definition", "if_statement",
  "match_statement", "try_statement", "while_statement", "with_statement", "assert_statement",
  "break_statement", "continue_statement", "delete_statement", "exec_statement", "expression_statement",
  "future_import_statement", "global_statement", "import_from_statement", "import_statement",
  "nonlocal_statement", "pass_statement", "print_statement", "raise_statement", "return_statement",
  "type_alias_statement", "block", "ERROR",
]);

const EXPRESSION_TYPES = new Set([
  "as_pattern", "boolean_operator", "comparison_operator", "conditional_expression", "lambda",
  "named_expression", "not_operator", "attribute", "await", "binary_operator", "call", "concatenated_string",
  "dictionary", "dictionary_comprehension", "ellipsis", "false", "float", "generator_expression", "identifier",
  "integer", "list", "list_comprehension", "list_splat", "none", "parenthesized_expression", "set",
  "set_comprehension", "string", "subscript", "true", "tuple", "unary_operator", "expression_list",
  "pattern_list", "yield", "dictionary_splat", "parenthesized_list_splat", "keyword_argument", "pair",
  "type", "slice", "list_splat_pattern", "dictionary_splat_pattern", MISSING, TRUNCATED,
]);

/** Argument nodes the parser completed before giving up on the call around them. */
const SPLATS_AND_KEYWORDS = new Set([
  "keyword_argument", "list_splat", "dictionary_splat", "list_splat_pattern", "dictionary_splat_pattern",
]);

const ARITHMETIC = new Set(["+", "-", "*", "/", "//", "%", "**", "@", "|", "&", "^", "<<", ">>"]);
const COMPARISONS = new Set(["==", "!=", "<", ">", "<=", ">=", "in", "is"]);
const AUGMENTED = new Set(["+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "|=", "&=", "^=", "<<=", ">>="]);
const CLOSERS = new Set([")", "]", "}"]);

/** Deep (and long) enough for real code; bounds the stack and the IR on inputs like a megabyte of `(`. */
const MAX_RECOVERY_DEPTH = 200;

export function recoverStatements(host: RecoveryHost, error: PyNode, out: Stmt[]): void {
  if (error.strays !== undefined) for (const stray of error.strays) recoverStatements(host, stray, out);
  new Recovery(host, error.children).statements(out);
}

class Recovery {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly host: RecoveryHost,
    private readonly items: PyNode[],
  ) {}

  statements(out: Stmt[]): void {
    while (this.i < this.items.length) {
      const item = this.items[this.i];
      const start = this.i;
      if (item.named && STATEMENT_TYPES.has(item.type)) {
        this.i++;
        this.host.lowerStatement(item, out);
      } else if (item.named && !EXPRESSION_TYPES.has(item.type)) {
        this.i++;
        this.loose(item, out);
      } else if (!item.named && this.keywordStatement(item.type, out)) {
        continue;
      } else {
        const expr = this.expression();
        if (expr !== undefined) this.finishStatement(expr, out);
        else if (this.i === start) this.i++;
      }
    }
  }

  /** Clauses and other fragments: keep their blocks and expressions. */
  private loose(node: PyNode, out: Stmt[]): void {
    for (const child of node.children) {
      if (STATEMENT_TYPES.has(child.type)) this.host.lowerStatement(child, out);
      else if (EXPRESSION_TYPES.has(child.type)) this.host.emit(out, { kind: "expr", expr: this.host.lowerExpr(child), span: spanOf(child) });
      else this.loose(child, out);
    }
  }

  private keywordStatement(keyword: string, out: Stmt[]): boolean {
    const token = this.items[this.i];
    if (keyword === "return" || keyword === "raise") {
      this.i++;
      const value = this.expression();
      const span = { start: token.start, end: value !== undefined ? value.span.end : token.end };
      const kind = keyword === "return" ? "return" : "throw";
      this.host.emit(out, value !== undefined ? { kind, value, span } : { kind, span });
      return true;
    }
    if (keyword === "def" || keyword === "class") {
      // A definition's name and parameters are not calls.
      this.i++;
      while (this.i < this.items.length && this.peek() !== ":" && !STATEMENT_TYPES.has(this.items[this.i].type)) this.i++;
      if (this.peek() === ":") this.i++;
      return true;
    }
    if (keyword === "import" || keyword === "from") {
      const lineEnd = this.host.text.indexOf("\n", token.end);
      while (this.i < this.items.length && (lineEnd < 0 || this.items[this.i].start < lineEnd)) this.i++;
      return true;
    }
    return false;
  }

  private finishStatement(first: Expr, out: Stmt[]): void {
    const operator = this.peek();
    if (operator === "=") {
      const targets = [first];
      let value: Expr | undefined;
      while (this.peek() === "=") {
        this.i++;
        value = this.expression();
        if (value === undefined) break;
        targets.push(value);
      }
      const assigned = targets.pop();
      if (assigned === undefined || targets.length === 0) return;
      for (const target of targets) {
        const span = { start: target.span.start, end: assigned.span.end };
        this.host.emit(out, { kind: "assign", target: toPattern(target), value: assigned, span });
      }
    } else if (operator !== undefined && AUGMENTED.has(operator)) {
      this.i++;
      const value = this.expression();
      if (value === undefined) return;
      const span = { start: first.span.start, end: value.span.end };
      this.host.emit(out, { kind: "assign", target: toPattern(first), value, op: operator.slice(0, -1), span });
    } else {
      this.host.emit(out, { kind: "expr", expr: first, span: first.span });
    }
  }

  /** The loose token at the cursor, if the cursor is on one. */
  private peek(offset = 0): string | undefined {
    const item = this.items[this.i + offset];
    return item !== undefined && !item.named ? item.type : undefined;
  }

  private lastEnd(): number {
    return this.items[this.i - 1].end;
  }

  /** Operators fold left without precedence: recovery only needs to keep operands together. */
  private expression(): Expr | undefined {
    let left = this.unary();
    for (let folds = 0; left !== undefined && folds < MAX_RECOVERY_DEPTH; folds++) {
      const token = this.peek();
      if (token === undefined) break;
      let op = token;
      let width = 1;
      if (token === "not" && this.peek(1) === "in") [op, width] = ["not in", 2];
      else if (token === "is" && this.peek(1) === "not") [op, width] = ["is not", 2];
      else if (token === "and") op = "&&";
      else if (token === "or") op = "||";
      else if (!ARITHMETIC.has(token) && !COMPARISONS.has(token)) break;
      const before = this.i;
      this.i += width;
      const right = this.unary();
      if (right === undefined) {
        this.i = before;
        break;
      }
      const span = { start: left.span.start, end: right.span.end };
      const isCompare = COMPARISONS.has(token) || width === 2;
      left = isCompare ? { kind: "compare", op, left, right, span } : { kind: "binary", op, left, right, span };
    }
    return left;
  }

  private unary(): Expr | undefined {
    if (this.depth >= MAX_RECOVERY_DEPTH) return undefined;
    this.depth++;
    try {
      return this.prefixed();
    } finally {
      this.depth--;
    }
  }

  private prefixed(): Expr | undefined {
    const token = this.peek();
    const start = this.items[this.i]?.start ?? 0;
    if (token === "not" || token === "-" || token === "+" || token === "~" || token === "await" || token === "*" || token === "**") {
      this.i++;
      const operand = this.unary();
      if (operand === undefined) return undefined;
      const span = { start, end: operand.span.end };
      if (token === "await") return { kind: "await", value: operand, span };
      if (token === "*" || token === "**") return { kind: "unknown", children: [operand], span };
      return { kind: "unary", op: token === "not" ? "!" : token, operand, span };
    }
    if (token === "lambda") {
      while (this.i < this.items.length && this.peek() !== ":") this.i++;
      this.i++;
      const body = this.expression();
      return body !== undefined ? { kind: "unknown", children: [body], span: { start, end: body.span.end } } : undefined;
    }
    const primary = this.primary();
    return primary !== undefined ? this.postfix(primary) : undefined;
  }

  private primary(): Expr | undefined {
    const item = this.items[this.i];
    if (item === undefined) return undefined;
    if (item.named) {
      const inner = item.type === "expression_statement" && item.children.length === 1 ? item.children[0] : item;
      if (!EXPRESSION_TYPES.has(inner.type)) return undefined;
      this.i++;
      return this.host.lowerExpr(inner);
    }
    if (item.type === "(") {
      this.i++;
      const elements = this.sequence(")");
      const span = { start: item.start, end: this.lastEnd() };
      if (elements.length === 1 && !elements[0].spread) return { kind: "paren", value: elements[0].value, span };
      return { kind: "array", elements, span };
    }
    if (item.type === "[") {
      this.i++;
      const elements = this.sequence("]");
      return { kind: "array", elements, span: { start: item.start, end: this.lastEnd() } };
    }
    if (item.type === "{") {
      this.i++;
      return this.braces(item.start);
    }
    return undefined;
  }

  private postfix(expr: Expr): Expr {
    for (let links = 0; links < MAX_RECOVERY_DEPTH; links++) {
      const item = this.items[this.i];
      if (item === undefined) return expr;
      const start = expr.span.start;
      if (!item.named && item.type === "(") {
        this.i++;
        const call: Call = { kind: "call", callee: expr, args: [], kwargs: [], span: { start, end: 0 } };
        this.callArguments(call);
        call.span.end = this.lastEnd();
        expr = call;
      } else if (item.named && item.type === "argument_list") {
        this.i++;
        const call: Call = { kind: "call", callee: expr, args: [], kwargs: [], span: { start, end: item.end } };
        this.host.lowerArguments(item, call.args, call.kwargs);
        expr = call;
      } else if (!item.named && item.type === "." && this.items[this.i + 1]?.type === "identifier") {
        const name = this.items[this.i + 1];
        this.i += 2;
        expr = { kind: "attr", object: expr, name: this.host.textOf(name), span: { start, end: name.end }, nameSpan: spanOf(name) };
      } else if (!item.named && item.type === "[") {
        this.i++;
        const parts = this.sequence("]");
        const end = this.lastEnd();
        const index: Expr =
          parts.length === 1 && !parts[0].spread
            ? parts[0].value
            : { kind: "unknown", children: parts.map((part) => part.value), span: { start: item.end, end } };
        expr = { kind: "index", object: expr, index, span: { start, end } };
      } else {
        return expr;
      }
    }
    return expr;
  }

  /** Runs `element` until `closer`, a different closer, a statement, or the end of the fragment. */
  private until(closer: string, element: () => boolean): void {
    while (this.i < this.items.length) {
      const item = this.items[this.i];
      if (!item.named && item.type === closer) {
        this.i++;
        return;
      }
      if (!item.named && CLOSERS.has(item.type)) return;
      if (item.named && STATEMENT_TYPES.has(item.type)) return;
      if (!item.named && item.type === ",") {
        this.i++;
        continue;
      }
      const start = this.i;
      if (!element() && this.i === start) {
        if (item.named && !EXPRESSION_TYPES.has(item.type)) return;
        this.i++;
      }
    }
  }

  private sequence(closer: string): ArrayElement[] {
    const elements: ArrayElement[] = [];
    this.until(closer, () => {
      const spread = this.peek() === "*";
      if (spread) this.i++;
      const value = this.expression();
      if (value !== undefined) elements.push(spread ? { value, spread } : { value });
      return value !== undefined;
    });
    return elements;
  }

  private callArguments(call: Call): void {
    this.until(")", () => {
      const item = this.items[this.i];
      if (item.named && SPLATS_AND_KEYWORDS.has(item.type)) {
        this.i++;
        this.host.lowerArgument(item, call.args, call.kwargs);
        return true;
      }
      const keyword = item.named && item.type === "identifier" && this.peek(1) === "=" ? item : undefined;
      const marker = this.peek();
      if (keyword !== undefined) this.i += 2;
      else if (marker === "*" || marker === "**") this.i++;
      const value = this.expression();
      if (value === undefined) return false;
      if (keyword !== undefined) {
        call.kwargs.push({ name: this.host.textOf(keyword), value, span: { start: keyword.start, end: value.span.end } });
      } else if (marker === "**") {
        call.kwargs.push({ name: "**", value, span: { start: item.start, end: value.span.end } });
      } else {
        call.args.push(marker === "*" ? { value, spread: true } : { value });
      }
      return true;
    });
  }

  /** `{…}`: a dict when any entry has a key, else a set. */
  private braces(start: number): Expr {
    const entries: ObjectEntry[] = [];
    const elements: ArrayElement[] = [];
    this.until("}", () => {
      const item = this.items[this.i];
      if (item.named && item.type === "pair" && item.children.length === 2) {
        this.i++;
        entries.push(this.host.makeEntry(this.host.lowerExpr(item.children[0]), this.host.lowerExpr(item.children[1]), spanOf(item)));
        return true;
      }
      const splat = this.peek() === "**";
      if (splat) this.i++;
      const key = this.expression();
      if (key === undefined) return false;
      if (splat) {
        entries.push({ key: null, value: key, spread: true, span: { start: item.start, end: key.span.end } });
      } else if (this.peek() === ":") {
        this.i++;
        const value = this.expression() ?? { kind: "unknown", children: [], span: { start: key.span.end, end: key.span.end } };
        entries.push(this.host.makeEntry(key, value, { start: key.span.start, end: value.span.end }));
      } else {
        elements.push({ value: key });
      }
      return true;
    });
    const span = { start, end: this.lastEnd() };
    return entries.length > 0 || elements.length === 0 ? { kind: "object", entries, span } : { kind: "array", elements, span };
  }
}

function toPattern(expr: Expr): Exclude<Pattern, { kind: "object" }> {
  switch (expr.kind) {
    case "name":
      return { kind: "name", name: expr.name, span: expr.span };
    case "attr":
      return { kind: "attr", object: expr.object, name: expr.name, span: expr.span };
    case "index":
      return { kind: "index", object: expr.object, index: expr.index, span: expr.span };
    case "array":
      return {
        kind: "tuple",
        elements: expr.elements.map((element) => (element.spread ? { ...toPattern(element.value), rest: true } : toPattern(element.value))),
        span: expr.span,
      };
    case "paren":
      return toPattern(expr.value);
    default:
      return { kind: "tuple", elements: [], span: expr.span };
  }
}
