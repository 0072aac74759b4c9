/**
 * What a rule needs to propose a fix: the text, the IR with a lookup from a span to the
 * expression there and its ancestors, and edits that every fix shares (adding an import or a
 * helper function once, at the right place). Fixes are text edits on spans; the engine turns
 * them into ranges.
 */
import { forEachChild, type Expr, type FunctionDef, type IRFile, type Language, type Span, type Stmt } from "../ir";

export interface SpanEdit {
  span: Span;
  newText: string;
}

export interface FixProposal {
  title: string;
  /** Keeps what the code does for legitimate input and needs nothing new installed: applied by fix-all. */
  safe: boolean;
  edits: SpanEdit[];
}

export type CallExpr = Extract<Expr, { kind: "call" }>;

interface Located {
  expr: Expr;
  /** Innermost first. */
  ancestors: Expr[];
  /** The statement the expression belongs to. */
  statement: Stmt;
}

export class FixKit {
  private index?: Map<string, Located[]>;

  constructor(
    readonly text: string,
    readonly language: Language,
    readonly ir: IRFile | undefined,
  ) {}

  get isPython(): boolean {
    return this.language === "python";
  }

  slice(span: Span): string {
    return this.text.slice(span.start, span.end);
  }

  /** The expression with exactly this span (the outermost one when several share it). */
  at(span: Span): Located | undefined {
    return this.lookup().get(`${span.start}:${span.end}`)?.[0];
  }

  /** The call with exactly this span, with its ancestors. */
  callAt(span: Span): (Located & { expr: CallExpr }) | undefined {
    return this.lookup()
      .get(`${span.start}:${span.end}`)
      ?.find((l): l is Located & { expr: CallExpr } => l.expr.kind === "call");
  }

  /** Leading whitespace of the line that holds `offset`. */
  indentAt(offset: number): string {
    const lineStart = this.text.lastIndexOf("\n", offset - 1) + 1;
    return /^[ \t]*/.exec(this.text.slice(lineStart))![0];
  }

  lineStart(offset: number): number {
    return this.text.lastIndexOf("\n", offset - 1) + 1;
  }

  newline(): string {
    return this.text.includes("\r\n") ? "\r\n" : "\n";
  }

  /**
   * An edit that imports `name` from `module` (or the module itself), or undefined when the file
   * already does. Python: `import module` / `from module import name`; JS: `import { name } from "module"`.
   */
  ensureImport(module: string, name?: string): SpanEdit | undefined {
    const imports = this.ir?.imports ?? [];
    const present = imports.some((i) => (name ? i.module === module && i.name === name : i.module === module && i.name === null && i.local === module));
    if (present) return undefined;
    const nl = this.newline();
    const line = this.isPython
      ? name
        ? `from ${module} import ${name}`
        : `import ${module}`
      : `import { ${name} } from "${module}";`;
    const at = this.importInsertionPoint();
    return { span: { start: at, end: at }, newText: line + nl };
  }

  /** JS only: an edit that adds `import local from "module"`, or undefined when the file already imports that module's default. */
  ensureDefaultImport(module: string, local: string): SpanEdit | undefined {
    if (this.ir?.imports.some((i) => i.module === module && i.name === "default")) return undefined;
    const at = this.importInsertionPoint();
    return { span: { start: at, end: at }, newText: `import ${local} from "${module}";${this.newline()}` };
  }

  /** Where module-level additions go: after the imports, at a line start. */
  afterImports(): number {
    return this.importInsertionPoint();
  }

