/**
 * Statement lowering, classes included, and the module body. Only runtime code produces IR:
 * ambient (`declare`) declarations, types, interfaces and enums are skipped.
 */
import * as ts from "typescript";
import type { Expr, Pattern, Span, Stmt } from "../ir";
import { hasModifier, isAssignment, MAX_DEPTH } from "./js-context";
import { FunctionLowerer } from "./js-functions";

import SK = ts.SyntaxKind;

export class JavaScriptLowerer extends FunctionLowerer {
  lowerModule(): void {
    this.collectComments(0);
    this.statements(this.sourceFile.statements, this.file.module.body);
  }

  protected statements(list: ts.NodeArray<ts.Statement>, out: Stmt[]): Stmt[] {
    const saved = this.out;
    this.out = out;
    for (const s of list) {
      this.commentsBefore(s.pos);
      this.statement(s);
    }
    this.commentsBefore(list.end);
    this.out = saved;
    return out;
  }

  private branch(node: ts.Statement): Stmt[] {
    const saved = this.out;
    const out: Stmt[] = (this.out = []);
    this.statement(node);
    this.out = saved;
    return out;
  }

  private statement(node: ts.Statement): void {
    if (++this.depth > MAX_DEPTH) {
      this.out.push({ kind: "expr", expr: { kind: "unknown", children: [], span: this.span(node) }, span: this.span(node) });
    } else {
      this.statementOfKind(node);
    }
    this.depth--;
  }

