/**
 * The language-neutral model of one source file.
 *
 * Python (tree-sitter) and JS/TS (TypeScript compiler API) are both lowered into
 * these shapes, so dataflow and rules are written once. The IR keeps only what
 * the analysis needs: bindings, calls, string building, containers, control
 * structure and source spans. Everything else becomes an `unknown` expression
 * whose children still carry data.
 *
 * Spans are UTF-16 offsets into the original text (what JS strings and LSP use).
 */

export type Language = "python" | "javascript" | "typescript";

export interface Span {
  start: number;
  end: number;
}

export interface IRFile {
  language: Language;
  /** Top-level statements, as the body of a synthetic module function. */
  module: FunctionDef;
  imports: ImportBinding[];
  /** Spans of syntax errors reported by the parser (analysis continues around them). */
  syntaxErrors: Span[];
  /** Comments, for suppressions and annotations: span and text without the comment marker. */
  comments: Comment[];
}

export interface Comment {
  span: Span;
  text: string;
}

/**
 * One imported name.
 *   `import openai`                       -> { local: "openai", module: "openai", name: null }
 *   `import a.b as c`                     -> { local: "c", module: "a.b", name: null }
 *   `import a.b`                          -> { local: "a", module: "a", name: null }
 *   `from openai import OpenAI as O`      -> { local: "O", module: "openai", name: "OpenAI" }
 *   `from . import x` (relative)          -> { local: "x", module: ".", name: "x" }
 *   `import OpenAI from "openai"`         -> { local: "OpenAI", module: "openai", name: "default" }
 *   `import * as ai from "ai"`            -> { local: "ai", module: "ai", name: null }
 *   `import { generateText as g } from "ai"` -> { local: "g", module: "ai", name: "generateText" }
 *   `const cp = require("child_process")` -> { local: "cp", module: "child_process", name: null }
 *   `const { exec } = require("child_process")` -> { local: "exec", module: "child_process", name: "exec" }
 * A `node:` prefix on JS module names is removed.
 */
export interface ImportBinding {
  local: string;
  module: string;
  name: string | null;
  span: Span;
}

export interface Param {
  /** Plain name; for a destructured parameter this is a synthetic name like `$param0`. */
  name: string;
  index: number;
  /** `*args` / `...rest` */
  rest?: boolean;
  /** `**kwargs` */
  kwrest?: boolean;
  /** Type annotation as an expression (a name or attribute chain, e.g. `Request`, `flask.Request`). */
  annotation?: Expr;
  defaultValue?: Expr;
  /** For destructured parameters (`({ body }) => …`): the pattern that unpacks `name`. */
  pattern?: Pattern;
  span: Span;
}

export interface FunctionDef {
  /** `<module>` for the module body, `<lambda>` for anonymous functions. */
  name: string;
  params: Param[];
  body: Stmt[];
  /** Python decorators, outermost first, as expressions (`@app.get("/x")` is a call). */
  decorators: Expr[];
  isAsync: boolean;
  /** Enclosing class name for methods. */
  className?: string;
  /** JS: `export function GET(...)` / `export default function`. Python: always false. */
  exported?: boolean;
  /** An arrow function or lambda whose body is a single expression is lowered to `[return expr]`. */
  span: Span;
  /** Span of the name (or of the whole function when anonymous), for reporting. */
  nameSpan: Span;
}

/** Assignment targets and destructuring patterns. */
export type Pattern =
  | { kind: "name"; name: string; span: Span }
  /** `obj.attr = …` / `self.client = …` / `this.client = …` */
  | { kind: "attr"; object: Expr; name: string; span: Span }
  /** `obj[key] = …` */
  | { kind: "index"; object: Expr; index: Expr; span: Span }
  /** `a, b = …` / `[a, b] = …`; `rest` element marked by `rest: true` on the element. */
  | { kind: "tuple"; elements: Array<Pattern & { rest?: boolean }>; span: Span }
  /**
   * `{ text, usage: u, ...rest } = …`; `key` is the property read, `value` the pattern it binds.
   * `rest` binds the remaining properties.
   */
  | { kind: "object"; properties: Array<{ key: string; value: Pattern; defaultValue?: Expr }>; rest?: Pattern; span: Span };

export type Stmt =
  /**
   * `=`, `:=`, declarations with initializers, `with … as x`, augmented assignment (`op` set: `x += y`).
   * `annotation` is a declared type (`client: OpenAI = make()`; a bare `x: T` has an empty `unknown` value).
   */
  | { kind: "assign"; target: Pattern; value: Expr; op?: string; annotation?: Expr; span: Span }
  | { kind: "expr"; expr: Expr; span: Span }
  | { kind: "return"; value?: Expr; span: Span }
  /** `raise` / `throw`: ends the branch. */
  | { kind: "throw"; value?: Expr; span: Span }
  /** `break` / `continue`: ends the branch. */
  | { kind: "jump"; span: Span }
  | { kind: "if"; test: Expr; then: Stmt[]; else: Stmt[]; span: Span }
  /**
   * `for target in iter` / `for (const target of iter)` / `for await` / `for … in` (JS: `keys: true`):
   * `target` and `iter` present. `while test` / `do … while` / C-style `for`: `test` present (or none: infinite).
   */
  | { kind: "loop"; target?: Pattern; iter?: Expr; test?: Expr; body: Stmt[]; keys?: boolean; span: Span }
  | { kind: "try"; body: Stmt[]; handlers: Array<{ name?: string; body: Stmt[] }>; finally: Stmt[]; span: Span }
  | { kind: "function"; func: FunctionDef; span: Span }
  | { kind: "class"; name: string; bases: Expr[]; decorators: Expr[]; body: Stmt[]; span: Span };

