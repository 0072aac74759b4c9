/** The rounds of `scan --fix` on one file: repeated until nothing applies, capped, and never leaving a file that no longer parses. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { LineIndex } from "../../server/src/engine/lines";
import { initPython } from "../../server/src/engine/parse/python";
import type { AnalysisResult, Engine, Finding } from "../../server/src/engine/types";
import { fixFile, MAX_FIX_ROUNDS } from "../../server/src/cli/fix";

let folder: string;
before(async () => {
  await initPython();
  folder = mkdtempSync(path.join(tmpdir(), "secure-ai-lint-fix-rounds-"));
});
after(() => rmSync(folder, { recursive: true, force: true }));

/** An engine whose one finding offers a safe fix that appends what `addition(text)` gives, while it gives something. */
function engineAppending(addition: (text: string) => string | undefined): Pick<Engine, "analyze"> {
  return {
    analyze(text: string): AnalysisResult {
      const lines = new LineIndex(text);
      const end = lines.position(text.length);
      const newText = addition(text);
      const finding: Finding = {
        ruleId: "llm-output-to-eval",
        severity: "error",
        message: "m",
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        path: [],
        owasp: [],
        cwe: [],
        atlas: [],
        fixes: newText === undefined ? [] : [{ title: "append", safe: true, edits: [{ range: { start: end, end }, newText }] }],
      };
      return { findings: [finding], ruleFailures: [], syntaxErrors: [] };
    },
  };
}

test("fixes are applied round after round until none applies", async () => {
  const file = path.join(folder, "rounds.py");
  writeFileSync(file, "x = 0\n");
  const outcome = await fixFile(engineAppending((text) => (text.split("\n").length < 5 ? "x += 1\n" : undefined)), file, 1 << 20);
  assert.equal(readFileSync(file, "utf8"), "x = 0\nx += 1\nx += 1\nx += 1\n");
  assert.ok("result" in outcome);
  assert.deepEqual(outcome.fixed, { fixes: 3, refusedSyntaxError: false });
});

test(`no more than ${MAX_FIX_ROUNDS} rounds`, async () => {
  const file = path.join(folder, "endless.py");
  writeFileSync(file, "x = 0\n");
  const outcome = await fixFile(engineAppending(() => "x += 1\n"), file, 1 << 20);
  assert.ok("result" in outcome);
  assert.equal(outcome.fixed?.fixes, MAX_FIX_ROUNDS);
  assert.equal(readFileSync(file, "utf8").split("x += 1").length - 1, MAX_FIX_ROUNDS);
});

test("a round that would add a syntax error is refused and the file keeps the last good text", async () => {
  const file = path.join(folder, "broken.py");
  writeFileSync(file, "x = 0\n");
  const outcome = await fixFile(engineAppending((text) => (text.includes("x += 1") ? "def (\n" : "x += 1\n")), file, 1 << 20);
  assert.ok("result" in outcome);
  assert.deepEqual(outcome.fixed, { fixes: 1, refusedSyntaxError: true });
  assert.equal(readFileSync(file, "utf8"), "x = 0\nx += 1\n");
});

test("a file whose first round would not parse is not written", async () => {
  const file = path.join(folder, "untouched.ts");
  writeFileSync(file, "export const x = 0;\n");
  const outcome = await fixFile(engineAppending(() => "export const = ;\n"), file, 1 << 20);
  assert.ok("result" in outcome);
  assert.deepEqual(outcome.fixed, { fixes: 0, refusedSyntaxError: true });
  assert.equal(readFileSync(file, "utf8"), "export const x = 0;\n");
});
