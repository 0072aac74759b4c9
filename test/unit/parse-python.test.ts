import { test } from "node:test";
import assert from "node:assert/strict";
import type { Expr, Span, Stmt } from "../../server/src/engine/ir";
import { initPython, parsePython } from "../../server/src/engine/parse/python";

type Node = Expr | Stmt;
type Of<K extends Node["kind"]> = Extract<Node, { kind: K }>;

/** Every IR node of `kind` below `root`, in source order of discovery. */
function all<K extends Node["kind"]>(root: unknown, kind: K): Array<Of<K>> {
  const found: Array<Of<K>> = [];
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== "object" || seen.has(value)) return;
    seen.add(value);
    if ((value as { kind?: unknown }).kind === kind) found.push(value as Of<K>);
    for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key]);
  };
  visit(root);
  return found;
}

function first<K extends Node["kind"]>(root: unknown, kind: K): Of<K> {
  const [node] = all(root, kind);
  assert.ok(node, `no ${kind} found`);
  return node;
}

function body(source: string): Stmt[] {
  const file = parsePython(source);
  assert.deepEqual(file.syntaxErrors, [], "unexpected syntax errors");
  return file.module.body;
}

const at = (source: string, span: Span): string => source.slice(span.start, span.end);
const nameOf = (e: Expr | undefined): string | undefined => (e?.kind === "name" ? e.name : undefined);
const kinds = (stmts: Stmt[]): string[] => stmts.map((s) => s.kind);

test("parsePython refuses to run before initPython", () => {
  assert.throws(() => parsePython("x = 1"), /initPython/);
});

test("initPython is idempotent", async () => {
  await Promise.all([initPython(), initPython()]);
  await initPython();
  assert.equal(parsePython("").module.name, "<module>");
});

test("imports, including relative ones and those inside functions", () => {
  const source = "import a.b\nimport a.b as c, os\nfrom openai import OpenAI as O, x\nfrom . import q\nfrom ..pkg . sub import m\nfrom m import *\ndef f():\n    import json\n";
  const file = parsePython(source);
  const rows = file.imports.map((i) => [i.local, i.module, i.name, at(source, i.span)]);
  assert.deepEqual(rows, [
    ["a", "a", null, "a.b"],
    ["c", "a.b", null, "a.b as c"],
    ["os", "os", null, "os"],
    ["O", "openai", "OpenAI", "OpenAI as O"],
    ["x", "openai", "x", "x"],
    ["q", ".", "q", "q"],
    ["m", "..pkg.sub", "m", "m"],
    ["json", "json", null, "json"],
  ]);
  assert.deepEqual(kinds(file.module.body), ["function"]);
});

test("functions: decorators, async, parameters, methods, nesting", () => {
  const source = [
    '@app.get("/x")',
    "@auth",
    "async def handler(a, /, b: flask.Request, c=1, *args, d: int = 2, **kw) -> str:",
    "    def inner(*, k): return k",
    "    return inner",
    "class Bot(Base, metaclass=Meta):",
    "    @staticmethod",
    "    def run(self, q): pass",
  ].join("\n");
  const [handlerStmt, bot] = body(source);
  assert.equal(handlerStmt.kind, "function");
  const handler = handlerStmt.func;
  assert.equal(handler.name, "handler");
  assert.equal(handler.isAsync, true);
  assert.equal(handler.className, undefined);
  assert.equal(at(source, handler.nameSpan), "handler");
  assert.ok(at(source, handler.span).startsWith('@app.get("/x")'));
  assert.equal(handler.decorators.length, 2);
  const route = handler.decorators[0];
  assert.equal(route.kind, "call");
  assert.equal(nameOf(handler.decorators[1]), "auth");

  const params = handler.params;
  assert.deepEqual(params.map((p) => [p.name, p.index, !!p.rest, !!p.kwrest]), [
    ["a", 0, false, false], ["b", 1, false, false], ["c", 2, false, false],
    ["args", 3, true, false], ["d", 4, false, false], ["kw", 5, false, true],
  ]);
  const annotation = params[1].annotation;
  assert.ok(annotation?.kind === "attr" && annotation.name === "Request" && nameOf(annotation.object) === "flask");
  assert.deepEqual(params[2].defaultValue, { kind: "num", value: 1, span: params[2].defaultValue!.span });
  assert.equal(nameOf(params[4].annotation), "int");
  assert.equal(at(source, params[4].span), "d: int = 2");

  assert.deepEqual(kinds(handler.body), ["function", "return"]);
  const inner = first(handler.body, "function").func;
  assert.deepEqual(inner.params.map((p) => p.name), ["k"]);
  assert.equal(inner.className, undefined);

  assert.ok(bot.kind === "class");
  assert.equal(bot.name, "Bot");
  assert.deepEqual(bot.bases.map(nameOf), ["Base"]);
  const run = first(bot.body, "function").func;
  assert.equal(run.className, "Bot");
  assert.equal(nameOf(run.decorators[0]), "staticmethod");
});

