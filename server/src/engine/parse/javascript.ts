/**
 * JavaScript / TypeScript / JSX / TSX -> IR, with the TypeScript compiler's parser.
 *
 * Only the syntax tree is used (no program, no checker), so a file parses in isolation
 * and nothing in the workspace is ever resolved or executed. Type-only syntax produces
 * no IR; JSX elements become calls of `jsx:<tag>` so props flow like call arguments.
 */
import * as ts from "typescript";
import type { Comment, Expr, FunctionDef, ImportBinding, IRFile, Language, Param, Pattern, Span, Stmt } from "../ir";

import SK = ts.SyntaxKind;

/**
 * Deeper nodes lower to `unknown`. The parser builds member chains and `+` chains
 * far deeper than a recursive walk could follow on Node's default stack.
 */
const MAX_DEPTH = 400;

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  ".ts": ts.ScriptKind.TS,
  ".mts": ts.ScriptKind.TS,
  ".cts": ts.ScriptKind.TS,
  ".tsx": ts.ScriptKind.TSX,
  ".js": ts.ScriptKind.JS,
  ".mjs": ts.ScriptKind.JS,
  ".cjs": ts.ScriptKind.JS,
  ".jsx": ts.ScriptKind.JSX,
};

const TYPESCRIPT_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx"]);

const COMPARISONS = new Set<SK>([
  SK.EqualsEqualsToken, SK.ExclamationEqualsToken, SK.EqualsEqualsEqualsToken, SK.ExclamationEqualsEqualsToken,
  SK.LessThanToken, SK.GreaterThanToken, SK.LessThanEqualsToken, SK.GreaterThanEqualsToken,
  SK.InKeyword, SK.InstanceOfKeyword,
]);

const PARAMETER_PROPERTY_MODIFIERS = new Set<SK>([
  SK.PublicKeyword, SK.PrivateKeyword, SK.ProtectedKeyword, SK.ReadonlyKeyword, SK.OverrideKeyword,
]);

/** How the context names a function expression: `const f = () => …`, `{ f() {} }`, `export default () => …`. */
interface FunctionContext {
  name: string;
  nameSpan?: Span;
  exported?: boolean;
  className?: string;
}

type JsxNode = ts.JsxElement | ts.JsxSelfClosingElement | ts.JsxFragment;

export function parseJavaScript(text: string, fileName: string): IRFile {
  const dot = fileName.lastIndexOf(".");
  const extension = dot < 0 ? "" : fileName.slice(dot).toLowerCase();
  // Unknown extensions get the most permissive grammar: types and JSX both parse.
  const scriptKind = SCRIPT_KINDS[extension] ?? ts.ScriptKind.TSX;
  const language: Language = TYPESCRIPT_EXTENSIONS.has(extension) ? "typescript" : "javascript";
  const wholeFile: Span = { start: 0, end: text.length };
  const module: FunctionDef = { name: "<module>", params: [], body: [], decorators: [], isAsync: false, span: wholeFile, nameSpan: { start: 0, end: 0 } };
  const file: IRFile = { language, module, imports: [], syntaxErrors: [], comments: [] };
  let sourceFile: ts.SourceFile;
  try {
    // JSDoc is only needed for type checking; skipping it makes parsing about 30% faster.
    const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
    sourceFile = ts.createSourceFile(fileName, text, options, false, scriptKind);
  } catch {
    // The parser recurses without a depth limit and overflows the stack on pathological nesting.
    file.syntaxErrors.push({ start: 0, end: text.length });
    return file;
  }
  for (const d of (sourceFile as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] }).parseDiagnostics) {
    file.syntaxErrors.push({ start: d.start, end: d.start + d.length });
  }
  try {
    new Lowerer(sourceFile, file).lowerModule();
  } catch {
    file.syntaxErrors.push({ start: 0, end: text.length });
  }
  file.comments.sort((a, b) => a.span.start - b.span.start);
  return file;
}

class Lowerer {
  private readonly text: string;
  /** Where statements go, including assignments hoisted out of the expression being lowered. */
  private out: Stmt[];
  private depth = 0;
  private readonly imports: ImportBinding[];
  private readonly comments: Comment[];
  private readonly commentStarts = new Set<number>();
  // Parent and child often share `pos`; remembering the last answer avoids rescanning long doc comments.
  private cachedPos = -1;
  private cachedStart = -1;

  constructor(private readonly sourceFile: ts.SourceFile, private readonly file: IRFile) {
    this.text = sourceFile.text;
    this.out = file.module.body;
    this.imports = file.imports;
    this.comments = file.comments;
  }

  lowerModule(): void {
    this.collectComments(0);
    this.statements(this.sourceFile.statements, this.file.module.body);
  }

  // ---- statements ----

