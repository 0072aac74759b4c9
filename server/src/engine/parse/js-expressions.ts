/**
 * Expression lowering, including JSX. Assignments nested in an expression are emitted as
 * statements before the statement that holds them.
 */
import * as ts from "typescript";
import type { Expr, FunctionDef, Span, Stmt } from "../ir";
import { isSpace, isTransparent, MAX_DEPTH, type FunctionContext } from "./js-context";
import { PatternLowerer } from "./js-patterns";

import SK = ts.SyntaxKind;

const COMPARISONS = new Set<SK>([
  SK.EqualsEqualsToken, SK.ExclamationEqualsToken, SK.EqualsEqualsEqualsToken, SK.ExclamationEqualsEqualsToken,
  SK.LessThanToken, SK.GreaterThanToken, SK.LessThanEqualsToken, SK.GreaterThanEqualsToken,
  SK.InKeyword, SK.InstanceOfKeyword,
]);

type JsxNode = ts.JsxElement | ts.JsxSelfClosingElement | ts.JsxFragment;

export abstract class ExpressionLowerer extends PatternLowerer {
  protected abstract functionDef(node: ts.FunctionLikeDeclaration, context: FunctionContext): FunctionDef;

  /** `a = b`, `a.b += c`, `[x, y] = z` as an `assign` statement; an `expr` statement for targets that bind nothing. */
  protected assignment(node: ts.BinaryExpression): Extract<Stmt, { kind: "assign" | "expr" }> {
    const target = this.targetPattern(node.left);
    const value = this.expr(node.right, ts.isIdentifier(node.left) ? { name: node.left.text, nameSpan: this.span(node.left) } : undefined);
    const span = this.span(node);
    if (!target) return { kind: "expr", expr: { kind: "unknown", children: [value], span }, span };
    const stmt: Extract<Stmt, { kind: "assign" }> = { kind: "assign", target, value, span };
    const op = node.operatorToken.kind;
    if (op !== SK.EqualsToken) stmt.op = ts.tokenToString(op)!.slice(0, -1);
    return stmt;
  }

  /** An assignment inside a larger expression: the assignment goes before the statement, its target stays in place. */
  private nestedAssignment(node: ts.BinaryExpression): Expr {
    const assign = this.assignment(node);
    if (assign.kind === "expr") return assign.expr;
    this.out.push(assign);
    const target = assign.target;
    let left: ts.Expression = node.left;
    while (isTransparent(left)) left = left.expression;
    switch (target.kind) {
      case "name":
        return { kind: "name", name: target.name, span: target.span };
      case "attr":
        return { kind: "attr", object: target.object, name: target.name, span: target.span, nameSpan: this.span((left as ts.PropertyAccessExpression).name) };
      case "index":
        return { kind: "index", object: target.object, index: target.index, span: target.span };
      default:
        return assign.value;
    }
  }

  protected expr(node: ts.Expression, context?: FunctionContext): Expr {
    const e = ++this.depth > MAX_DEPTH ? this.unknown(node, []) : this.exprOfKind(node, context);
    this.depth--;
    // Comments before `)`, `:` and the like. JSX elements are skipped: text that follows them is not trivia.
    const k = node.kind;
    if (k !== SK.JsxElement && k !== SK.JsxSelfClosingElement && k !== SK.JsxFragment) this.commentsBefore(node.end);
    return e;
  }