test("decorated classes keep their decorators", () => {
  const [cls] = body("@dataclass\nclass A:\n    x: int = 1\n    y: str\n");
  assert.ok(cls.kind === "class");
  assert.equal(nameOf(cls.decorators[0]), "dataclass");
  assert.deepEqual(kinds(cls.body), ["assign", "assign"]);
});

test("lambda is a function expression returning its body", () => {
  const source = "f = lambda x, *r, k=2: x + k";
  const fn = first(body(source), "function");
  assert.equal(fn.kind, "function");
  const func = (fn as Extract<Expr, { kind: "function" }>).func;
  assert.equal(func.name, "<lambda>");
  assert.deepEqual(func.params.map((p) => [p.name, !!p.rest]), [["x", false], ["r", true], ["k", false]]);
  assert.equal(func.body.length, 1);
  const ret = func.body[0];
  assert.ok(ret.kind === "return" && ret.value?.kind === "binary");
  assert.equal(at(source, ret.value.span), "x + k");
  assert.equal(at(source, func.nameSpan), "lambda x, *r, k=2: x + k");
});

test("assignments: chains, annotations, augmented, unpacking, attribute and subscript targets", () => {
  const source = "a = b = f()\nx: int = 5\ny: str\nn += 2\nfirst, *rest = items\nself.client = c\nd['k'] = v\n[p, (q, r)] = z";
  const stmts = body(source);
  assert.deepEqual(kinds(stmts), ["assign", "assign", "assign", "assign", "assign", "assign", "assign", "assign", "assign"]);
  const [a, b, x, y, n, unpack, attr, index, nested] = stmts.map((s) => s as Of<"assign">);
  assert.equal(a.value, b.value, "a chain shares one value");
  assert.deepEqual([a.target, b.target].map((t) => t.kind === "name" && t.name), ["a", "b"]);
  assert.equal(at(source, a.span), "a = b = f()");
  assert.equal(at(source, b.span), "b = f()");
  assert.ok(x.target.kind === "name" && x.target.name === "x" && x.value.kind === "num" && nameOf(x.annotation!) === "int");
  // A declaration without a value keeps its type, for what the name will hold.
  assert.ok(y.target.kind === "name" && y.target.name === "y" && y.value.kind === "unknown" && nameOf(y.annotation!) === "str");
  assert.ok(n.op === "+" && n.value.kind === "num" && n.value.value === 2);
  assert.ok(unpack.target.kind === "tuple");
  assert.deepEqual(unpack.target.elements.map((e) => [e.kind === "name" && e.name, !!e.rest]), [["first", false], ["rest", true]]);
  assert.ok(attr.target.kind === "attr" && attr.target.name === "client" && nameOf(attr.target.object) === "self");
  assert.ok(index.target.kind === "index" && index.target.index.kind === "str");
  assert.ok(nested.target.kind === "tuple" && nested.target.elements[1].kind === "tuple");
});

