/**
 * Incremental re-parsing is an optimisation only: after any sequence of edits, the IR
 * from the reused tree (and, in Python, the reused lowering of unchanged statements)
 * must equal the IR from a fresh parse of the same text.
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { parseJavaScript, type JavaScriptReuse } from "../../server/src/engine/parse/javascript";
import { disposePythonReuse, initPython, parsePython, type PythonReuse } from "../../server/src/engine/parse/python";
import { textChange } from "../../server/src/engine/parse/reuse";
import { readRepoFile } from "../helpers/repo";

before(() => initPython());

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = ["x", "(", ")", "\n", "    ", '"', "f\"{a}\"", "client.chat(", "]", "# c\n", "é", "😀", "`", "${", "}"];

/** Python that moves lines, opens and closes blocks, and repeats statements word for word. */
const PYTHON_SNIPPETS = [
  ...SNIPPETS, "\n\n", "import os\n", "def g(a):\n    return eval(a)\n", "class K:\n    def m(self):\n        pass\n",
  "@app.get('/')\n", "(y := q)", "'''", "\\\n", "\r\n", "; ", "\t", ":", "match x:\n    case [a, *b]:\n        pass\n",
  "async ", "lambda: ",
];

/** Where the next edit lands: anywhere, or inside a region the test picks. */
type Focus = (text: string, next: () => number) => number;
const anywhere: Focus = (text, next) => Math.floor(next() * (text.length + 1));

/** Typing, deleting, pasting and replacing at random places. */
function* edits(text: string, seed: number, count: number, snippets = SNIPPETS, focus = anywhere): Generator<string> {
  const next = random(seed);
  for (let i = 0; i < count; i++) {
    const at = focus(text, next);
    const kind = next();
    if (kind < 0.45) text = text.slice(0, at) + snippets[Math.floor(next() * snippets.length)] + text.slice(at);
    else if (kind < 0.8) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 40));
    else {
      const from = Math.floor(next() * text.length);
      text = text.slice(0, at) + text.slice(from, from + 80) + text.slice(at);
    }
    yield text;
  }
}

const ir = (file: unknown) => JSON.stringify(file);

test("textChange finds the edited range", () => {
  assert.deepEqual(textChange("abcdef", "abXYef"), { start: 2, oldEnd: 4, newEnd: 4 });
  assert.deepEqual(textChange("aaa", "aaaa"), { start: 3, oldEnd: 3, newEnd: 4 });
  assert.deepEqual(textChange("same", "same"), { start: 4, oldEnd: 4, newEnd: 4 });
});

/** Parses every version with one reuse holder and compares each result with a fresh parse. */
function assertSameAsFresh(versions: Iterable<string>, label: string): void {
  const reuse: PythonReuse = {};
  let n = 0;
  for (const text of versions) {
    assert.equal(ir(parsePython(text, reuse)), ir(parsePython(text)), `${label}, version ${n++}`);
  }
  disposePythonReuse(reuse);
}

function* startingWith(first: string, rest: Iterable<string>): Generator<string> {
  yield first;
  yield* rest;
}

const PYTHON_FIXTURE = ["rules", "untrusted-input-in-system-prompt", "untrusted-input-in-system-prompt.py"];

test("Python: re-parsing with the previous tree gives the same IR as a fresh parse", () => {
  const start = readRepoFile(...PYTHON_FIXTURE);
  for (const seed of [11, 19]) {
    assertSameAsFresh(startingWith(start, edits(start, seed, 80, PYTHON_SNIPPETS)), `seed ${seed}`);
  }
});

/** A module of many small definitions, repeated imports and comments between statements. */
function manyDefinitions(count: number): string {
  const parts = ["import os\nimport os\nfrom openai import OpenAI  # the client\nclient = OpenAI()\n\n# handlers\n"];
  for (let i = 0; i < count; i++) {
    parts.push(
      `def f${i}(q, *args, **kw):\n    """Answer ${i}."""\n` +
        `    r = client.chat.completions.create(model="m", messages=[{"role": "user", "content": f"{q} ${i}"}])\n` +
        `    if (y := r.choices[0]) is not None:\n        return eval(y.message.content)  # sink\n    return None\n\n`,
      `@app.get("/r${i}")\ndef r${i}():\n    a = b = os.environ["K"]\n    return a\n\n`,
      `class Agent${i}(Base):\n    def step(self, goal):\n        with open(goal) as fh:\n            os.system(fh.read())\n\n# between ${i}\n`,
    );
  }
  return parts.join("");
}

/** Edits within the first few hundred characters of one definition, wherever it has moved to. */
function insideDefinition(name: string): Focus {
  return (text, next) => {
    const at = text.indexOf(`def ${name}(`);
    return at < 0 ? anywhere(text, next) : Math.min(text.length, at + Math.floor(next() * 300));
  };
}

/**
 * Types a snippet one code unit at a time, then keeps it if the file still parses cleanly
 * or deletes it again one code unit at a time, as someone writing code does: most versions
 * are broken only around the cursor, and the file keeps growing.
 */
function* typing(text: string, seed: number, count: number, focus: Focus): Generator<string> {
  const next = random(seed);
  let produced = 0;
  while (produced < count) {
    const at = focus(text, next);
    const snippet = PYTHON_SNIPPETS[Math.floor(next() * PYTHON_SNIPPETS.length)];
    const typed = text.slice(0, at) + snippet + text.slice(at);
    const keep = parsePython(typed).syntaxErrors.length === 0;
    const lengths = Array.from({ length: snippet.length }, (_, i) => i + 1);
    if (!keep) lengths.push(...lengths.slice(0, -1).reverse(), 0);
    for (const length of lengths) {
      yield text.slice(0, at) + snippet.slice(0, length) + text.slice(at);
      if (++produced === count) return;
    }
    if (keep) text = typed;
  }
}