  /** After the last top-level import (or a module docstring / shebang / "use" directive), at a line start. */
  private importInsertionPoint(): number {
    const imports = this.ir?.imports ?? [];
    let end = 0;
    for (const i of imports) if (this.indentAt(i.span.start) === "" && i.span.end > end) end = i.span.end;
    if (end > 0) {
      const nextLine = this.text.indexOf("\n", end);
      return nextLine < 0 ? this.text.length : nextLine + 1;
    }
    const lead = this.isPython ? /^(?:#![^\n]*\n)?(?:[ \t]*#[^\n]*\n)*(?:[ \t]*(?:"""[\s\S]*?"""|'''[\s\S]*?''')[ \t]*\n)?/ : /^(?:#![^\n]*\n)?(?:\s*(?:"use [a-z]+"|'use [a-z]+');?[ \t]*\n)*/;
    return lead.exec(this.text)?.[0].length ?? 0;
  }

  /**
   * An edit that defines a helper function at module level, once: after the imports, or
   * undefined when the file already defines a function of that name.
   */
  ensureHelper(name: string, source: string): SpanEdit | undefined {
    if (this.ir?.module.body.some((s) => s.kind === "function" && s.func.name === name)) return undefined;
    const at = this.importInsertionPoint();
    const nl = this.newline();
    const body = source.replace(/\n/g, nl);
    return { span: { start: at, end: at }, newText: this.isPython ? `${nl}${nl}${body}${nl}${nl}` : `${nl}${body}${nl}` };
  }

  /** An edit that defines a module-level constant once, after the imports, or undefined when the module already assigns that name. */
  ensureConstant(name: string, value: string): SpanEdit | undefined {
    if (this.ir?.module.body.some((s) => s.kind === "assign" && s.target.kind === "name" && s.target.name === name)) return undefined;
    const at = this.importInsertionPoint();
    const nl = this.newline();
    return { span: { start: at, end: at }, newText: this.isPython ? `${nl}${name} = ${value}${nl}` : `${nl}const ${name} = ${value};${nl}` };
  }

  /** The innermost expression whose span holds `span` (a match inside a string literal), with its ancestors. */
  containing(span: Span): Located | undefined {
    let best: Located | undefined;
    for (const list of this.lookup().values()) {
      for (const l of list) {
        const { start, end } = l.expr.span;
        if (start <= span.start && span.end <= end && (!best || end - start < best.expr.span.end - best.expr.span.start)) best = l;
      }
    }
    return best;
  }

  /** The innermost function (the module when none) whose text holds `span`. */
  functionAround(span: Span): FunctionDef | undefined {
    if (!this.ir) return undefined;
    let found = this.ir.module;
    const consider = (f: FunctionDef): void => {
      if (f.span.start <= span.start && span.end <= f.span.end && f.span.end - f.span.start < found.span.end - found.span.start) found = f;
    };
    const visitExpr = (e: Expr): void => {
      if (e.kind === "function") {
        consider(e.func);
        visitStmts(e.func.body);
      }
      forEachChild(e, visitExpr);
    };
    const visitStmts = (stmts: readonly Stmt[]): void => {
      for (const s of stmts) {
        if (s.kind === "function") consider(s.func);
        statementExprs(s).forEach(visitExpr);
        statementBlocks(s).forEach(visitStmts);
      }
    };
    visitStmts(this.ir.module.body);
    return found;
  }

  private lookup(): Map<string, Located[]> {
    if (this.index) return this.index;
    const index = new Map<string, Located[]>();
    this.index = index;
    if (!this.ir) return index;
    const visitExpr = (e: Expr, ancestors: Expr[], statement: Stmt): void => {
      const key = `${e.span.start}:${e.span.end}`;
      const list = index.get(key);
      if (list) list.push({ expr: e, ancestors, statement });
      else index.set(key, [{ expr: e, ancestors, statement }]);
      const inner = [e, ...ancestors];
      forEachChild(e, (child) => visitExpr(child, inner, statement));
      if (e.kind === "function") visitFunction(e.func);
    };
    const visitStmts = (stmts: readonly Stmt[]): void => {
      for (const s of stmts) for (const e of statementExprs(s)) visitExpr(e, [], s);
      for (const s of stmts) for (const block of statementBlocks(s)) visitStmts(block);
    };
    const visitFunction = (f: FunctionDef): void => {
      visitStmts(f.body);
    };
    visitFunction(this.ir.module);
    return index;
  }
}

/** Expressions a statement holds directly (not in nested blocks). */
function statementExprs(s: Stmt): Expr[] {
  switch (s.kind) {
    case "assign":
      return s.target.kind === "attr" || s.target.kind === "index" ? [s.value, s.target.object] : [s.value];
    case "expr":
      return [s.expr];
    case "return":
    case "throw":
      return s.value ? [s.value] : [];
    case "if":
      return [s.test];
    case "loop":
      return [s.iter, s.test].filter((e): e is Expr => e !== undefined);
    case "function":
      return [...s.func.decorators, ...s.func.params.flatMap((p) => (p.defaultValue ? [p.defaultValue] : []))];
    case "class":
      return [...s.bases, ...s.decorators];
    default:
      return [];
  }
}

/** The blocks of statements a statement holds (branches, loop and function bodies). */
export function statementBlocks(s: Stmt): Stmt[][] {
  switch (s.kind) {
    case "if":
      return [s.then, s.else];
    case "loop":
      return [s.body];
    case "try":
      return [s.body, ...s.handlers.map((h) => h.body), s.finally];
    case "function":
      return [s.func.body];
    case "class":
      return [s.body];
    default:
      return [];
  }
}