test("walrus assigns before the statement that contains it", () => {
  const source = "if (m := re.match(p, s)) and m.group(1):\n    use(m)\nelif (n := g()):\n    pass";
  const [assign, ifStmt] = body(source);
  assert.ok(assign.kind === "assign" && assign.target.kind === "name" && assign.target.name === "m");
  assert.equal(assign.value.kind, "call");
  assert.ok(ifStmt.kind === "if" && ifStmt.test.kind === "binary" && ifStmt.test.op === "&&");
  const left = ifStmt.test.left;
  assert.ok(left.kind === "paren" && left.value.kind === "name" && left.value.name === "m");
  assert.equal(at(source, left.value.span), "m := re.match(p, s)");
  assert.deepEqual(kinds(ifStmt.else), ["assign", "if"], "an elif's walrus lands before the nested if");
});

test("with statements bind their targets and inline the body", () => {
  const stmts = body("with open(p) as f, lock, g() as (a, b):\n    data = f.read()\nasync with s as t:\n    pass");
  assert.deepEqual(kinds(stmts), ["assign", "expr", "assign", "assign", "assign"]);
  const [f, , tuple, read, t] = stmts as Array<Of<"assign"> & Stmt>;
  assert.ok(f.target.kind === "name" && f.target.name === "f" && f.value.kind === "call");
  assert.ok(tuple.target.kind === "tuple" && tuple.target.elements.length === 2);
  assert.ok(read.target.kind === "name" && read.target.name === "data");
  assert.ok(t.target.kind === "name" && t.target.name === "t" && nameOf(t.value) === "s");
});

test("control flow: if/elif/else, loops with else, try, match, jumps, assert", () => {
  const source = [
    "if a:\n    x()\nelif b:\n    y()\nelse:\n    z()",
    "for k, v in items.items():\n    break\nelse:\n    done()",
    "while t:\n    continue",
    "try:\n    risky()\nexcept (A, B) as e:\n    raise\nexcept C:\n    pass\nelse:\n    ok()\nfinally:\n    close()",
    "match cmd:\n    case {'run': action} if action:\n        go(action)\n    case _:\n        stop()",
    "assert ready, 'not ready'",
    "pass\nglobal g\ndel g\ntype Alias = list[int]\ndef h():\n    nonlocal g",
  ].join("\n");
  const [ifStmt, loop, loopElse, whileLoop, tryStmt, match, assertion, h, ...rest] = body(source);
  assert.deepEqual(rest, [], "pass, global, del and type aliases lower to nothing");
  assert.ok(h.kind === "function" && h.func.body.length === 0, "nor does nonlocal");
  assert.ok(ifStmt.kind === "if" && nameOf(ifStmt.test) === "a");
  const elif = ifStmt.else[0];
  assert.ok(elif.kind === "if" && nameOf(elif.test) === "b");
  assert.equal(first(elif.else, "call").kind, "call");

  assert.ok(loop.kind === "loop" && loop.target?.kind === "tuple" && loop.iter?.kind === "call");
  assert.deepEqual(kinds(loop.body), ["jump"]);
  assert.equal(loopElse.kind, "expr", "the for-else body follows the loop");
  assert.ok(whileLoop.kind === "loop" && nameOf(whileLoop.test) === "t" && whileLoop.target === undefined);

  assert.ok(tryStmt.kind === "try");
  assert.deepEqual(kinds(tryStmt.body), ["expr", "expr"], "else body is appended to the try body");
  assert.deepEqual(tryStmt.handlers.map((h) => h.name), ["e", undefined]);
  assert.deepEqual(kinds(tryStmt.handlers[0].body), ["throw"]);
  assert.deepEqual(kinds(tryStmt.finally), ["expr"]);

  assert.ok(match.kind === "if" && match.test.kind === "unknown");
  assert.deepEqual(match.test.children.map((c) => c.kind), ["name", "name"], "subject and guard");
  assert.deepEqual(kinds(match.then), ["assign", "expr"], "capture bound from the subject, then the body");
  const capture = match.then[0] as Of<"assign">;
  assert.ok(capture.target.kind === "name" && capture.target.name === "action");
  const fallback = match.else[0];
  assert.ok(fallback.kind === "if" && fallback.then.length === 1 && fallback.else.length === 0);

  assert.ok(assertion.kind === "if" && assertion.test.kind === "unary" && assertion.test.op === "!");
  assert.ok(assertion.then[0].kind === "throw" && assertion.then[0].value?.kind === "str");
});

