/**
 * Prompt-file rules over their fixtures: the code files of the rule's folder are analysed for
 * bindings, then every prompt file (`.prompty`, `.prompt`) is checked against its annotations:
 * `{# ruleid: id #}` / `{{!-- ok: id --}}` on the line above the variable.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { RULES } from "../../rules";
import { createEngine } from "../../server/src/engine/analyze";
import { languageOf, promptFormatOf } from "../../server/src/engine/files";
import type { Engine, PromptBinding } from "../../server/src/engine/types";
import { repoRoot } from "../helpers/repo";
import { annotationProblems, parseAnnotations, TEMPLATE_ANNOTATION } from "../helpers/annotations";

const MIN_CASES = 8;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).map((f) => path.join(dir, f));
}

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

for (const { meta } of RULES.filter(({ rule }) => rule.checkPromptFile)) {
  describe(`prompt-file rule ${meta.id}`, () => {
    const folder = path.join(repoRoot(), "rules", meta.id);
    const files = filesUnder(folder);
    const promptFiles = files.filter((f) => promptFormatOf(f) !== undefined);
    const bindings = (): PromptBinding[] =>
      files.filter((f) => languageOf(f) !== undefined).flatMap((f) => {
        const result = engine.analyze(readFileSync(f, "utf8"), f);
        assert.deepEqual(result.ruleFailures, [], `${f}: ${JSON.stringify(result.ruleFailures)}`);
        return result.promptBindings ?? [];
      });

    for (const format of ["prompty", "dotprompt"] as const) {
      test(`${format} fixtures have at least ${MIN_CASES} positive and ${MIN_CASES} near-miss cases`, () => {
        const annotations = promptFiles.filter((f) => promptFormatOf(f) === format).flatMap((f) => parseAnnotations(readFileSync(f, "utf8"), TEMPLATE_ANNOTATION));
        const count = (kind: string) => annotations.filter((a) => a.kind === kind && a.ruleId === meta.id).length;
        assert.ok(count("ruleid") >= MIN_CASES, `only ${count("ruleid")} ruleid cases`);
        assert.ok(count("ok") >= MIN_CASES, `only ${count("ok")} ok cases`);
      });
    }

    for (const file of promptFiles) {
      test(`fixture ${path.relative(folder, file)}`, () => {
        const text = readFileSync(file, "utf8");
        const result = engine.analyze(text, file, { promptBindings: bindings() });
        assert.equal(result.skipped, undefined);
        assert.deepEqual(result.ruleFailures, []);
        const reported = new Set(result.findings.filter((f) => f.ruleId === meta.id).map((f) => f.range.start.line));
        const annotations = parseAnnotations(text, TEMPLATE_ANNOTATION).filter((a) => a.ruleId === meta.id);
        const problems = annotationProblems(annotations, reported);
        assert.deepEqual(problems, [], `${path.relative(repoRoot(), file)}:\n  ${problems.join("\n  ")}`);
        for (const finding of result.findings) {
          assert.ok(finding.path.length >= 3, "the path runs from the code's source through the render call to the variable");
          assert.ok(finding.path[0].file && finding.path[0].file !== file, "the path starts in the code file");
          assert.equal(finding.path[finding.path.length - 1].file, undefined, "the path ends in the prompt file");
        }
      });
    }
  });
}