  private exprOfKind(node: ts.Expression, context: FunctionContext | undefined): Expr {
    switch (node.kind) {
      case SK.Identifier: {
        const name = (node as ts.Identifier).text;
        return name === "undefined" ? { kind: "const", value: null, span: this.span(node) } : { kind: "name", name, span: this.span(node) };
      }
      case SK.ThisKeyword:
        return { kind: "name", name: "this", span: this.span(node) };
      case SK.SuperKeyword:
        return { kind: "name", name: "super", span: this.span(node) };
      case SK.ImportKeyword:
        return { kind: "name", name: "import", span: this.span(node) };
      case SK.MetaProperty: {
        const m = node as ts.MetaProperty;
        return { kind: "name", name: `${ts.tokenToString(m.keywordToken)}.${m.name.text}`, span: this.span(node) };
      }
      case SK.StringLiteral:
      case SK.NoSubstitutionTemplateLiteral:
      case SK.RegularExpressionLiteral:
        return { kind: "str", value: (node as ts.LiteralExpression).text, span: this.span(node) };
      case SK.NumericLiteral:
        return { kind: "num", value: Number((node as ts.NumericLiteral).text), span: this.span(node) };
      case SK.BigIntLiteral:
        return { kind: "num", value: Number((node as ts.BigIntLiteral).text.slice(0, -1)), span: this.span(node) };
      case SK.TrueKeyword:
      case SK.FalseKeyword:
        return { kind: "const", value: node.kind === SK.TrueKeyword, span: this.span(node) };
      case SK.NullKeyword:
        return { kind: "const", value: null, span: this.span(node) };
      case SK.TemplateExpression:
        return this.template(node as ts.TemplateExpression);
      case SK.PropertyAccessExpression: {
        const p = node as ts.PropertyAccessExpression;
        return { kind: "attr", object: this.expr(p.expression), name: p.name.text, span: this.span(node), nameSpan: this.span(p.name) };
      }
      case SK.ElementAccessExpression: {
        const el = node as ts.ElementAccessExpression;
        return { kind: "index", object: this.expr(el.expression), index: this.expr(el.argumentExpression), span: this.span(node) };
      }
      case SK.CallExpression:
      case SK.NewExpression: {
        const c = node as ts.CallExpression | ts.NewExpression;
        const call: Expr = { kind: "call", callee: this.expr(c.expression), args: this.args(c.arguments), kwargs: [], span: this.span(node) };
        if (node.kind === SK.NewExpression) call.isNew = true;
        return call;
      }
      case SK.TaggedTemplateExpression: {
        const t = node as ts.TaggedTemplateExpression;
        const callee = this.expr(t.tag);
        return { kind: "call", callee, args: [{ value: this.template(t.template) }], kwargs: [], span: this.span(node) };
      }
      case SK.BinaryExpression:
        return this.binary(node as ts.BinaryExpression);
      case SK.PrefixUnaryExpression: {
        const u = node as ts.PrefixUnaryExpression;
        const operand = this.expr(u.operand);
        if (u.operator === SK.PlusPlusToken || u.operator === SK.MinusMinusToken) return this.unknown(node, [operand]);
        return { kind: "unary", op: ts.tokenToString(u.operator)!, operand, span: this.span(node) };
      }
      case SK.TypeOfExpression:
      case SK.VoidExpression:
      case SK.DeleteExpression: {
        const op = node.kind === SK.TypeOfExpression ? "typeof" : node.kind === SK.VoidExpression ? "void" : "delete";
        return { kind: "unary", op, operand: this.expr((node as ts.TypeOfExpression).expression), span: this.span(node) };
      }
      case SK.ConditionalExpression: {
        const c = node as ts.ConditionalExpression;
        return { kind: "cond", test: this.expr(c.condition), then: this.expr(c.whenTrue), else: this.expr(c.whenFalse), span: this.span(node) };
      }
      case SK.ObjectLiteralExpression:
        return this.objectLiteral(node as ts.ObjectLiteralExpression);
      case SK.ArrayLiteralExpression: {
        const list = (node as ts.ArrayLiteralExpression).elements;
        return { kind: "array", elements: this.args(list), span: this.span(node) };
      }
      case SK.OmittedExpression:
        return { kind: "const", value: null, span: this.span(node) };
      case SK.AwaitExpression:
        return { kind: "await", value: this.expr((node as ts.AwaitExpression).expression), span: this.span(node) };
      case SK.ParenthesizedExpression:
      case SK.AsExpression:
      case SK.SatisfiesExpression:
      case SK.NonNullExpression:
      case SK.TypeAssertionExpression:
      case SK.ExpressionWithTypeArguments:
        return { kind: "paren", value: this.expr((node as ts.ParenthesizedExpression).expression, context), span: this.span(node) };
      case SK.ArrowFunction:
      case SK.FunctionExpression:
        return this.functionExpr(node as ts.ArrowFunction | ts.FunctionExpression, context);
      case SK.JsxElement:
      case SK.JsxSelfClosingElement:
      case SK.JsxFragment:
        return this.jsx(node as JsxNode);
      default: {
        // Class expressions, `yield`, `i++`, and whatever else: keep the data carried by sub-expressions.
        const children: Expr[] = [];
        ts.forEachChild(node, (child) => {
          if (ts.isExpression(child)) children.push(this.expr(child));
        });
        return this.unknown(node, children);
      }
    }
  }

