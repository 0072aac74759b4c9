/**
 * Destructuring and assignment targets -> IR patterns, and imports: `import` declarations and
 * `require(...)` / `await import(...)` bindings, which become imports instead of assignments.
 */
import * as ts from "typescript";
import type { Expr, Pattern, Span } from "../ir";
import { isAssignment, isTransparent, LoweringContext } from "./js-context";

import SK = ts.SyntaxKind;

export abstract class PatternLowerer extends LoweringContext {
  /** Declaration and parameter names: `x`, `{ a, b: c = 1, ...rest }`, `[x, , ...ys]`. */
  protected bindingPattern(name: ts.BindingName): Pattern {
    const span = this.span(name);
    if (name.kind === SK.Identifier) return { kind: "name", name: name.text, span };
    if (name.kind === SK.ArrayBindingPattern) {
      const elements: TupleElement[] = [];
      for (const el of name.elements) {
        elements.push(el.kind === SK.OmittedExpression ? hole(el.pos) : tupleElement(this.bindingPattern(el.name), !!el.dotDotDotToken));
      }
      return { kind: "tuple", elements, span };
    }
    const pattern: Pattern & { kind: "object" } = { kind: "object", properties: [], span };
    for (const el of name.elements) {
      if (el.dotDotDotToken) {
        pattern.rest = this.bindingPattern(el.name);
        continue;
      }
      const key = el.propertyName ? this.propertyName(el.propertyName) : (el.name as ts.Identifier).text;
      const property: { key: string; value: Pattern; defaultValue?: Expr } = { key, value: this.bindingPattern(el.name) };
      if (el.initializer) property.defaultValue = this.expr(el.initializer);
      pattern.properties.push(property);
    }
    return pattern;
  }

  /** Assignment targets; undefined when the target binds nothing the analysis can follow. */
  protected targetPattern(node: ts.Expression): Pattern | undefined {
    while (isTransparent(node)) node = node.expression;
    const span = this.span(node);
    switch (node.kind) {
      case SK.Identifier:
        return { kind: "name", name: (node as ts.Identifier).text, span };
      case SK.PropertyAccessExpression: {
        const p = node as ts.PropertyAccessExpression;
        return { kind: "attr", object: this.expr(p.expression), name: p.name.text, span };
      }
      case SK.ElementAccessExpression: {
        const el = node as ts.ElementAccessExpression;
        return { kind: "index", object: this.expr(el.expression), index: this.expr(el.argumentExpression), span };
      }
      case SK.ArrayLiteralExpression: {
        const elements: TupleElement[] = [];
        for (const el of (node as ts.ArrayLiteralExpression).elements) {
          const isRest = el.kind === SK.SpreadElement;
          const inner = isRest ? (el as ts.SpreadElement).expression : el;
          const target = inner.kind === SK.OmittedExpression ? undefined : this.targetPattern(isAssignment(inner) ? inner.left : inner);
          elements.push(target ? tupleElement(target, isRest) : hole(inner.pos));
        }
        return { kind: "tuple", elements, span };
      }
      case SK.ObjectLiteralExpression:
        return this.objectTarget(node as ts.ObjectLiteralExpression, span);
      default:
        return undefined;
    }
  }

  private objectTarget(node: ts.ObjectLiteralExpression, span: Span): Pattern {
    const pattern: Pattern & { kind: "object" } = { kind: "object", properties: [], span };
    for (const p of node.properties) {
      if (p.kind === SK.SpreadAssignment) {
        pattern.rest = this.targetPattern(p.expression);
      } else if (p.kind === SK.ShorthandPropertyAssignment) {
        const property: { key: string; value: Pattern; defaultValue?: Expr } = { key: p.name.text, value: { kind: "name", name: p.name.text, span: this.span(p.name) } };
        if (p.objectAssignmentInitializer) property.defaultValue = this.expr(p.objectAssignmentInitializer);
        pattern.properties.push(property);
      } else if (p.kind === SK.PropertyAssignment) {
        const withDefault = isAssignment(p.initializer) && p.initializer.operatorToken.kind === SK.EqualsToken ? p.initializer : undefined;
        const value = this.targetPattern(withDefault ? withDefault.left : p.initializer);
        if (!value) continue;
        const property: { key: string; value: Pattern; defaultValue?: Expr } = { key: this.propertyName(p.name), value };
        if (withDefault) property.defaultValue = this.expr(withDefault.right);
        pattern.properties.push(property);
      }
    }
    return pattern;
  }

