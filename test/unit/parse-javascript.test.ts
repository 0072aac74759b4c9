/**
 * JS/TS lowering: one construct per test, asserting the IR shape (spans stripped) and,
 * where reporting depends on them, the exact spans.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Expr, FunctionDef, IRFile, Span, Stmt } from "../../server/src/engine/ir";
import { parseJavaScript } from "../../server/src/engine/parse/javascript";

function parse(code: string, file = "a.ts"): IRFile {
  return parseJavaScript(code, file);
}

function body(code: string, file = "a.ts"): Stmt[] {
  return parse(code, file).module.body;
}

/** The IR without spans, for comparing shapes. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== "span" && k !== "nameSpan") out[k] = shape(v);
  return out;
}

/** The shape of the only statement of `code`. */
function only(code: string, file = "a.ts"): unknown {
  const stmts = body(code, file);
  assert.equal(stmts.length, 1, JSON.stringify(shape(stmts)));
  return shape(stmts[0]);
}

/** The shape of the value of `x = <code>`. */
function expr(code: string, file = "a.ts"): unknown {
  const s = body(`x = ${code};`, file)[0];
  assert.equal(s.kind, "assign");
  return shape((s as { value: Expr }).value);
}

function func(code: string, file = "a.ts"): FunctionDef {
  const s = body(code, file)[0];
  if (s.kind === "function") return s.func;
  let value = s.kind === "assign" ? s.value : s.kind === "expr" ? s.expr : undefined;
  while (value?.kind === "paren") value = value.value;
  if (value?.kind === "function") return value.func;
  throw new assert.AssertionError({ message: `no function in ${JSON.stringify(shape(s))}` });
}

const text = (code: string, span: Span): string => code.slice(span.start, span.end);
const name = (n: string) => ({ kind: "name", name: n });
const str = (value: string) => ({ kind: "str", value });
const num = (value: number) => ({ kind: "num", value });
const attr = (object: unknown, n: string) => ({ kind: "attr", object, name: n });
const call = (callee: unknown, ...args: unknown[]) => ({ kind: "call", callee, args: args.map((value) => ({ value })), kwargs: [] });
const assign = (target: unknown, value: unknown) => ({ kind: "assign", target, value });
const exprStmt = (e: unknown) => ({ kind: "expr", expr: e });

