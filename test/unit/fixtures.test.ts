/**
 * Runs every rule over its annotated fixtures: each `ruleid` line must be reported,
 * each `ok` line must not, and no finding of the rule may appear on an unannotated line.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { RULES } from "../../rules";
import { createEngine } from "../../server/src/engine/analyze";
import type { Engine } from "../../server/src/engine/types";
import { parseAnnotations, annotationProblems } from "../helpers/annotations";
import { repoRoot } from "../helpers/repo";

let engine: Engine;
before(async () => {
  // Audit rules are off by default; their fixtures are checked with them on.
  const audit = RULES.filter(({ meta }) => meta.confidence === "audit").map(({ meta }) => [meta.id, meta.severity] as const);
  engine = await createEngine({ ruleSeverities: Object.fromEntries(audit) });
});

const FIXTURE_EXTENSIONS = [".py", ".ts"];

for (const { meta } of RULES) {
  describe(`rule ${meta.id}`, () => {
    for (const ext of FIXTURE_EXTENSIONS.filter((e) => !meta.languages || meta.languages.includes(e === ".py" ? "python" : "javascript"))) {
      const file = path.join(repoRoot(), "rules", meta.id, `${meta.id}${ext}`);
      test(`fixture ${meta.id}${ext}`, () => {
        assert.ok(existsSync(file), `missing fixture ${file}`);
        const text = readFileSync(file, "utf8");
        const result = engine.analyze(text, file);
        assert.equal(result.skipped, undefined, `fixture was skipped: ${result.skipped?.message}`);
        assert.deepEqual(result.ruleFailures, []);
        const reported = new Set(result.findings.filter((f) => f.ruleId === meta.id).map((f) => f.range.start.line));
        const annotations = parseAnnotations(text).filter((a) => a.ruleId === meta.id);
        const problems = annotationProblems(annotations, reported);
        assert.deepEqual(problems, [], `${path.relative(repoRoot(), file)}:\n  ${problems.join("\n  ")}`);
      });
    }
  });
}