  private unknown(node: ts.Node, children: Expr[]): Expr {
    return { kind: "unknown", children, span: this.span(node) };
  }

  private binary(node: ts.BinaryExpression): Expr {
    const op = node.operatorToken.kind;
    if (op >= SK.FirstAssignment && op <= SK.LastAssignment) return this.nestedAssignment(node);
    const left = this.expr(node.left);
    const right = this.expr(node.right);
    if (op === SK.CommaToken) return this.unknown(node, [left, right]);
    return { kind: COMPARISONS.has(op) ? "compare" : "binary", op: ts.tokenToString(op)!, left, right, span: this.span(node) };
  }

  /** Call arguments and array elements; `...x` is marked as a spread. */
  private args(list: ts.NodeArray<ts.Expression> | undefined): Array<{ value: Expr; spread?: boolean }> {
    const args: Array<{ value: Expr; spread?: boolean }> = [];
    if (!list) return args;
    for (const a of list) {
      if (a.kind === SK.SpreadElement) args.push({ value: this.expr((a as ts.SpreadElement).expression), spread: true });
      else args.push({ value: this.expr(a) });
    }
    this.commentsAfter(list.length > 0 ? list[list.length - 1].end : list.pos);
    return args;
  }

  private template(node: ts.TemplateLiteral): Expr {
    const parts: Array<string | Expr> = [];
    if (node.kind === SK.NoSubstitutionTemplateLiteral) {
      if (node.text) parts.push(node.text);
    } else {
      if (node.head.text) parts.push(node.head.text);
      for (const s of node.templateSpans) {
        parts.push(this.expr(s.expression));
        if (s.literal.text) parts.push(s.literal.text);
      }
    }
    return { kind: "template", parts, span: this.span(node) };
  }

  private objectLiteral(node: ts.ObjectLiteralExpression): Expr {
    const entries: Array<{ key: string | null; keyExpr?: Expr; value: Expr; spread?: boolean; span: Span }> = [];
    for (const p of node.properties) {
      const span = this.span(p);
      switch (p.kind) {
        case SK.PropertyAssignment:
        case SK.MethodDeclaration:
        case SK.GetAccessor:
        case SK.SetAccessor: {
          const key = this.staticKey(p.name);
          const context: FunctionContext = { name: key ?? "<lambda>", nameSpan: this.span(p.name) };
          const keyExpr = key === null ? this.expr((p.name as ts.ComputedPropertyName).expression) : undefined;
          const value: Expr = p.kind === SK.PropertyAssignment ? this.expr(p.initializer, key === null ? undefined : context) : this.methodExpr(p, context);
          entries.push(keyExpr ? { key, keyExpr, value, span } : { key, value, span });
          break;
        }
        case SK.ShorthandPropertyAssignment:
          entries.push({ key: p.name.text, value: { kind: "name", name: p.name.text, span: this.span(p.name) }, span });
          break;
        case SK.SpreadAssignment:
          entries.push({ key: null, value: this.expr(p.expression), spread: true, span });
          break;
      }
    }
    this.commentsAfter(node.properties.length > 0 ? node.properties[node.properties.length - 1].end : node.properties.pos);
    return { kind: "object", entries, span: this.span(node) };
  }

