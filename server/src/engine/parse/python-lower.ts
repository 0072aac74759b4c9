/**
 * Statement lowering: tree-sitter-python statements -> IR statements.
 *
 * Conventions beyond ir.ts:
 * - A walrus `(y := v)` becomes an `assign` emitted before the statement that holds it.
 * - ERROR nodes inside a statement are recovered (see python-recover.ts) and emitted
 *   before that statement; ERROR nodes among statements are recovered in place.
 * - A decorated definition's span covers its decorators.
 * - `match` cases bind their capture names to an `unknown` holding the subject at the
 *   start of the case body, so data still flows through destructuring patterns.
 */
import type { Expr, FunctionDef, ImportBinding, Span, Stmt } from "../ir";
import { ExpressionLowerer } from "./python-expr";
import { collectImports } from "./python-imports";
import { recoverStatements } from "./python-recover";
import { spanOf, type PyNode } from "./python-tree";

/** Longest if/elif or match chain nested through `else` before the rest continues as siblings. */
const MAX_CHAIN = 64;

const NO_STATEMENT = new Set([
  "pass_statement", "global_statement", "nonlocal_statement", "delete_statement",
  "type_alias_statement", "future_import_statement",
]);

export class PythonLowerer extends ExpressionLowerer {
  readonly imports: ImportBinding[] = [];
  /** Spans of statements that could not be lowered; reported with the syntax errors. */
  readonly failures: Span[] = [];
  private className: string | undefined;

  lowerModule(root: PyNode): FunctionDef {
    const span = { start: root.start, end: root.end };
    const body = root.type === "ERROR" ? this.lowerRecovered(root) : this.lowerBlock(root);
    return { name: "<module>", params: [], body, decorators: [], isAsync: false, span, nameSpan: span };
  }

  lowerBlock(block: PyNode | undefined): Stmt[] {
    const out: Stmt[] = [];
    if (block === undefined) return out;
    const saved = this.pending;
    this.pending = [];
    for (const statement of block.children) this.lowerStatementSafely(statement, out);
    this.pending = saved;
    return out;
  }

  private lowerRecovered(error: PyNode): Stmt[] {
    const out: Stmt[] = [];
    recoverStatements(this, error, out);
    this.flush(out);
    return out;
  }

  lowerStatementSafely(node: PyNode, out: Stmt[]): void {
    const className = this.className;
    const pending = this.pending;
    const pendingCount = pending.length;
    try {
      this.lowerStatement(node, out);
    } catch {
      // A bug or a stack overflow on one statement must not cost the rest of the file.
      this.className = className;
      this.pending = pending;
      pending.length = pendingCount;
      this.failures.push(spanOf(node));
    }
  }

  lowerStatement(node: PyNode, out: Stmt[]): void {
    if (node.strays !== undefined) for (const stray of node.strays) this.hoistRecovered(stray);
    const c = node.children;
    switch (node.type) {
      case "expression_statement":
        return this.lowerExpressionStatement(node, out);
      case "return_statement":
        return this.emit(out, c.length > 0 ? { kind: "return", value: this.lowerExpr(c[0]), span: spanOf(node) } : { kind: "return", span: spanOf(node) });
      case "raise_statement":
        return this.emit(out, c.length > 0 ? { kind: "throw", value: this.lowerExpr(c[0]), span: spanOf(node) } : { kind: "throw", span: spanOf(node) });
      case "break_statement":
      case "continue_statement":
        return this.emit(out, { kind: "jump", span: spanOf(node) });
      case "import_statement":
      case "import_from_statement":
        collectImports(node, this.text, this.imports);
        return this.flush(out);
      case "if_statement":
        return this.lowerIf(node, out);
      case "for_statement":
        return this.lowerFor(node, out);
      case "while_statement":
        return this.lowerWhile(node, out);
      case "try_statement":
        return this.lowerTry(node, out);
      case "with_statement":
        return this.lowerWith(node, out);
      case "match_statement":
        return this.lowerMatch(node, out);
      case "assert_statement":
        return this.lowerAssert(node, out);
      case "function_definition":
      case "class_definition":
        return this.lowerDefinition(node, [], node, out);
      case "decorated_definition":
        return this.lowerDecorated(node, out);
      case "block":
        for (const statement of c) this.lowerStatementSafely(statement, out);
        return;
      case "ERROR":
        recoverStatements(this, node, out);
        return this.flush(out);
      default:
        if (NO_STATEMENT.has(node.type)) return this.flush(out);
        // print/exec statements and anything unforeseen: keep the data as an expression.
        return this.emit(out, { kind: "expr", expr: this.lowerExpr(node), span: spanOf(node) });
    }
  }

