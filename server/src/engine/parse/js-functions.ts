/**
 * Functions, methods and constructors -> FunctionDef: parameters (with their type names),
 * constructor parameter properties, decorators and the body.
 */
import * as ts from "typescript";
import type { Expr, FunctionDef, Param, Pattern, Stmt } from "../ir";
import { hasModifier, MAX_DEPTH, type FunctionContext } from "./js-context";
import { ExpressionLowerer } from "./js-expressions";

import SK = ts.SyntaxKind;

const PARAMETER_PROPERTY_MODIFIERS = new Set<SK>([
  SK.PublicKeyword, SK.PrivateKeyword, SK.ProtectedKeyword, SK.ReadonlyKeyword, SK.OverrideKeyword,
]);

export abstract class FunctionLowerer extends ExpressionLowerer {
  protected abstract statements(list: ts.NodeArray<ts.Statement>, out: Stmt[]): Stmt[];

  protected functionDef(node: ts.FunctionLikeDeclaration, context: FunctionContext): FunctionDef {
    const span = this.span(node);
    const body: Stmt[] = [];
    const saved = this.out;
    this.out = body;
    const params = this.params(node.parameters);
    if (node.kind === SK.Constructor) this.parameterProperties(node);
    const decorators = this.decorators(node);
    if (node.body && ts.isBlock(node.body)) {
      this.statements(node.body.statements, body);
    } else if (node.body) {
      const value = this.expr(node.body);
      body.push({ kind: "return", value, span: value.span });
    }
    this.out = saved;
    const func: FunctionDef = {
      name: context.name,
      params,
      body,
      decorators,
      isAsync: hasModifier(node, SK.AsyncKeyword),
      span,
      nameSpan: context.nameSpan ?? span,
    };
    if (context.className !== undefined) func.className = context.className;
    if (context.exported) func.exported = true;
    return func;
  }

  private params(list: ts.NodeArray<ts.ParameterDeclaration>): Param[] {
    const params: Param[] = [];
    for (const p of list) {
      const isIdentifier = ts.isIdentifier(p.name);
      // `this: T` declares the receiver's type; it is not an argument.
      if (isIdentifier && (p.name as ts.Identifier).text === "this") continue;
      const index = params.length;
      const param: Param = { name: isIdentifier ? (p.name as ts.Identifier).text : `$param${index}`, index, span: this.span(p) };
      if (!isIdentifier) param.pattern = this.bindingPattern(p.name);
      if (p.dotDotDotToken) param.rest = true;
      const annotation = p.type && this.typeName(p.type);
      if (annotation) param.annotation = annotation;
      if (p.initializer) param.defaultValue = this.expr(p.initializer);
      params.push(param);
    }
    this.commentsAfter(list.length > 0 ? list[list.length - 1].end : list.pos);
    return params;
  }

  /** `constructor(private client: OpenAI)` assigns `this.client = client` before the body runs. */
  private parameterProperties(node: ts.ConstructorDeclaration): void {
    for (const p of node.parameters) {
      if (!ts.isIdentifier(p.name) || !p.modifiers?.some((m) => PARAMETER_PROPERTY_MODIFIERS.has(m.kind))) continue;
      const span = this.span(p.name);
      const target: Pattern = { kind: "attr", object: { kind: "name", name: "this", span }, name: p.name.text, span };
      this.out.push({ kind: "assign", target, value: { kind: "name", name: p.name.text, span }, span: this.span(p) });
    }
  }

  /** A parameter's type as a name or attribute chain (`Request`, `express.Request`); other type shapes are dropped. */
  private typeName(type: ts.TypeNode): Expr | undefined {
    return ts.isTypeReferenceNode(type) ? this.entityName(type.typeName) : undefined;
  }

  private entityName(name: ts.EntityName): Expr | undefined {
    const qualifiers: ts.QualifiedName[] = [];
    let first = name;
    while (first.kind === SK.QualifiedName) {
      qualifiers.push(first);
      first = first.left;
    }
    if (qualifiers.length > MAX_DEPTH) return undefined;
    let e: Expr = { kind: "name", name: first.text, span: this.span(first) };
    for (let i = qualifiers.length - 1; i >= 0; i--) {
      const q = qualifiers[i];
      e = { kind: "attr", object: e, name: q.right.text, span: this.span(q), nameSpan: this.span(q.right) };
    }
    return e;
  }

  protected decorators(node: ts.Node): Expr[] {
    const decorators: Expr[] = [];
    const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
    if (modifiers) for (const m of modifiers) if (m.kind === SK.Decorator) decorators.push(this.expr(m.expression));
    return decorators;
  }
}