test("Python: typing anywhere in a file gives the same IR as a fresh parse", () => {
  const start = readRepoFile(...PYTHON_FIXTURE);
  for (const seed of [41, 43]) assertSameAsFresh(startingWith(start, typing(start, seed, 120, anywhere)), `seed ${seed}`);
});

test("Python: typing inside one function of a many-function file gives the same IR as a fresh parse", () => {
  const start = manyDefinitions(8);
  for (const [seed, name] of [[3, "f4"], [5, "step"], [13, "r0"], [29, "f7"]] as const) {
    assertSameAsFresh(startingWith(start, typing(start, seed, 400, insideDefinition(name))), `seed ${seed} in ${name}`);
  }
});

test("Python: random edits inside one function of a many-function file give the same IR as a fresh parse", () => {
  const start = manyDefinitions(8);
  for (const [seed, name] of [[31, "f6"], [37, "step"]] as const) {
    assertSameAsFresh(startingWith(start, edits(start, seed, 150, PYTHON_SNIPPETS, insideDefinition(name))), `seed ${seed} in ${name}`);
  }
});

test("Python: statements that break, mend, move and repeat keep the IR of a fresh parse", () => {
  const base = manyDefinitions(3);
  const after = (text: string, anchor: string, inserted: string) => text.replace(anchor, anchor + inserted);
  const versions = [
    base,
    // More lines inside one function: every later statement moves.
    after(base, "def f1(q, *args, **kw):\n", "    extra = 1\n\n"),
    // A syntax error inside one statement, then mended.
    after(base, 'model="m", ', "("),
    base,
    // Top-level statements that turn into ERROR nodes, then back.
    base.replace("client = OpenAI()", "client = OpenAI("),
    base,
    base.replace("class Agent1(Base):", "class Agent1(Base"),
    base.replace("def r2():", "def r2(:"),
    base,
    // Repeated statements, and an edit that shifts every copy.
    "import os\n" + base,
    after(base, "# handlers\n", "import os\n"),
    base.replace(/\n/g, "\r\n"),
    base,
  ];
  assertSameAsFresh(versions, "scripted");
});

test("Python: a repeated statement reuses one lowering with each copy's own spans", () => {
  const reuse: PythonReuse = {};
  const before = "import os\nx = 1\nimport os\n";
  parsePython(before, reuse);
  const after = "import sys\n" + before + "import os\n";
  const file = parsePython(after, reuse);
  assert.deepEqual(
    file.imports.map((binding) => [binding.local, after.slice(binding.span.start, binding.span.end), binding.span.start]),
    [["sys", "sys", 7], ["os", "os", 18], ["os", "os", 34], ["os", "os", 44]],
  );
  assert.equal(ir(file), ir(parsePython(after)));
  disposePythonReuse(reuse);
});

test("Python: unchanged top-level statements are reused, changed ones lowered again", () => {
  const reuse: PythonReuse = {};
  const before = manyDefinitions(4);
  parsePython(before, reuse);
  const definition = (text: string, name: string) => {
    const start = text.indexOf(`def ${name}(`);
    return text.slice(start, text.indexOf("\n\n", start));
  };
  const untouched = reuse.statements?.get(definition(before, "f3"));
  const edited = reuse.statements?.get(definition(before, "f1"));
  assert.ok(untouched && edited);
  const after = before.replace('"""Answer 1."""', '"""Answer 1, at length\n    over two lines."""');
  const file = parsePython(after, reuse);
  assert.equal(ir(file), ir(parsePython(after)));
  assert.equal(reuse.statements?.get(definition(after, "f3")), untouched);
  const relowered = reuse.statements?.get(definition(after, "f1"));
  assert.ok(relowered && relowered !== edited);
  // The result holds moved copies; the cached lowering, which the previous result still exposes, is left as it was.
  const f3 = file.module.body.find((stmt) => stmt.kind === "function" && stmt.func.name === "f3");
  const cachedF3 = untouched.body[0];
  assert.ok(f3 && f3 !== cachedF3);
  assert.equal(f3.span.start, cachedF3.span.start + after.length - before.length);
  assert.equal(before.slice(cachedF3.span.start, cachedF3.span.end), definition(before, "f3"));
  // A top-level ERROR node: the whole file is lowered at once and the cache waits for the mend.
  const cache = reuse.statements;
  const broken = after.replace("client = OpenAI()", "client = OpenAI(");
  assert.equal(ir(parsePython(broken, reuse)), ir(parsePython(broken)));
  assert.equal(reuse.statements, cache);
  assert.equal(ir(parsePython(after, reuse)), ir(parsePython(after)));
  assert.equal(reuse.statements?.get(definition(after, "f3")), untouched);
  disposePythonReuse(reuse);
});

test("TypeScript: re-parsing with the previous tree gives the same IR as a fresh parse", () => {
  const reuse: JavaScriptReuse = {};
  const start = readRepoFile("rules", "llm-output-to-shell", "llm-output-to-shell.ts");
  parseJavaScript(start, "a.ts", reuse);
  let n = 0;
  for (const text of edits(start, 11, 120)) {
    assert.equal(ir(parseJavaScript(text, "a.ts", reuse)), ir(parseJavaScript(text, "a.ts")), `after edit ${++n}`);
  }
});