  /** Recovers an ERROR node found inside a statement so its statements run before that statement. */
  private hoistRecovered(error: PyNode): void {
    const hoisted = this.pending;
    this.pending = [];
    const recovered: Stmt[] = [];
    recoverStatements(this, error, recovered);
    this.flush(recovered);
    this.pending = hoisted;
    hoisted.push(...recovered);
  }

  /** Emits `stmt` after any assignments hoisted out of its expressions. */
  emit(out: Stmt[], stmt: Stmt): void {
    this.flush(out);
    out.push(stmt);
  }

  flush(out: Stmt[]): void {
    if (this.pending.length === 0) return;
    for (const hoisted of this.pending) out.push(hoisted);
    this.pending = [];
  }

  private lowerExpressionStatement(node: PyNode, out: Stmt[]): void {
    const c = node.children;
    if (c.length === 1 && c[0].type === "assignment") return this.lowerAssignment(c[0], out);
    if (c.length === 1 && c[0].type === "augmented_assignment") return this.lowerAugmented(c[0], out);
    const expr = c.length === 1 ? this.lowerExpr(c[0]) : this.lowerSequence(node);
    this.emit(out, { kind: "expr", expr, span: spanOf(node) });
  }

  /**
   * `a = b = v` assigns the one value to each target in turn. An annotation (`x: T = v`,
   * or `x: T` alone, which binds no value) is kept: it says what the name holds.
   */
  private lowerAssignment(node: PyNode, out: Stmt[]): void {
    const targets: PyNode[] = [];
    let current: PyNode | undefined = node;
    while (current !== undefined && current.type === "assignment") {
      targets.push(current);
      const c: PyNode[] = current.children;
      current = c.length > 1 && c[c.length - 1].type !== "type" ? c[c.length - 1] : undefined;
    }
    const typeNode = targets.length === 1 ? node.children.find((child: PyNode) => child.type === "type") : undefined;
    const annotation = typeNode?.children[0] ? this.lowerExpr(typeNode.children[0]) : undefined;
    if (current === undefined && annotation === undefined) return this.flush(out);
    const value: Expr = current !== undefined ? this.lowerExpr(current) : { kind: "unknown", children: [], span: spanOf(node) };
    for (const target of targets) {
      const stmt: Stmt = { kind: "assign", target: this.lowerPattern(target.children[0]), value, span: spanOf(target) };
      this.emit(out, annotation ? { ...stmt, annotation } : stmt);
    }
  }

  private lowerAugmented(node: PyNode, out: Stmt[]): void {
    const [left, right] = node.children;
    const op = this.operatorBetween(left.end, right.start).replace(/=$/, "");
    const value = this.lowerExpr(right);
    this.emit(out, { kind: "assign", target: this.lowerPattern(left), value, op, span: spanOf(node) });
  }

  /** `if`/`elif`/`else`: each `elif` is an `if` in the previous one's `else`. */
  private lowerIf(node: PyNode, out: Stmt[]): void {
    const c = node.children;
    const links = [node, ...c.slice(2).filter((clause) => clause.type === "elif_clause")];
    const elseClause = c.find((clause) => clause.type === "else_clause");
    const final = elseClause !== undefined ? this.lowerBlock(elseClause.children[0]) : [];
    const chain = this.chainElse(links.length, (i, otherwise) => this.lowerIfLink(links[i], node.end, otherwise), final);
    this.flush(out);
    out.push(...chain);
  }

  /** One test and its body; an assignment hoisted out of the test comes first. */
  private lowerIfLink(link: PyNode, chainEnd: number, otherwise: Stmt[]): Stmt[] {
    const [condition, consequence] = link.children;
    const saved = this.pending;
    this.pending = [];
    const stmts: Stmt[] = [];
    const test = this.lowerExpr(condition);
    const then = this.lowerBlock(consequence);
    this.emit(stmts, { kind: "if", test, then, else: otherwise, span: { start: link.start, end: chainEnd } });
    this.pending = saved;
    return stmts;
  }