test("return, raise and expression statements", () => {
  const stmts = body("def f():\n    return a, b\n    raise ValueError(x) from e\n    return\nf()\n'doc'");
  const fn = (stmts[0] as Of<"function">).func;
  assert.deepEqual(kinds(fn.body), ["return", "throw", "return"]);
  const [ret, raise, bare] = fn.body as Array<Of<"return">>;
  assert.equal(ret.value?.kind, "array");
  assert.equal((raise as unknown as Of<"throw">).value?.kind, "call");
  assert.equal(bare.value, undefined);
  assert.deepEqual(kinds(stmts.slice(1)), ["expr", "expr"]);
});

test("attributes, subscripts, slices and calls", () => {
  const source = "r = client.chat.create(model, *extra, temperature=0, **opts)[0]\ns = a[1:2, ::3]";
  const [r, s] = body(source) as Array<Of<"assign">>;
  assert.ok(r.value.kind === "index" && r.value.object.kind === "call");
  const call = r.value.object;
  assert.ok(call.callee.kind === "attr" && call.callee.name === "create");
  assert.equal(at(source, call.callee.nameSpan), "create");
  assert.equal(at(source, call.callee.span), "client.chat.create");
  assert.deepEqual(call.args.map((a) => [nameOf(a.value), !!a.spread]), [["model", false], ["extra", true]]);
  assert.deepEqual(call.kwargs.map((k) => [k.name, at(source, k.span)]), [["temperature", "temperature=0"], ["**", "**opts"]]);
  assert.equal(at(source, call.span), "client.chat.create(model, *extra, temperature=0, **opts)");
  assert.ok(s.value.kind === "index" && s.value.index.kind === "unknown");
  assert.deepEqual(s.value.index.children.map((c) => c.kind === "num" && c.value), [1, 2, 3]);
});

test("string literals decode escapes, prefixes and quotes", () => {
  const source = String.raw`a = "x\ty\n\x41\u00e9\101\q"` + "\n" + String.raw`b = r"\n\d"` + "\nc = b'\\x00ab'\nd = '''multi\nline'''\ne = \"\"";
  const values = (body(source) as Array<Of<"assign">>).map((s) => (s.value.kind === "str" ? s.value.value : s.value.kind));
  assert.deepEqual(values, ["x\ty\nAéA\\q", "\\n\\d", "\x00ab", "multi\nline", ""]);
});

test("f-strings and implicit concatenation", () => {
  const source = 'p = f"Hi {user.name!r:>{width}} {{ok}}" "!" f\'{x}\'\nq = "a" \'b\' r"\\c"';
  const [p, q] = body(source) as Array<Of<"assign">>;
  assert.ok(p.value.kind === "template");
  const parts = p.value.parts.map((part) => (typeof part === "string" ? part : part.kind));
  assert.deepEqual(parts, ["Hi ", "attr", " {ok}!", "name"]);
  assert.equal(at(source, p.value.span), source.slice(4, source.indexOf("\n")));
  assert.deepEqual(q.value.kind === "str" && q.value.value, "ab\\c");
});

test("numbers, constants and operators", () => {
  const source = "v = [0x1F, 1_000, 2.5e1, 0o17, True, False, None, a + b * c, x and not y or z, -n, ~m, a // b]";
  const list = (body(source)[0] as Of<"assign">).value;
  assert.ok(list.kind === "array");
  const [hex, big, flt, oct, t, f, none, arith, logic, neg, inv, floor] = list.elements.map((e) => e.value);
  assert.deepEqual([hex, big, flt, oct].map((e) => e.kind === "num" && e.value), [31, 1000, 25, 15]);
  assert.deepEqual([t, f, none].map((e) => e.kind === "const" && e.value), [true, false, null]);
  assert.ok(arith.kind === "binary" && arith.op === "+" && arith.right.kind === "binary" && arith.right.op === "*");
  assert.ok(logic.kind === "binary" && logic.op === "||" && logic.left.kind === "binary" && logic.left.op === "&&");
  assert.ok(logic.left.right.kind === "unary" && logic.left.right.op === "!");
  assert.ok(neg.kind === "unary" && neg.op === "-" && inv.kind === "unary" && inv.op === "~");
  assert.ok(floor.kind === "binary" && floor.op === "//");
});

