/**
 * State shared by every stage of JavaScript / TypeScript lowering (where statements go, the
 * recursion depth, imports and comments found so far), and the spans and comments that every
 * stage reads from the source text.
 */
import * as ts from "typescript";
import type { Comment, Expr, ImportBinding, IRFile, Span, Stmt } from "../ir";

import SK = ts.SyntaxKind;

/**
 * Deeper nodes lower to `unknown`. The parser builds member chains and `+` chains
 * far deeper than a recursive walk could follow on Node's default stack.
 */
export const MAX_DEPTH = 400;

/** How the context names a function expression: `const f = () => …`, `{ f() {} }`, `export default () => …`. */
export interface FunctionContext {
  name: string;
  nameSpan?: Span;
  exported?: boolean;
  className?: string;
}

/**
 * The base of the lowering, which is one class built in layers, each in its own file:
 * context, patterns (js-patterns.ts), expressions (js-expressions.ts), functions
 * (js-functions.ts), statements (js-statements.ts). Statements and expressions nest in
 * each other, so a layer reaches a later one through an abstract method.
 */
export abstract class LoweringContext {
  protected readonly text: string;
  /** Where statements go, including assignments hoisted out of the expression being lowered. */
  protected out: Stmt[];
  protected depth = 0;
  protected readonly imports: ImportBinding[];
  private readonly comments: Comment[];
  private readonly commentStarts = new Set<number>();
  // Parent and child often share `pos`; remembering the last answer avoids rescanning long doc comments.
  private cachedPos = -1;
  private cachedStart = -1;

  constructor(protected readonly sourceFile: ts.SourceFile, protected readonly file: IRFile) {
    this.text = sourceFile.text;
    this.out = file.module.body;
    this.imports = file.imports;
    this.comments = file.comments;
  }

  protected abstract expr(node: ts.Expression, context?: FunctionContext): Expr;

  protected span(node: ts.Node): Span {
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
  protected commentsAfter(end: number): void {
    const text = this.text;
    let i = end;
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 44 /* , */) i++;
    this.commentsBefore(i);
  }

  protected commentsBefore(pos: number): void {
    const text = this.text;
    let i = pos;
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) this.collectComments(pos);
  }

  /** Records the comments in the trivia that starts at `pos`. */
  protected collectComments(pos: number): void {
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

  /** The key text of `a`, `"a"`, `1`, `["a"]`; null for computed keys. */
  protected staticKey(name: ts.PropertyName): string | null {
    if (name.kind === SK.ComputedPropertyName) {
      const e = name.expression;
      return ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) ? e.text : null;
    }
    return name.text;
  }

  /** A member's name as text; computed keys keep their source text, e.g. `[Symbol.iterator]`. */
  protected propertyName(name: ts.PropertyName): string {
    return this.staticKey(name) ?? this.text.slice(this.span(name).start, name.end);
  }
}

export function hasModifier(node: ts.HasModifiers, kind: SK): boolean {
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (!modifiers) return false;
  for (const m of modifiers) if (m.kind === kind) return true;
  return false;
}

export function isAssignment(node: ts.Expression): node is ts.BinaryExpression {
  if (node.kind !== SK.BinaryExpression) return false;
  const op = (node as ts.BinaryExpression).operatorToken.kind;
  return op >= SK.FirstAssignment && op <= SK.LastAssignment;
}

/** Wrappers that change only the static type: `(x)`, `x as T`, `x!`, `<T>x`, `x satisfies T`. */
export function isTransparent(node: ts.Expression): node is ts.ParenthesizedExpression | ts.AsExpression | ts.NonNullExpression | ts.TypeAssertion | ts.SatisfiesExpression {
  const k = node.kind;
  return k === SK.ParenthesizedExpression || k === SK.AsExpression || k === SK.NonNullExpression || k === SK.TypeAssertionExpression || k === SK.SatisfiesExpression;
}

export function isSpace(c: number): boolean {
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