describe("files", () => {
  test("language and grammar follow the extension", () => {
    assert.equal(parse("let a: number = 1", "a.ts").language, "typescript");
    for (const f of ["a.tsx", "a.mts", "a.cts"]) assert.equal(parse("", f).language, "typescript");
    for (const f of ["a.js", "a.jsx", "a.mjs", "a.cjs", "a.vue"]) assert.equal(parse("", f).language, "javascript");
    for (const f of ["a.js", "a.jsx", "a.tsx", "a.unknown"]) assert.deepEqual(parse("x = <a/>;", f).syntaxErrors, [], f);
    assert.notDeepEqual(parse("x = <a/>;", "a.ts").syntaxErrors, []);
    assert.deepEqual(parse("const a = <T,>(x: T) => x;", "a.tsx").syntaxErrors, []);
  });

  test("syntax errors are reported and the rest still lowers", () => {
    const code = 'import OpenAI from "openai";\nclient.chat.completions.create({ messages: [{ role: "system", content: `x ${q}` }';
    const ir = parse(code);
    assert.ok(ir.syntaxErrors.length > 0);
    for (const e of ir.syntaxErrors) assert.ok(e.start >= 0 && e.start <= e.end && e.end <= code.length);
    assert.equal(ir.imports.length, 1);
    const create = attr(attr(attr(name("client"), "chat"), "completions"), "create");
    const message = { kind: "object", entries: [{ key: "role", value: str("system") }, { key: "content", value: { kind: "template", parts: ["x ", name("q")] } }] };
    assert.deepEqual(shape(ir.module.body[0]), exprStmt(call(create, { kind: "object", entries: [{ key: "messages", value: { kind: "array", elements: [{ value: message }] } }] })));
  });

  test("never throws on garbage, NUL bytes or deep nesting", () => {
    const garbage = Array.from({ length: 4000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join("");
    for (const code of [garbage, "\0\0\x01 f(\0) `${\0", "(".repeat(1_000_000), "x = " + "[".repeat(50_000), "{".repeat(100_000)]) {
      const ir = parse(code);
      assert.ok(ir.syntaxErrors.length > 0);
    }
    // The parser overflowing its stack must not break the next parse.
    assert.deepEqual(only("f(1)"), exprStmt(call(name("f"), num(1))));
  });

  test("nodes nested deeper than the parser limits for a walk become unknown", () => {
    const chain = parse("x = a" + ".b".repeat(100_000) + ";");
    assert.deepEqual(chain.syntaxErrors, []);
    let e = (chain.module.body[0] as { value: Expr }).value;
    let depth = 0;
    while (e.kind === "attr") [e, depth] = [e.object, depth + 1];
    assert.equal(e.kind, "unknown");
    assert.ok(depth > 100, String(depth));
    const sum = parse("x = " + Array(50_000).fill("a").join(" + ") + ";");
    assert.equal(sum.module.body[0].kind, "assign");
    const qualified = parse("function f(p: a" + ".b".repeat(100_000) + ") {}");
    assert.deepEqual(qualified.syntaxErrors, []);
    assert.equal((qualified.module.body[0] as { func: FunctionDef }).func.params[0].annotation, undefined);
  });

  test("comments, with their text and spans", () => {
    const code = [
      "#!/usr/bin/env node",
      "/* head */ const a = 1; // end of line",
      'const s = "http://not-a-comment"; const r = /[/]*/;',
      "f(a, /* arg */ b, // after arg",
      ");",
      "const o = { k: 1, // after prop",
      "};",
      "const c = t ? a // then",
      "  : b;",
      "function g() { call(); // last in block",
      "}",
      "class K { m() {} // after member",
      "}",
      "if (x) { /* empty */ }",
      "// end of file",
    ].join("\n");
    const ir = parse(code, "a.js");
    assert.deepEqual(ir.comments.map((c) => c.text), [
      " head ", " end of line", " arg ", " after arg", " after prop", " then", " last in block", " after member", " empty ", " end of file",
    ]);
    for (const c of ir.comments) assert.ok(text(code, c.span).startsWith("/"));
    assert.equal(text(code, ir.comments[1].span), "// end of line");
  });

  test("JSX text that looks like a comment is not one", () => {
    const code = "const el = <p>see http://x.y/*z {/* in braces */}</p>; // real";
    assert.deepEqual(parse(code, "a.jsx").comments.map((c) => c.text), [" in braces ", " real"]);
  });

  test("type-only constructs produce nothing", () => {
    const code = `interface I { a: string } type T = number; enum E { A } declare const d: number;
      declare function df(): void; function ov(a: string): void; declare module "m" { const x: 1 } declare class DC {}`;
    assert.deepEqual(body(code), []);
  });
});

describe("imports", () => {
  test("ES imports, import = require, require and dynamic import", () => {
    const code = `import OpenAI from "openai";
import * as ai from "ai";
import { generateText as g, streamText } from "ai";
import type { NextRequest } from "next/server";
import "dotenv/config";
import fs = require("node:fs");
const cp = require("node:child_process");
const { exec, spawn: sp } = require("child_process");
const run = require("child_process").execSync;
async function f() { const mod = await import("./mod"); const { x } = await import("y"); }
export { a } from "b";`;
    const ir = parse(code);
    assert.deepEqual(ir.imports.map(({ local, module, name: n }) => [local, module, n]), [
      ["OpenAI", "openai", "default"],
      ["ai", "ai", null],
      ["g", "ai", "generateText"],
      ["streamText", "ai", "streamText"],
      ["NextRequest", "next/server", "NextRequest"],
      ["fs", "fs", null],
      ["cp", "child_process", null],
      ["exec", "child_process", "exec"],
      ["sp", "child_process", "spawn"],
      ["run", "child_process", "execSync"],
      ["mod", "./mod", null],
      ["x", "y", "x"],
    ]);
    // Imports are bindings, not assignments.
    assert.deepEqual(ir.module.body.map((s) => s.kind), ["function"]);
    assert.deepEqual((ir.module.body[0] as { func: FunctionDef }).func.body, []);
    assert.equal(text(code, ir.imports[2].span), "generateText as g");
  });

  test("other uses of require stay calls", () => {
    assert.deepEqual(only('require("dotenv").config();', "a.js"), exprStmt(call(attr(call(name("require"), str("dotenv")), "config"))));
    assert.deepEqual(only('const p = import("m");', "a.js"), assign(name("p"), call(name("import"), str("m"))));
  });
});

describe("functions", () => {
  test("declarations: parameters, annotations, async, export", () => {
    const code = "export async function POST(req: NextRequest, ctx: express.Request, n = 1, { body, q: [first] }: Opts, ...rest: string[]) { return body; }";
    const f = func(code);
    assert.equal(f.name, "POST");
    assert.equal(text(code, f.nameSpan), "POST");
    assert.equal(text(code, f.span), code);
    assert.equal(f.isAsync, true);
    assert.equal(f.exported, true);
    assert.deepEqual(shape(f.params), [
      { name: "req", index: 0, annotation: name("NextRequest") },
      { name: "ctx", index: 1, annotation: attr(name("express"), "Request") },
      { name: "n", index: 2, defaultValue: num(1) },
      {
        name: "$param3",
        index: 3,
        pattern: { kind: "object", properties: [{ key: "body", value: name("body") }, { key: "q", value: { kind: "tuple", elements: [name("first")] } }] },
        annotation: name("Opts"),
      },
      { name: "rest", index: 4, rest: true },
    ]);
    assert.equal(text(code, f.params[0].span), "req: NextRequest");
    assert.equal(text(code, (f.params[1].annotation as { nameSpan: Span }).nameSpan), "Request");
    assert.deepEqual(shape(f.body), [{ kind: "return", value: name("body") }]);
  });

  test("`this` parameters are types, generators are functions, default exports are exported", () => {
    const f = func("function* gen(this: Window, a) { yield a; }");
    assert.deepEqual(shape(f.params), [{ name: "a", index: 0 }]);
    assert.deepEqual(shape(f.body), [exprStmt({ kind: "unknown", children: [name("a")] })]);
    const d = func("export default function () {}");
    assert.deepEqual([d.name, d.exported, d.nameSpan], ["default", true, d.span]);
    assert.equal(func("export default function handler(req, res) {}").name, "handler");
    assert.equal(func("function local() {}").exported, undefined);
  });

  test("arrows and function expressions take the variable's name", () => {
    const code = "export const GET = async (req) => respond(req);";
    const f = func(code);
    assert.deepEqual([f.name, f.exported, f.isAsync, text(code, f.nameSpan)], ["GET", true, true, "GET"]);
    assert.deepEqual(shape(f.body), [{ kind: "return", value: call(name("respond"), name("req")) }]);
    assert.equal(text(code, f.body[0].span), "respond(req)");
    assert.equal(func("const h = function inner() {};").name, "h");
    assert.equal(func("let h = (async () => 1) as Handler;").name, "h");
    const anon = (body("f(() => 1);")[0] as { expr: { args: Array<{ value: { func: FunctionDef } }> } }).expr.args[0].value.func;
    assert.deepEqual([anon.name, anon.nameSpan], ["<lambda>", anon.span]);
    const named = (body("f(function cb() {});")[0] as { expr: { args: Array<{ value: { func: FunctionDef } }> } }).expr.args[0].value.func;
    assert.equal(named.name, "cb");
    assert.equal(func("export default async (req) => {};").name, "default");
    assert.equal(func("export default async (req) => {};").exported, true);
  });

  test("object literal methods, getters and setters are function values", () => {
    const v = expr("{ async fetch(req) { return 1; }, get size() { return 2; }, set size(v) {}, ['k']() {}, [k]() {} }") as {
      entries: Array<{ key: string | null; keyExpr?: unknown; value: { kind: string; func: { name: string; isAsync: boolean } } }>;
    };
    assert.deepEqual(v.entries.map((e) => [e.key, e.value.kind, e.value.func.name]), [
      ["fetch", "function", "fetch"], ["size", "function", "size"], ["size", "function", "size"], ["k", "function", "k"], [null, "function", "<lambda>"],
    ]);
    assert.equal(v.entries[0].value.func.isAsync, true);
    assert.deepEqual(v.entries[4].keyExpr, name("k"));
  });
});

describe("classes", () => {
  test("bases, decorators, methods, properties and parameter properties", () => {
    const code = `@Injectable()
export class Chat extends Base implements I {
  private client = new OpenAI();
  private model: string;
  static version = 2;
  handler = async (req) => req;
  constructor(private readonly db: Db, plain) { super(); }
  @Post("/x") async send(@Body() msg: string) { return this.client.send(msg); }
  get name() { return "c"; }
  static { init(); }
  abstract m(): void;
}`;
    const [cls] = body(code);
    assert.equal(cls.kind, "class");
    if (cls.kind !== "class") return;
    assert.equal(cls.name, "Chat");
    assert.deepEqual(shape(cls.bases), [name("Base")]);
    assert.deepEqual(shape(cls.decorators), [call(name("Injectable"))]);
    const thisAttr = (n: string) => ({ kind: "attr", object: name("this"), name: n });
    assert.deepEqual(shape(cls.body[0]), assign(thisAttr("client"), { ...call(name("OpenAI")), isNew: true }));
    assert.deepEqual(shape(cls.body[1]), assign({ kind: "attr", object: name("Chat"), name: "version" }, num(2)));
    const handler = cls.body[2] as { value: { func: FunctionDef } };
    assert.deepEqual([handler.value.func.name, handler.value.func.className], ["handler", "Chat"]);
    const fns = cls.body.filter((s): s is Extract<Stmt, { kind: "function" }> => s.kind === "function").map((s) => s.func);
    assert.deepEqual(fns.map((f) => [f.name, f.className, f.isAsync]), [["constructor", "Chat", false], ["send", "Chat", true], ["name", "Chat", false]]);
    assert.equal(text(code, fns[0].nameSpan), "constructor");
    assert.deepEqual(shape(fns[0].body), [assign(thisAttr("db"), name("db")), exprStmt(call(name("super")))]);
    assert.deepEqual(shape(fns[1].decorators), [call(name("Post"), str("/x"))]);
    assert.equal(text(code, fns[1].nameSpan), "send");
    assert.deepEqual(shape(cls.body.at(-1)), exprStmt(call(name("init"))));
    assert.equal(cls.body.length, 7);
  });

  test("class expressions are unknown", () => {
    assert.equal((expr("class { m() {} }") as { kind: string }).kind, "unknown");
  });
});

describe("statements", () => {
  test("declarations with object and array destructuring", () => {
    assert.deepEqual(only("const { text, usage: u = {}, ...rest } = await r;"), assign(
      { kind: "object", properties: [{ key: "text", value: name("text") }, { key: "usage", value: name("u"), defaultValue: { kind: "object", entries: [] } }], rest: name("rest") },
      { kind: "await", value: name("r") },
    ));
    assert.deepEqual(only("let [, b = 1, ...cs] = xs;"), assign({ kind: "tuple", elements: [name(""), name("b"), { ...name("cs"), rest: true }] }, name("xs")));
    assert.deepEqual(body("var a = 1, b; let c;").map(shape), [assign(name("a"), num(1))]);
    const code = "const q = req.body.q;";
    const [s] = body(code);
    assert.equal(text(code, s.span), "q = req.body.q");
    assert.equal(text(code, (s as { target: { span: Span } }).target.span), "q");
  });

  test("assignments: plain, member, index, compound, logical, destructuring", () => {
    assert.deepEqual(only("a = b;"), assign(name("a"), name("b")));
    assert.deepEqual(only("this.c = d;"), assign({ kind: "attr", object: name("this"), name: "c" }, name("d")));
    assert.deepEqual(only("m[k] = v;"), assign({ kind: "index", object: name("m"), index: name("k") }, name("v")));
    assert.deepEqual(only("s += t;"), { ...assign(name("s"), name("t")), op: "+" });
    assert.deepEqual(only("s ??= t;"), { ...assign(name("s"), name("t")), op: "??" });
    assert.deepEqual(only("s ||= t;"), { ...assign(name("s"), name("t")), op: "||" });
    assert.deepEqual(only("({ a, b: [c], d = 1, ...e } = o);"), assign({
      kind: "object",
      properties: [{ key: "a", value: name("a") }, { key: "b", value: { kind: "tuple", elements: [name("c")] } }, { key: "d", value: name("d"), defaultValue: num(1) }],
      rest: name("e"),
    }, name("o")));
    assert.deepEqual(only("[x.y, ...z] = w;"), assign({ kind: "tuple", elements: [attr(name("x"), "y"), { ...name("z"), rest: true }] }, name("w")));
  });

  test("assignments inside expressions are hoisted before the statement", () => {
    assert.deepEqual(body("x = (a = b);").map(shape), [assign(name("a"), name("b")), assign(name("x"), { kind: "paren", value: name("a") })]);
    assert.deepEqual(body("a = b = c;").map(shape), [assign(name("b"), name("c")), assign(name("a"), name("b"))]);
    assert.deepEqual(body("while ((m = re.exec(s))) use(m);").map(shape), [
      assign(name("m"), call(attr(name("re"), "exec"), name("s"))),
      { kind: "loop", test: { kind: "paren", value: name("m") }, body: [exprStmt(call(name("use"), name("m")))] },
    ]);
    assert.deepEqual(body("f(o.p += 1);").map(shape), [{ ...assign(attr(name("o"), "p"), num(1)), op: "+" }, exprStmt(call(name("f"), attr(name("o"), "p")))]);
    assert.deepEqual(shape(func("const g = () => (y = 2);").body), [assign(name("y"), num(2)), { kind: "return", value: { kind: "paren", value: name("y") } }]);
  });

  test("control flow", () => {
    assert.deepEqual(only("if (a) { b(); } else if (c) d(); else { return; }"), {
      kind: "if", test: name("a"), then: [exprStmt(call(name("b")))],
      else: [{ kind: "if", test: name("c"), then: [exprStmt(call(name("d")))], else: [{ kind: "return" }] }],
    });
    assert.deepEqual(only("throw new Error(m);"), { kind: "throw", value: { ...call(name("Error"), name("m")), isNew: true } });
    assert.deepEqual(only("for (const { id } of items) { continue; }"), { kind: "loop", target: { kind: "object", properties: [{ key: "id", value: name("id") }] }, iter: name("items"), body: [{ kind: "jump" }] });
    assert.deepEqual(only("for await (const chunk of stream) out += chunk;"), { kind: "loop", target: name("chunk"), iter: name("stream"), body: [{ ...assign(name("out"), name("chunk")), op: "+" }] });
    assert.deepEqual(only("for (k in o) break;"), { kind: "loop", target: name("k"), iter: name("o"), keys: true, body: [{ kind: "jump" }] });
    const cFor = body("for (let i = 0, j; i < n; i++) f(i);").map(shape);
    assert.deepEqual(cFor, [assign(name("i"), num(0)), {
      kind: "loop", test: { kind: "compare", op: "<", left: name("i"), right: name("n") },
      body: [exprStmt(call(name("f"), name("i"))), exprStmt({ kind: "unknown", children: [name("i")] })],
    }]);
    assert.deepEqual(only("for (;;) {}"), { kind: "loop", body: [] });
    assert.deepEqual(only("do { f(); } while (t);"), { kind: "loop", test: name("t"), body: [exprStmt(call(name("f")))] });
    assert.deepEqual(body("outer: { inner: for (;;) {} g(); }").map(shape), [{ kind: "loop", body: [] }, exprStmt(call(name("g")))]);
  });

  test("switch becomes an if chain with the default last", () => {
    const code = "switch (k) { case 1: a(); break; default: c(); case 'x': b(); }";
    const cmp = (v: unknown) => ({ kind: "compare", op: "===", left: name("k"), right: v });
    assert.deepEqual(only(code), {
      kind: "if", test: cmp(num(1)), then: [exprStmt(call(name("a"))), { kind: "jump" }],
      else: [{ kind: "if", test: cmp(str("x")), then: [exprStmt(call(name("b")))], else: [exprStmt(call(name("c")))] }],
    });
    assert.deepEqual(body("switch (k) { default: c(); }").map(shape), [exprStmt(name("k")), exprStmt(call(name("c")))]);
  });

  test("try, catch and finally", () => {
    assert.deepEqual(only("try { a(); } catch (e) { b(e); } finally { c(); }"), {
      kind: "try", body: [exprStmt(call(name("a")))], handlers: [{ name: "e", body: [exprStmt(call(name("b"), name("e")))] }], finally: [exprStmt(call(name("c")))],
    });
    assert.deepEqual(only("try { a(); } catch { }"), { kind: "try", body: [exprStmt(call(name("a")))], handlers: [{ body: [] }], finally: [] });
  });

  test("export default keeps the lowered value; namespaces lower in place", () => {
    assert.deepEqual(only("export default { port: 3000 };"), exprStmt({ kind: "object", entries: [{ key: "port", value: num(3000) }] }));
    assert.deepEqual(body("namespace N.M { f(); }").map(shape), [exprStmt(call(name("f")))]);
  });
});

describe("expressions", () => {
  test("names, members, optional chaining, calls and new", () => {
    const code = "x = this.a?.b[c]?.(...d, e) + super.f + new G;";
    const s = body(code)[0] as { value: { left: { left: Expr } } };
    const optionalCall = s.value.left.left as Extract<Expr, { kind: "call" }>;
    assert.deepEqual(shape(optionalCall), {
      kind: "call", callee: { kind: "index", object: attr(attr(name("this"), "a"), "b"), index: name("c") },
      args: [{ value: name("d"), spread: true }, { value: name("e") }], kwargs: [],
    });
    const member = (optionalCall.callee as { object: Extract<Expr, { kind: "attr" }> }).object;
    assert.equal(text(code, member.span), "this.a?.b");
    assert.equal(text(code, member.nameSpan), "b");
    assert.deepEqual(expr("super.f"), attr(name("super"), "f"));
    assert.deepEqual(expr("new G"), { kind: "call", callee: name("G"), args: [], kwargs: [], isNew: true });
  });

  test("literals", () => {
    assert.deepEqual(expr(String.raw`"a\n\u00e9"`), str("a\né"));
    assert.deepEqual(expr("`plain`"), str("plain"));
    assert.deepEqual(expr("0x10"), num(16));
    assert.deepEqual(expr("1_000.5"), num(1000.5));
    assert.deepEqual(expr("10n"), num(10));
    assert.deepEqual([expr("true"), expr("false"), expr("null"), expr("undefined")], [true, false, null, null].map((value) => ({ kind: "const", value })));
    assert.deepEqual(expr("/a+b/gi"), str("/a+b/gi"));
  });

  test("templates and tagged templates", () => {
    assert.deepEqual(expr("`Hi ${user.name}, ${q}!`"), { kind: "template", parts: ["Hi ", attr(name("user"), "name"), ", ", name("q"), "!"] });
    assert.deepEqual(expr("sql`select ${id}`"), call(name("sql"), { kind: "template", parts: ["select ", name("id")] }));
    assert.deepEqual(expr("dedent`x`"), call(name("dedent"), { kind: "template", parts: ["x"] }));
  });

  test("operators", () => {
    const bin = (op: string, left: unknown, right: unknown) => ({ kind: "binary", op, left, right });
    assert.deepEqual(expr("a && b || c ?? d"), bin("??", bin("||", bin("&&", name("a"), name("b")), name("c")), name("d")));
    assert.deepEqual(expr("'p' + q * 2"), bin("+", str("p"), bin("*", name("q"), num(2))));
    for (const op of ["==", "!=", "===", "!==", "<", ">", "<=", ">=", "in", "instanceof"]) {
      assert.deepEqual(expr(`a ${op} b`), { kind: "compare", op, left: name("a"), right: name("b") }, op);
    }
    for (const op of ["!", "-", "+", "~", "typeof", "void", "delete"]) {
      assert.deepEqual(expr(`${op} a.b`), { kind: "unary", op, operand: attr(name("a"), "b") }, op);
    }
    assert.deepEqual(expr("++i"), { kind: "unknown", children: [name("i")] });
    assert.deepEqual(expr("(a, b)"), { kind: "paren", value: { kind: "unknown", children: [name("a"), name("b")] } });
    assert.deepEqual(expr("t ? a : b"), { kind: "cond", test: name("t"), then: name("a"), else: name("b") });
    assert.deepEqual(expr("await f()"), { kind: "await", value: call(name("f")) });
  });

  test("type wrappers and parentheses are kept as paren", () => {
    for (const code of ["(a)", "a as T", "a satisfies T", "a!", "<T>a"]) {
      const full = `x = ${code};`;
      const value = (body(full)[0] as { value: Expr }).value;
      assert.deepEqual(shape(value), { kind: "paren", value: name("a") }, code);
      assert.equal(text(full, value.span), code);
    }
  });

  test("object and array literals", () => {
    assert.deepEqual(expr("{ x, 'a-b': 1, 2: y, [k]: v, ['s']: w, ...rest }"), {
      kind: "object",
      entries: [
        { key: "x", value: name("x") }, { key: "a-b", value: num(1) }, { key: "2", value: name("y") },
        { key: null, keyExpr: name("k"), value: name("v") }, { key: "s", value: name("w") }, { key: null, value: name("rest"), spread: true },
      ],
    });
    assert.deepEqual(expr("[a, ...b, , c]"), { kind: "array", elements: [{ value: name("a") }, { value: name("b"), spread: true }, { value: { kind: "const", value: null } }, { value: name("c") }] });
    const code = "x = { role: 'user' };";
    const entry = ((body(code)[0] as { value: Extract<Expr, { kind: "object" }> }).value).entries[0];
    assert.equal(text(code, entry.span), "role: 'user'");
  });

  test("yield and function expressions", () => {
    const f = func("function* g() { const v = yield* inner(); }");
    assert.deepEqual(shape(f.body), [assign(name("v"), { kind: "unknown", children: [call(name("inner"))] })]);
    assert.equal((expr("function () {}") as { kind: string }).kind, "function");
  });
});

describe("jsx", () => {
  const jsx = (tag: string, props: unknown[], children: unknown[]) => ({
    kind: "call", callee: name(`jsx:${tag}`), args: [{ value: { kind: "object", entries: props } }, { value: { kind: "array", elements: children } }], kwargs: [],
  });

  test("elements, attributes and children", () => {
    const code = 'x = <div className="c" hidden onClick={go} {...rest}>Hello {user.name}<Foo.Bar a={1} />{...list}</div>;';
    const value = (body(code, "a.tsx")[0] as { value: Extract<Expr, { kind: "call" }> }).value;
    assert.deepEqual(shape(value), jsx("div", [
      { key: "className", value: str("c") }, { key: "hidden", value: { kind: "const", value: true } }, { key: "onClick", value: name("go") },
      { key: null, value: name("rest"), spread: true },
    ], [{ value: str("Hello ") }, { value: attr(name("user"), "name") }, { value: jsx("Foo.Bar", [{ key: "a", value: num(1) }], []) }, { value: name("list"), spread: true }]));
    assert.equal(text(code, value.span), code.slice(4, -1));
    assert.equal(text(code, value.callee.span), "div");
  });

  test("fragments, whitespace-only text and namespaced attributes", () => {
    assert.deepEqual(expr("<>\n  <b xlink:href='u'/>\n  {/* note */}\n</>", "a.jsx"), jsx("", [], [{ value: jsx("b", [{ key: "xlink:href", value: str("u") }], []) }]));
  });
});