test("comparisons, including two-word operators and chains", () => {
  const source = "c = [a == b, a not in b, a is not None, a in b, 0 < x <= 10]";
  const list = (body(source)[0] as Of<"assign">).value as Of<"array">;
  const [eq, notIn, isNot, isIn, chain] = list.elements.map((e) => e.value);
  assert.deepEqual([eq, notIn, isNot, isIn].map((e) => e.kind === "compare" && e.op), ["==", "not in", "is not", "in"]);
  assert.ok(chain.kind === "binary" && chain.op === "&&");
  assert.ok(chain.left.kind === "compare" && chain.left.op === "<" && chain.right.kind === "compare" && chain.right.op === "<=");
  assert.equal(at(source, chain.left.span), "0 < x");
  assert.equal(at(source, chain.right.span), "x <= 10");
  assert.equal(at(source, chain.span), "0 < x <= 10");
});

test("containers: dicts, lists, tuples, sets", () => {
  const source = 'd = {"role": "user", 1: x, key: v, **extra}\nl = [*a, b]\nt = (1, 2)\ns = {3}';
  const [d, l, t, s] = (body(source) as Array<Of<"assign">>).map((stmt) => stmt.value);
  assert.ok(d.kind === "object");
  assert.deepEqual(d.entries.map((e) => [e.key, e.keyExpr?.kind, !!e.spread]), [
    ["role", undefined, false], ["1", undefined, false], [null, "name", false], [null, undefined, true],
  ]);
  assert.equal(at(source, d.entries[0].span), '"role": "user"');
  assert.ok(l.kind === "array" && l.elements[0].spread === true && !l.elements[1].spread);
  assert.ok(t.kind === "array" && t.elements.length === 2);
  assert.ok(s.kind === "array" && s.elements.length === 1);
});

test("comprehensions nest later for-clauses inside the element", () => {
  const source = "a = [f(y) for x in xs if x for y in x if y]\nb = {k: v for k, v in pairs}\nc = list(x for x in g)";
  const [a, b, c] = (body(source) as Array<Of<"assign">>).map((stmt) => stmt.value);
  assert.ok(a.kind === "comprehension" && nameOf(a.iter) === "xs" && a.conditions.length === 1);
  assert.ok(a.element.kind === "comprehension" && nameOf(a.element.iter) === "x" && a.element.element.kind === "call");
  assert.ok(b.kind === "comprehension" && b.target.kind === "tuple" && b.element.kind === "object");
  assert.equal(b.element.entries[0].keyExpr?.kind, "name");
  assert.ok(c.kind === "call" && c.args[0].value.kind === "comprehension");
});

test("conditional, await, parentheses and opaque expressions", () => {
  const source = "async def f():\n    r = (a if t else b)\n    s = await g()\n    y = yield v\n    print(*args)";
  const fn = (body(source)[0] as Of<"function">).func;
  const [r, s, y] = fn.body as Array<Of<"assign">>;
  assert.ok(r.value.kind === "paren" && r.value.value.kind === "cond");
  assert.deepEqual([r.value.value.test, r.value.value.then, r.value.value.else].map(nameOf), ["t", "a", "b"]);
  assert.ok(s.value.kind === "await" && s.value.value.kind === "call");
  assert.ok(y.value.kind === "unknown" && nameOf(y.value.children[0]) === "v");
});

test("comments keep their text without the marker", () => {
  const source = "x = 1  #   nosec: reason \n# top\ndef f(  # inline\n  a): pass";
  const file = parsePython(source);
  assert.deepEqual(file.comments.map((c) => c.text), ["nosec: reason ", "top", "inline"]);
  assert.deepEqual(file.comments.map((c) => at(source, c.span)), ["#   nosec: reason ", "# top", "# inline"]);
  const crlf = parsePython("x = 1  # windows\r\ny = 2\r\n");
  assert.deepEqual(crlf.comments.map((c) => c.text), ["windows"], "a CRLF line ending is not part of the comment");
});