export type Expr =
  | { kind: "name"; name: string; span: Span }
  /** `obj.name`, also optional chaining `obj?.name`. */
  | { kind: "attr"; object: Expr; name: string; span: Span; nameSpan: Span }
  /** `obj[index]`; Python slices lower to `index` with an `unknown` index. */
  | { kind: "index"; object: Expr; index: Expr; span: Span }
  /**
   * A call. `isNew` for `new X(…)`. Python keyword arguments go to `kwargs`;
   * `*a` / `...a` are positional with `spread: true`; `**kw` is a kwarg with name `**`.
   * JS calls never have kwargs (options objects stay positional object expressions).
   */
  | {
      kind: "call";
      callee: Expr;
      args: Array<{ value: Expr; spread?: boolean }>;
      kwargs: Array<{ name: string; value: Expr; span: Span }>;
      isNew?: boolean;
      span: Span;
    }
  /** A string literal with no interpolation. `value` is the decoded text. */
  | { kind: "str"; value: string; span: Span }
  /**
   * f-strings and template literals: literal text parts and interpolated expressions in order.
   * Tagged templates lower to a call of the tag with the template as its argument.
   */
  | { kind: "template"; parts: Array<string | Expr>; span: Span }
  | { kind: "num"; value: number; span: Span }
  /** `True/False/None`, `true/false/null/undefined`. */
  | { kind: "const"; value: boolean | null; span: Span }
  /** Arithmetic and string operators: `+ - * / % | & ?? || or and` etc. (`op` as written; `and`/`or` normalised to `&&`/`||`). */
  | { kind: "binary"; op: string; left: Expr; right: Expr; span: Span }
  /** `== != === !== < > <= >= in not-in is is-not instanceof`; chains of Python comparisons nest. */
  | { kind: "compare"; op: string; left: Expr; right: Expr; span: Span }
  /** `not x`, `!x`, `-x`, `typeof x`, `void x`, `delete x`. */
  | { kind: "unary"; op: string; operand: Expr; span: Span }
  /**
   * Dicts and object literals. `key` is the static key text when known (identifier, string, number),
   * `null` with `spread: true` for `...obj` / `**d`, or `keyExpr` for a computed key.
   */
  | {
      kind: "object";
      entries: Array<{ key: string | null; keyExpr?: Expr; value: Expr; spread?: boolean; span: Span }>;
      span: Span;
    }
  /** Lists, tuples, sets and arrays. */
  | { kind: "array"; elements: Array<{ value: Expr; spread?: boolean }>; span: Span }
  | { kind: "await"; value: Expr; span: Span }
  /** Lambdas, arrow functions and function expressions. */
  | { kind: "function"; func: FunctionDef; span: Span }
  /** `a if t else b` / `t ? a : b` */
  | { kind: "cond"; test: Expr; then: Expr; else: Expr; span: Span }
  /** Comprehensions and generator expressions: `element for target in iter if cond`. */
  | { kind: "comprehension"; element: Expr; target: Pattern; iter: Expr; conditions: Expr[]; span: Span }
  /** `x as T`, `x!`, `<T>x`, `(x)`, `x satisfies T`: kept so spans stay right. */
  | { kind: "paren"; value: Expr; span: Span }
  /** Anything else: data may still flow from its children (e.g. walrus, yield, spread in odd places). */
  | { kind: "unknown"; children: Expr[]; span: Span };

export type ExprKind = Expr["kind"];

/** Calls `visit` on each direct child expression of `e` (a nested function's body is not a child). */
export function forEachChild(e: Expr, visit: (child: Expr) => void): void {
  switch (e.kind) {
    case "attr":
      visit(e.object);
      break;
    case "index":
      visit(e.object);
      visit(e.index);
      break;
    case "call":
      visit(e.callee);
      for (const a of e.args) visit(a.value);
      for (const k of e.kwargs) visit(k.value);
      break;
    case "template":
      for (const p of e.parts) if (typeof p !== "string") visit(p);
      break;
    case "binary":
    case "compare":
      visit(e.left);
      visit(e.right);
      break;
    case "unary":
      visit(e.operand);
      break;
    case "object":
      for (const en of e.entries) {
        if (en.keyExpr) visit(en.keyExpr);
        visit(en.value);
      }
      break;
    case "array":
      for (const el of e.elements) visit(el.value);
      break;
    case "await":
    case "paren":
      visit(e.value);
      break;
    case "cond":
      visit(e.test);
      visit(e.then);
      visit(e.else);
      break;
    case "comprehension":
      visit(e.iter);
      for (const c of e.conditions) visit(c);
      visit(e.element);
      break;
    case "unknown":
      for (const c of e.children) visit(c);
      break;
    default:
      break;
  }
}