  private methodExpr(node: ts.MethodDeclaration | ts.AccessorDeclaration, context: FunctionContext): Expr {
    const func = this.functionDef(node, context);
    return { kind: "function", func, span: func.span };
  }

  private functionExpr(node: ts.ArrowFunction | ts.FunctionExpression, context: FunctionContext | undefined): Expr {
    const own = node.kind === SK.FunctionExpression && node.name;
    const func = this.functionDef(node, context ?? { name: own ? own.text : "<lambda>", nameSpan: own ? this.span(own) : undefined });
    return { kind: "function", func, span: func.span };
  }

  // ---- JSX: elements are calls of `jsx:<tag>` with (props object, children array) ----

  private jsx(node: JsxNode): Expr {
    let tag: ts.JsxTagNameExpression | undefined;
    let attributes: ts.JsxAttributes | undefined;
    let children: ts.NodeArray<ts.JsxChild> | undefined;
    if (node.kind === SK.JsxElement) {
      tag = node.openingElement.tagName;
      attributes = node.openingElement.attributes;
      children = node.children;
    } else if (node.kind === SK.JsxSelfClosingElement) {
      tag = node.tagName;
      attributes = node.attributes;
    } else {
      children = node.children;
    }
    const span = this.span(node);
    const tagSpan = tag ? this.span(tag) : this.span(node.kind === SK.JsxFragment ? node.openingFragment : node);
    const callee: Expr = { kind: "name", name: tag ? "jsx:" + this.text.slice(tagSpan.start, tagSpan.end) : "jsx:", span: tagSpan };
    const props: Expr = { kind: "object", entries: attributes ? this.jsxAttributes(attributes) : [], span: attributes ? this.span(attributes) : span };
    const elements: Array<{ value: Expr; spread?: boolean }> = [];
    for (const child of children ?? []) this.jsxChild(child, elements);
    const childSpan = children ? { start: children.pos, end: children.end } : { start: span.end, end: span.end };
    return { kind: "call", callee, args: [{ value: props }, { value: { kind: "array", elements, span: childSpan } }], kwargs: [], span };
  }

  private jsxAttributes(node: ts.JsxAttributes): Array<{ key: string | null; value: Expr; spread?: boolean; span: Span }> {
    const entries: Array<{ key: string | null; value: Expr; spread?: boolean; span: Span }> = [];
    for (const a of node.properties) {
      const span = this.span(a);
      if (a.kind === SK.JsxSpreadAttribute) {
        entries.push({ key: null, value: this.expr(a.expression), spread: true, span });
        continue;
      }
      const key = ts.isIdentifier(a.name) ? a.name.text : `${a.name.namespace.text}:${a.name.name.text}`;
      const init = a.initializer;
      let value: Expr;
      if (!init) value = { kind: "const", value: true, span };
      else if (init.kind === SK.JsxExpression) value = init.expression ? this.expr(init.expression) : this.unknown(init, []);
      else value = this.expr(init);
      entries.push({ key, value, span });
    }
    return entries;
  }

  private jsxChild(child: ts.JsxChild, elements: Array<{ value: Expr; spread?: boolean }>): void {
    if (child.kind === SK.JsxText) {
      if (child.containsOnlyTriviaWhiteSpaces) return;
      // Text is not trivia: measure it directly, since trivia skipping would treat `//` in text as a comment.
      let start = child.pos;
      while (start < child.end && isSpace(this.text.charCodeAt(start))) start++;
      elements.push({ value: { kind: "str", value: child.text, span: { start, end: child.end } } });
    } else if (child.kind === SK.JsxExpression) {
      // `{/* … */}` is how JSX writes a comment between children.
      if (!child.expression) return this.commentsBefore(child.pos + 1);
      const value = this.expr(child.expression);
      elements.push(child.dotDotDotToken ? { value, spread: true } : { value });
    } else {
      elements.push({ value: this.expr(child) });
    }
  }
}