test("spans are UTF-16 offsets even after non-ASCII text", () => {
  const source = 's = "é中😀"  # ü\nx = call(ñame)\n';
  const file = parsePython(source);
  const [s, x] = file.module.body as Array<Of<"assign">>;
  assert.equal(at(source, s.value.span), '"é中😀"');
  assert.ok(s.value.kind === "str" && s.value.value === "é中😀");
  assert.equal(at(source, x.value.span), "call(ñame)");
  assert.equal(at(source, first(x.value, "name").span), "call");
  assert.deepEqual(all(x.value, "name").map((n) => at(source, n.span)), ["call", "ñame"]);
  assert.equal(file.comments[0].text, "ü");
});

test("half-typed calls are recovered with their arguments", () => {
  const source = 'import openai\nclient.chat.completions.create(messages=[{"role": "system", "content": f"x {q}"';
  const file = parsePython(source);
  assert.ok(file.syntaxErrors.length > 0);
  assert.equal(file.imports[0].local, "openai");
  const call = first(file.module.body, "call");
  assert.ok(call.callee.kind === "attr" && call.callee.name === "create");
  const messages = call.kwargs[0];
  assert.equal(messages.name, "messages");
  assert.ok(messages.value.kind === "array" && messages.value.elements[0].value.kind === "object");
  const entries = messages.value.elements[0].value.entries;
  assert.deepEqual(entries.map((e) => e.key), ["role", "content"]);
  assert.ok(entries[1].value.kind === "template" && nameOf(entries[1].value.parts[1] as Expr) === "q");
  assert.equal(at(source, call.span), source.slice(source.indexOf("client")));
});

test("recovery keeps assignments, returns and surrounding statements", () => {
  const file = parsePython("def f(x):\n    y = 1\n    return eval(x,\nz = foo(a, b");
  const fn = first(file.module.body, "function").func;
  const ret = first(fn.body, "return");
  assert.ok(ret.value?.kind === "call" && nameOf(ret.value.callee) === "eval" && nameOf(ret.value.args[0].value) === "x");
  assert.ok(all(file.module.body, "assign").some((a) => a.target.kind === "name" && a.target.name === "y"));
  assert.ok(file.syntaxErrors.length > 0);
  const broken = parsePython("x = foo(a, b");
  const assign = first(broken.module.body, "assign");
  assert.ok(assign.target.kind === "name" && assign.value.kind === "call" && assign.value.args.length === 2);
});

test("errors inside a statement are recovered before it; missing tokens are reported", () => {
  const source = "def f(:\n    pass\nrun(a b)\n";
  const file = parsePython(source);
  assert.ok(file.syntaxErrors.length >= 2);
  assert.ok(file.syntaxErrors.some((s) => s.start === s.end), "a MISSING token is a zero-width error");
  assert.equal(first(file.module.body, "function").func.name, "f");
  assert.ok(all(file.module.body, "call").some((c) => nameOf(c.callee) === "run"));
});

test("never throws on hostile input", () => {
  const inputs = [
    "\0\0\0 \x01\x02 def ((( '''",
    Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)).toString("latin1"),
    "(".repeat(1 << 20),
    "x = " + "[".repeat(3000) + "1" + "]".repeat(3000),
    "y = " + Array.from({ length: 3000 }, (_, i) => `v${i}`).join(" + "),
    "not ".repeat(20000) + "x",
  ];
  for (const input of inputs) {
    const file = parsePython(input);
    assert.equal(file.language, "python");
    assert.ok(Array.isArray(file.module.body));
    JSON.stringify(file);
  }
});

test("very deep nesting is cut off as unknown instead of overflowing", () => {
  const source = "x = " + "[".repeat(3000) + "secret" + "]".repeat(3000);
  const [assign] = body(source) as Array<Of<"assign">>;
  let depth = 0;
  let node: Expr = assign.value;
  while (node.kind === "array" && node.elements.length > 0) {
    node = node.elements[0].value;
    depth++;
  }
  assert.ok(depth > 100 && depth < 3000);
  assert.deepEqual(node.kind === "unknown" && node.children, []);
});