  // ---- imports ----

  protected importDeclaration(node: ts.ImportDeclaration): void {
    const clause = node.importClause;
    if (!clause || !ts.isStringLiteral(node.moduleSpecifier)) return;
    const module = node.moduleSpecifier.text;
    if (clause.name) this.addImport(clause.name.text, module, "default", clause.name);
    const bindings = clause.namedBindings;
    if (!bindings) return;
    if (bindings.kind === SK.NamespaceImport) return this.addImport(bindings.name.text, module, null, bindings);
    for (const el of bindings.elements) this.addImport(el.name.text, module, (el.propertyName ?? el.name).text, el);
  }

  /**
   * `const x = require("m")`, `const { a, b: c } = require("m")`, `const z = require("m").z`, and the same with
   * `await import("m")`: recorded as imports instead of assignments. False when the declaration is anything else.
   */
  protected requireDeclaration(d: ts.VariableDeclaration, init: ts.Expression): boolean {
    const k = init.kind;
    if (k !== SK.CallExpression && k !== SK.AwaitExpression && k !== SK.PropertyAccessExpression && !isTransparent(init)) return false;
    let module = requiredModule(init);
    let member: string | null = null;
    if (module === undefined && ts.isPropertyAccessExpression(init)) {
      module = requiredModule(init.expression);
      member = init.name.text;
    }
    if (module === undefined) return false;
    if (ts.isIdentifier(d.name)) {
      this.addImport(d.name.text, module, member, d);
      return true;
    }
    if (!ts.isObjectBindingPattern(d.name) || member !== null) return false;
    for (const el of d.name.elements) {
      if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
      this.addImport(el.name.text, module, el.propertyName ? this.propertyName(el.propertyName) : el.name.text, el);
    }
    return true;
  }

  protected addImport(local: string, module: string, name: string | null, node: ts.Node): void {
    this.imports.push({ local, module: module.startsWith("node:") ? module.slice(5) : module, name, span: this.span(node) });
  }
}

/** `require("m")` or `await import("m")`, through type-only wrappers: the module name. */
function requiredModule(node: ts.Expression): string | undefined {
  while (isTransparent(node)) node = node.expression;
  const awaited = node.kind === SK.AwaitExpression;
  if (awaited) node = (node as ts.AwaitExpression).expression;
  while (isTransparent(node)) node = node.expression;
  if (!ts.isCallExpression(node) || node.arguments.length !== 1) return undefined;
  const arg = node.arguments[0];
  if (!ts.isStringLiteralLike(arg)) return undefined;
  const callee = node.expression;
  const isRequire = callee.kind === SK.Identifier && (callee as ts.Identifier).text === "require";
  return isRequire || (awaited && callee.kind === SK.ImportKeyword) ? arg.text : undefined;
}

type TupleElement = Pattern & { rest?: boolean };

/**
 * The IR marks a tuple's rest element with `rest: true`, but an object pattern's own `rest` is a
 * Pattern, so `[{ a, ...others }]` cannot satisfy the element type; consumers tell them apart by `rest === true`.
 */
function tupleElement(pattern: Pattern, rest: boolean): TupleElement {
  return (rest ? { ...pattern, rest: true } : pattern) as TupleElement;
}

/** A skipped position in array destructuring (`[, b]`): binds nothing but keeps later indexes right. */
function hole(pos: number): TupleElement {
  return { kind: "name", name: "", span: { start: pos, end: pos } };
}
