/** Every rule is complete: metadata with standard ids, a doc with the fixed headings, fixtures with enough cases. */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { RULES } from "../../rules";
import { parseAnnotations } from "../helpers/annotations";
import { repoRoot } from "../helpers/repo";

const HEADINGS = ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety", "## References"];
const MIN_CASES = 8;

test("every rule folder is registered and every registered rule has a folder", () => {
  const rulesDir = path.join(repoRoot(), "rules");
  const folders = readdirSync(rulesDir).filter((d) => d !== "models" && statSync(path.join(rulesDir, d)).isDirectory());
  assert.deepEqual([...folders].sort(), RULES.map((r) => r.meta.id).sort());
});

for (const { meta } of RULES) {
  describe(`rule ${meta.id} metadata`, () => {
    test("ids follow the standards", () => {
      assert.match(meta.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(meta.owasp.length > 0 && meta.owasp.every((o) => /^LLM(0[1-9]|10):2025$/.test(o)), `OWASP ids: ${meta.owasp}`);
      assert.ok(meta.cwe.length > 0 && meta.cwe.every((c) => /^CWE-\d+$/.test(c)), `CWE ids: ${meta.cwe}`);
      assert.ok(meta.atlas.length > 0 && meta.atlas.every((a) => /^AML\.T\d{4}(\.\d{3})?$/.test(a)), `ATLAS ids: ${meta.atlas}`);
      assert.ok(meta.summary.endsWith("."), "summary is a sentence");
    });

    test("doc has the fixed headings in order", () => {
      assert.ok(meta.docs.startsWith(`# ${meta.id}\n`), "doc starts with the rule id as its title");
      let at = 0;
      for (const h of HEADINGS) {
        const i = meta.docs.indexOf(`\n${h}\n`, at);
        assert.ok(i >= 0, `missing or out-of-order heading "${h}"`);
        at = i + 1;
      }
    });

    for (const ext of [".py", ".ts"].filter((e) => !meta.languages || meta.languages.includes(e === ".py" ? "python" : "javascript"))) {
      test(`fixture ${ext} has at least ${MIN_CASES} positive and ${MIN_CASES} near-miss cases`, () => {
        const file = path.join(repoRoot(), "rules", meta.id, `${meta.id}${ext}`);
        assert.ok(existsSync(file), `missing ${file}`);
        const annotations = parseAnnotations(readFileSync(file, "utf8"));
        const count = (kind: string) => annotations.filter((a) => a.kind === kind && a.ruleId === meta.id).length;
        assert.ok(count("ruleid") >= MIN_CASES, `only ${count("ruleid")} ruleid cases`);
        assert.ok(count("ok") >= MIN_CASES, `only ${count("ok")} ok cases`);
        const foreign = annotations.filter((a) => !RULES.some((r) => r.meta.id === a.ruleId));
        assert.deepEqual(foreign, [], "annotations name unknown rules");
      });
    }
  });
}