  private statements(list: ts.NodeArray<ts.Statement>, out: Stmt[]): Stmt[] {
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

  /** `a = b`, `a.b += c`, `[x, y] = z` as an `assign` statement; an `expr` statement for targets that bind nothing. */
  private assignment(node: ts.BinaryExpression): Extract<Stmt, { kind: "assign" | "expr" }> {
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

  // ---- functions ----

  private functionDef(node: ts.FunctionLikeDeclaration, context: FunctionContext): FunctionDef {
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

  private functionExpr(node: ts.ArrowFunction | ts.FunctionExpression, context: FunctionContext | undefined): Expr {
    const own = node.kind === SK.FunctionExpression && node.name;
    const func = this.functionDef(node, context ?? { name: own ? own.text : "<lambda>", nameSpan: own ? this.span(own) : undefined });
    return { kind: "function", func, span: func.span };
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

  private decorators(node: ts.Node): Expr[] {
    const decorators: Expr[] = [];
    const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
    if (modifiers) for (const m of modifiers) if (m.kind === SK.Decorator) decorators.push(this.expr(m.expression));
    return decorators;
  }

  // ---- expressions ----

  private expr(node: ts.Expression, context?: FunctionContext): Expr {
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

  /** The key text of `a`, `"a"`, `1`, `["a"]`; null for computed keys. */
  private staticKey(name: ts.PropertyName): string | null {
    if (name.kind === SK.ComputedPropertyName) {
      const e = name.expression;
      return ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) ? e.text : null;
    }
    return name.text;
  }

  /** A member's name as text; computed keys keep their source text, e.g. `[Symbol.iterator]`. */
  private propertyName(name: ts.PropertyName): string {
    return this.staticKey(name) ?? this.text.slice(this.span(name).start, name.end);
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

  // ---- patterns ----

  /** Declaration and parameter names: `x`, `{ a, b: c = 1, ...rest }`, `[x, , ...ys]`. */
  private bindingPattern(name: ts.BindingName): Pattern {
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
  private targetPattern(node: ts.Expression): Pattern | undefined {
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

  private importDeclaration(node: ts.ImportDeclaration): void {
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
  private requireDeclaration(d: ts.VariableDeclaration, init: ts.Expression): boolean {
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

  private addImport(local: string, module: string, name: string | null, node: ts.Node): void {
    this.imports.push({ local, module: module.startsWith("node:") ? module.slice(5) : module, name, span: this.span(node) });
  }

  // ---- spans and comments ----

  private span(node: ts.Node): Span {
    const pos = node.pos;
    const end = node.end;
    // Zero-width nodes are missing tokens or empty lists: the parser puts them where trivia starts.
    if (pos >= end) return { start: end, end };
    if (pos === this.cachedPos) return { start: this.cachedStart, end };
    const start = node.getStart(this.sourceFile);
    this.cachedPos = pos;
    this.cachedStart = start;
    const text = this.text;
    // Leading trivia holds only whitespace and comments, so a slash means a comment.
    for (let i = pos; i < start; i++) {
      if (text.charCodeAt(i) === 47) {
        this.collectComments(pos);
        break;
      }
    }
    return { start, end };
  }

  /** Comments that are not followed by a lowered node: at the end of a list, before `}`, `)` or `]`. */
  private commentsAfter(end: number): void {
    const text = this.text;
    let i = end;
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 44 /* , */) i++;
    this.commentsBefore(i);
  }

  private commentsBefore(pos: number): void {
    const text = this.text;
    let i = pos;
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) this.collectComments(pos);
  }

  /** Records the comments in the trivia that starts at `pos`. */
  private collectComments(pos: number): void {
    const text = this.text;
    let i = pos === 0 && text.startsWith("#!") ? lineEnd(text, 2) : pos;
    for (;;) {
      while (isSpace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== 47) return;
      const marker = text.charCodeAt(i + 1);
      let end: number;
      let bodyEnd: number;
      if (marker === 47) {
        end = bodyEnd = lineEnd(text, i + 2);
      } else if (marker === 42) {
        const close = text.indexOf("*/", i + 2);
        bodyEnd = close < 0 ? text.length : close;
        end = close < 0 ? text.length : close + 2;
      } else {
        return;
      }
      if (!this.commentStarts.has(i)) {
        this.commentStarts.add(i);
        this.comments.push({ span: { start: i, end }, text: text.slice(i + 2, bodyEnd) });
      }
      i = end;
    }
  }

}

function hasModifier(node: ts.HasModifiers, kind: SK): boolean {
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (!modifiers) return false;
  for (const m of modifiers) if (m.kind === kind) return true;
  return false;
}

function isAssignment(node: ts.Expression): node is ts.BinaryExpression {
  if (node.kind !== SK.BinaryExpression) return false;
  const op = (node as ts.BinaryExpression).operatorToken.kind;
  return op >= SK.FirstAssignment && op <= SK.LastAssignment;
}

/** Wrappers that change only the static type: `(x)`, `x as T`, `x!`, `<T>x`, `x satisfies T`. */
function isTransparent(node: ts.Expression): node is ts.ParenthesizedExpression | ts.AsExpression | ts.NonNullExpression | ts.TypeAssertion | ts.SatisfiesExpression {
  const k = node.kind;
  return k === SK.ParenthesizedExpression || k === SK.AsExpression || k === SK.NonNullExpression || k === SK.TypeAssertionExpression || k === SK.SatisfiesExpression;
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

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029;
}

function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) break;
    i++;
  }
  return i;
}