  /**
   * Links `count` conditionals through `else`, ending in `final`. Past MAX_CHAIN links the
   * remaining groups follow as siblings inside the last `else`: a slight over-approximation
   * of which branches run, which keeps the IR shallow for any chain length.
   */
  private chainElse(count: number, link: (index: number, otherwise: Stmt[]) => Stmt[], final: Stmt[]): Stmt[] {
    const group = (from: number, otherwise: Stmt[]): Stmt[] => {
      let result = otherwise;
      for (let i = Math.min(from + MAX_CHAIN, count) - 1; i >= from; i--) result = link(i, result);
      return result;
    };
    const tail: Stmt[] = [];
    for (let from = MAX_CHAIN; from < count; from += MAX_CHAIN) tail.push(...group(from, []));
    tail.push(...final);
    return group(0, tail);
  }

  private lowerFor(node: PyNode, out: Stmt[]): void {
    const [left, right, body, elseClause] = node.children;
    const iter = this.lowerExpr(right);
    const target = this.lowerPattern(left);
    this.emit(out, { kind: "loop", target, iter, body: this.lowerBlock(body), span: spanOf(node) });
    if (elseClause !== undefined) out.push(...this.lowerBlock(elseClause.children[0]));
  }

  private lowerWhile(node: PyNode, out: Stmt[]): void {
    const [condition, body, elseClause] = node.children;
    const test = this.lowerExpr(condition);
    this.emit(out, { kind: "loop", test, body: this.lowerBlock(body), span: spanOf(node) });
    if (elseClause !== undefined) out.push(...this.lowerBlock(elseClause.children[0]));
  }

  private lowerTry(node: PyNode, out: Stmt[]): void {
    const body = this.lowerBlock(node.children[0]);
    const handlers: Array<{ name?: string; body: Stmt[] }> = [];
    let finallyBody: Stmt[] = [];
    for (const clause of node.children.slice(1)) {
      const block = clause.children[clause.children.length - 1];
      if (clause.type === "except_clause" || clause.type === "except_group_clause") {
        const name = this.exceptName(clause);
        const handlerBody = this.lowerBlock(block);
        handlers.push(name !== undefined ? { name, body: handlerBody } : { body: handlerBody });
      } else if (clause.type === "else_clause") {
        body.push(...this.lowerBlock(block));
      } else if (clause.type === "finally_clause") {
        finallyBody = this.lowerBlock(block);
      }
    }
    this.emit(out, { kind: "try", body, handlers, finally: finallyBody, span: spanOf(node) });
  }

  /** `except E as e` (as_pattern) or Python 2's `except E, e`. */
  private exceptName(clause: PyNode): string | undefined {
    const c = clause.children;
    if (c.length >= 2 && c[0].type === "as_pattern") {
      const target = c[0].children[c[0].children.length - 1];
      const name = target.children[0];
      return name !== undefined && name.type === "identifier" ? this.textOf(name) : undefined;
    }
    if (c.length >= 3 && c[1].type === "identifier") return this.textOf(c[1]);
    return undefined;
  }

  /** `with a as x, b:` -> `x = a`, `b`, then the body in the same list. */
  private lowerWith(node: PyNode, out: Stmt[]): void {
    const c = node.children;
    const items = c[0].type === "with_clause" ? c[0].children : [];
    for (const item of items) {
      const value = item.children[0];
      if (value === undefined) continue;
      const aliased = value.type === "as_pattern" && value.children.length >= 2;
      if (aliased) {
        const target = value.children[value.children.length - 1];
        const assigned = this.lowerExpr(value.children[0]);
        this.emit(out, { kind: "assign", target: this.lowerPattern(target), value: assigned, span: spanOf(item) });
      } else {
        this.emit(out, { kind: "expr", expr: this.lowerExpr(value), span: spanOf(item) });
      }
    }
    this.flush(out);
    out.push(...this.lowerBlock(c[c.length - 1]));
  }

  /** Each case is an `if` on an opaque test over the subject (and guard), chained through `else`. */
  private lowerMatch(node: PyNode, out: Stmt[]): void {
    const c = node.children;
    const block = c[c.length - 1];
    const subjects = c.slice(0, -1);
    const subject = subjects.length === 1 ? this.lowerExpr(subjects[0]) : this.lowerSequence(node, subjects);
    const cases = block.children.filter((child) => child.type === "case_clause");
    this.flush(out);
    out.push(...this.chainElse(cases.length, (i, otherwise) => [this.lowerCase(cases[i], subject, otherwise)], []));
  }

