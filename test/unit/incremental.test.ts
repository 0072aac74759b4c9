/**
 * Incremental re-parsing is an optimisation only: after any sequence of edits, the IR
 * from the reused tree must equal the IR from a fresh parse of the same text.
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

/** Typing, deleting, pasting and replacing at random places. */
function* edits(text: string, seed: number, count: number): Generator<string> {
  const next = random(seed);
  for (let i = 0; i < count; i++) {
    const at = Math.floor(next() * (text.length + 1));
    const kind = next();
    if (kind < 0.45) text = text.slice(0, at) + SNIPPETS[Math.floor(next() * SNIPPETS.length)] + text.slice(at);
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

test("Python: re-parsing with the previous tree gives the same IR as a fresh parse", () => {
  const reuse: PythonReuse = {};
  const start = readRepoFile("rules", "untrusted-input-in-system-prompt", "untrusted-input-in-system-prompt.py");
  parsePython(start, reuse);
  let n = 0;
  for (const text of edits(start, 7, 120)) {
    assert.equal(ir(parsePython(text, reuse)), ir(parsePython(text)), `after edit ${++n}`);
  }
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