  private statementOfKind(node: ts.Statement): void {
    const out = this.out;
    switch (node.kind) {
      case SK.VariableStatement: {
        const v = node as ts.VariableStatement;
        if (hasModifier(v, SK.DeclareKeyword)) return;
        const exported = hasModifier(v, SK.ExportKeyword);
        for (const d of v.declarationList.declarations) this.declaration(d, exported);
        return;
      }
      case SK.ExpressionStatement:
        return this.expressionStatement((node as ts.ExpressionStatement).expression, this.span(node));
      case SK.FunctionDeclaration: {
        const f = node as ts.FunctionDeclaration;
        if (!f.body || hasModifier(f, SK.DeclareKeyword)) return;
        const exported = hasModifier(f, SK.ExportKeyword);
        const func = this.functionDef(f, { name: f.name?.text ?? "default", nameSpan: f.name && this.span(f.name), exported });
        out.push({ kind: "function", func, span: func.span });
        return;
      }
      case SK.ClassDeclaration:
        return this.classDeclaration(node as ts.ClassDeclaration);
      case SK.ReturnStatement:
      case SK.ThrowStatement: {
        const e = (node as ts.ReturnStatement | ts.ThrowStatement).expression;
        const value = e && this.expr(e);
        const kind = node.kind === SK.ReturnStatement ? "return" : "throw";
        out.push(value ? { kind, value, span: this.span(node) } : { kind, span: this.span(node) });
        return;
      }
      case SK.IfStatement: {
        const i = node as ts.IfStatement;
        const test = this.expr(i.expression);
        const then = this.branch(i.thenStatement);
        out.push({ kind: "if", test, then, else: i.elseStatement ? this.branch(i.elseStatement) : [], span: this.span(node) });
        return;
      }
      case SK.Block:
        this.statements((node as ts.Block).statements, out);
        return;
      case SK.LabeledStatement:
        return this.statement((node as ts.LabeledStatement).statement);
      case SK.ForOfStatement:
      case SK.ForInStatement: {
        const f = node as ts.ForOfStatement | ts.ForInStatement;
        const iter = this.expr(f.expression);
        const init = f.initializer;
        const target = ts.isVariableDeclarationList(init)
          ? init.declarations.length > 0 ? this.bindingPattern(init.declarations[0].name) : undefined
          : this.targetPattern(init);
        const loop: Stmt = { kind: "loop", iter, body: this.branch(f.statement), span: this.span(node) };
        if (target) loop.target = target;
        if (node.kind === SK.ForInStatement) loop.keys = true;
        out.push(loop);
        return;
      }
      case SK.ForStatement: {
        const f = node as ts.ForStatement;
        const init = f.initializer;
        if (init && ts.isVariableDeclarationList(init)) for (const d of init.declarations) this.declaration(d, false);
        else if (init) this.expressionStatement(init, this.span(init));
        const test = f.condition && this.expr(f.condition);
        const body = this.branch(f.statement);
        if (f.incrementor) {
          const saved = this.out;
          this.out = body;
          this.expressionStatement(f.incrementor, this.span(f.incrementor));
          this.out = saved;
        }
        const loop: Stmt = { kind: "loop", body, span: this.span(node) };
        if (test) loop.test = test;
        out.push(loop);
        return;
      }
      case SK.WhileStatement:
      case SK.DoStatement: {
        const w = node as ts.WhileStatement | ts.DoStatement;
        // Lowered in source order, so hoisted assignments and comments come out in order.
        const doBody = node.kind === SK.DoStatement ? this.branch(w.statement) : undefined;
        const test = this.expr(w.expression);
        out.push({ kind: "loop", test, body: doBody ?? this.branch(w.statement), span: this.span(node) });
        return;
      }
      case SK.SwitchStatement:
        return this.switchStatement(node as ts.SwitchStatement);
      case SK.TryStatement: {
        const t = node as ts.TryStatement;
        const body = this.statements(t.tryBlock.statements, []);
        const handlers: Array<{ name?: string; body: Stmt[] }> = [];
        if (t.catchClause) {
          const name = t.catchClause.variableDeclaration?.name;
          const handler: { name?: string; body: Stmt[] } = { body: this.statements(t.catchClause.block.statements, []) };
          if (name && ts.isIdentifier(name)) handler.name = name.text;
          handlers.push(handler);
        }
        const fin = t.finallyBlock ? this.statements(t.finallyBlock.statements, []) : [];
        out.push({ kind: "try", body, handlers, finally: fin, span: this.span(node) });
        return;
      }
      case SK.BreakStatement:
      case SK.ContinueStatement:
        out.push({ kind: "jump", span: this.span(node) });
        return;
      case SK.ImportDeclaration:
        return this.importDeclaration(node as ts.ImportDeclaration);
      case SK.ImportEqualsDeclaration: {
        const i = node as ts.ImportEqualsDeclaration;
        const ref = i.moduleReference;
        if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
          this.addImport(i.name.text, ref.expression.text, null, node);
        }
        return;
      }
      case SK.ExportAssignment: {
        const e = node as ts.ExportAssignment;
        const value = this.expr(e.expression, { name: "default", exported: true });
        out.push({ kind: "expr", expr: value, span: this.span(node) });
        return;
      }
      case SK.ModuleDeclaration: {
        // A namespace with a body is runtime code; its statements are lowered in place.
        const m = node as ts.ModuleDeclaration;
        if (hasModifier(m, SK.DeclareKeyword) || !m.body) return;
        if (ts.isModuleBlock(m.body)) this.statements(m.body.statements, out);
        else if (ts.isModuleDeclaration(m.body)) this.statement(m.body);
        return;
      }
      default:
        // Types, interfaces, enums, `export { … }`, empty statements, `debugger`.
        return;
    }
  }

  private declaration(d: ts.VariableDeclaration, exported: boolean): void {
    const init = d.initializer;
    if (!init || this.requireDeclaration(d, init)) return;
    const value = ts.isIdentifier(d.name) ? this.expr(init, { name: d.name.text, nameSpan: this.span(d.name), exported }) : this.expr(init);
    this.out.push({ kind: "assign", target: this.bindingPattern(d.name), value, span: this.span(d) });
  }

  private expressionStatement(expression: ts.Expression, span: Span): void {
    let e = expression;
    while (e.kind === SK.ParenthesizedExpression) e = (e as ts.ParenthesizedExpression).expression;
    this.out.push(isAssignment(e) ? this.assignment(e) : { kind: "expr", expr: this.expr(expression), span });
  }

  private switchStatement(node: ts.SwitchStatement): void {
    const discriminant = this.expr(node.expression);
    const cases: Array<{ test: Expr; body: Stmt[]; span: Span }> = [];
    let fallback: Stmt[] = [];
    for (const clause of node.caseBlock.clauses) {
      if (clause.kind === SK.DefaultClause) {
        fallback = this.statements(clause.statements, []);
        continue;
      }
      const value = this.expr(clause.expression);
      const test: Expr = { kind: "compare", op: "===", left: discriminant, right: value, span: value.span };
      cases.push({ test, body: this.statements(clause.statements, []), span: this.span(clause) });
    }
    if (cases.length === 0) {
      this.out.push({ kind: "expr", expr: discriminant, span: discriminant.span });
      for (const s of fallback) this.out.push(s);
      return;
    }
    let chain = fallback;
    for (let i = cases.length - 1; i >= 0; i--) {
      const c = cases[i];
      chain = [{ kind: "if", test: c.test, then: c.body, else: chain, span: c.span }];
    }
    this.out.push(chain[0]);
  }

  private classDeclaration(node: ts.ClassDeclaration): void {
    if (hasModifier(node, SK.DeclareKeyword)) return;
    const name = node.name?.text ?? "default";
    const bases: Expr[] = [];
    for (const clause of node.heritageClauses ?? []) {
      if (clause.token === SK.ExtendsKeyword) for (const t of clause.types) bases.push(this.expr(t.expression));
    }
    const decorators = this.decorators(node);
    const body: Stmt[] = [];
    const saved = this.out;
    this.out = body;
    for (const member of node.members) {
      this.commentsBefore(member.pos);
      this.classMember(member, name);
    }
    this.commentsBefore(node.members.end);
    this.out = saved;
    this.out.push({ kind: "class", name, bases, decorators, body, span: this.span(node) });
  }

  private classMember(member: ts.ClassElement, className: string): void {
    switch (member.kind) {
      case SK.MethodDeclaration:
      case SK.GetAccessor:
      case SK.SetAccessor:
      case SK.Constructor: {
        const m = member as ts.MethodDeclaration | ts.AccessorDeclaration | ts.ConstructorDeclaration;
        if (!m.body) return;
        const isConstructor = m.kind === SK.Constructor;
        const name = isConstructor ? "constructor" : this.propertyName(m.name);
        const func = this.functionDef(m, { name, nameSpan: isConstructor ? this.constructorKeyword(m) : this.span(m.name), className });
        this.out.push({ kind: "function", func, span: func.span });
        return;
      }
      case SK.PropertyDeclaration: {
        const p = member as ts.PropertyDeclaration;
        if (!p.initializer || hasModifier(p, SK.DeclareKeyword)) return;
        const name = this.propertyName(p.name);
        const nameSpan = this.span(p.name);
        const owner = hasModifier(p, SK.StaticKeyword) ? className : "this";
        const value = this.expr(p.initializer, { name, nameSpan, className });
        const target: Pattern = { kind: "attr", object: { kind: "name", name: owner, span: nameSpan }, name, span: nameSpan };
        this.out.push({ kind: "assign", target, value, span: this.span(p) });
        return;
      }
      case SK.ClassStaticBlockDeclaration:
        this.statements((member as ts.ClassStaticBlockDeclaration).body.statements, this.out);
        return;
      default:
        return;
    }
  }

  private constructorKeyword(node: ts.ConstructorDeclaration): Span {
    const start = this.text.indexOf("constructor", this.span(node).start);
    return start < 0 || start > node.parameters.pos ? this.span(node) : { start, end: start + "constructor".length };
  }
}
