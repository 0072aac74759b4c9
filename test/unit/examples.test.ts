/**
 * The bundled examples are what the README's first command shows: together they must show
 * every default-on rule, in both apps.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { test } from "node:test";
import { RULES } from "../../rules";
import { repoRoot } from "../helpers/repo";

interface JsonFinding {
  ruleId: string;
  file: string;
}

test("scanning examples/ shows every default-on rule", () => {
  const cli = path.join(repoRoot(), "bin", "secure-ai-lint.js");
  const run = spawnSync(process.execPath, [cli, "scan", "examples", "--format", "json"], { cwd: repoRoot(), encoding: "utf8" });
  assert.equal(run.status, 1, `scan exits 1 on error findings; stderr: ${run.stderr}`);
  const findings = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
  const shown = new Set(findings.map((f) => f.ruleId));
  const missing = RULES.filter(({ meta }) => meta.confidence !== "audit" && !shown.has(meta.id)).map(({ meta }) => meta.id);
  assert.deepEqual(missing, []);
  for (const language of ["python-support-bot", "ts-research-agent"]) {
    assert.ok(findings.some((f) => f.file.includes(language)), `no finding in examples/${language}`);
  }
});