  private lowerCase(clause: PyNode, subject: Expr, otherwise: Stmt[]): Stmt {
    const c = clause.children;
    const consequence = c[c.length - 1];
    const head = c.slice(0, -1);
    const testChildren: Expr[] = [subject];
    const bindings: Stmt[] = [];
    for (const part of head) {
      if (part.type === "if_clause") testChildren.push(this.lowerExpr(part.children[0]));
      else this.bindCaptures(part, subject, bindings);
    }
    const testEnd = head.length > 0 ? head[head.length - 1].end : clause.start;
    const test: Expr = { kind: "unknown", children: testChildren, span: { start: clause.start, end: testEnd } };
    const then = [...bindings, ...this.lowerBlock(consequence)];
    return { kind: "if", test, then, else: otherwise, span: spanOf(clause) };
  }

  private bindCaptures(pattern: PyNode, subject: Expr, out: Stmt[]): void {
    const c = pattern.children;
    if (pattern.type === "case_pattern" && c.length === 1 && c[0].type === "dotted_name") {
      const name = this.textOf(c[0]);
      if (name !== "_" && !name.includes(".")) this.bindCapture(c[0], subject, out);
      return;
    }
    if (pattern.type === "splat_pattern" || pattern.type === "as_pattern") {
      const last = c[c.length - 1];
      for (const part of c.slice(0, -1)) this.bindCaptures(part, subject, out);
      if (last !== undefined && last.type === "identifier" && this.textOf(last) !== "_") this.bindCapture(last, subject, out);
      return;
    }
    // A class pattern's first name is the class; a keyword pattern's first name is the keyword.
    const skipFirst = pattern.type === "class_pattern" || pattern.type === "keyword_pattern";
    for (let i = skipFirst ? 1 : 0; i < c.length; i++) this.bindCaptures(c[i], subject, out);
  }

  private bindCapture(name: PyNode, subject: Expr, out: Stmt[]): void {
    const span = spanOf(name);
    const value: Expr = { kind: "unknown", children: [subject], span };
    out.push({ kind: "assign", target: { kind: "name", name: this.textOf(name), span }, value, span });
  }

  /** `assert t, msg` -> `if (!t) throw msg`. */
  private lowerAssert(node: PyNode, out: Stmt[]): void {
    const [condition, message] = node.children;
    const span = spanOf(node);
    const operand = this.lowerExpr(condition);
    const raise: Stmt = message !== undefined ? { kind: "throw", value: this.lowerExpr(message), span } : { kind: "throw", span };
    const test: Expr = { kind: "unary", op: "!", operand, span: spanOf(condition) };
    this.emit(out, { kind: "if", test, then: [raise], else: [], span });
  }

  private lowerDecorated(node: PyNode, out: Stmt[]): void {
    const c = node.children;
    const definition = c[c.length - 1];
    const decorators: Expr[] = [];
    for (const decorator of c.slice(0, -1)) {
      if (decorator.children.length > 0) decorators.push(this.lowerExpr(decorator.children[0]));
    }
    this.lowerDefinition(definition, decorators, node, out);
  }

  private lowerDefinition(node: PyNode, decorators: Expr[], outer: PyNode, out: Stmt[]): void {
    const span = spanOf(outer);
    if (node.type === "function_definition") {
      this.emit(out, { kind: "function", func: this.lowerFunction(node, decorators, span), span });
    } else if (node.type === "class_definition") {
      this.emit(out, this.lowerClass(node, decorators, span));
    } else {
      this.lowerStatement(node, out);
    }
  }

  private lowerFunction(node: PyNode, decorators: Expr[], span: Span): FunctionDef {
    const c = node.children;
    const name = c[0];
    const parameters = c.find((child) => child.type === "parameters");
    const params = parameters !== undefined ? this.lowerParams(parameters) : [];
    const className = this.className;
    this.className = undefined;
    const body = this.lowerBlock(c[c.length - 1]);
    this.className = className;
    return {
      name: this.textOf(name),
      params,
      body,
      decorators,
      isAsync: this.text.startsWith("async", node.start),
      ...(className !== undefined ? { className } : {}),
      span,
      nameSpan: spanOf(name),
    };
  }

  private lowerClass(node: PyNode, decorators: Expr[], span: Span): Stmt {
    const c = node.children;
    const name = this.textOf(c[0]);
    const bases: Expr[] = [];
    const superclasses = c.find((child) => child.type === "argument_list");
    if (superclasses !== undefined) {
      for (const base of superclasses.children) {
        if (base.type === "keyword_argument" || base.type === "dictionary_splat") continue;
        bases.push(this.lowerExpr(base.type === "list_splat" ? base.children[0] : base));
      }
    }
    const className = this.className;
    this.className = name;
    const body = this.lowerBlock(c[c.length - 1]);
    this.className = className;
    return { kind: "class", name, bases, decorators, body, span };
  }

}
