/** The CLI checks prompt template files with the bindings of the code files it scanned first. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { repoRoot } from "../helpers/repo";

const SERVER = `import express from "express";
import { genkit } from "genkit";

const app = express();
const ai = genkit({ plugins: [], promptDir: "llm" });
const triage = ai.prompt("triage");

app.post("/triage", async (req, res) => {
  const { output } = await triage({ team: req.body.team, ticket: req.body.ticket });
  res.json(output);
});
`;

const TRIAGE = `---
model: googleai/gemini-2.5-flash
---
{{role "system"}}
Triage tickets for the {{team}} team.
{{role "user"}}
{{ticket}}
`;

let project: string;
before(() => {
  project = mkdtempSync(path.join(tmpdir(), "secure-ai-lint-prompts-"));
  mkdirSync(path.join(project, "llm"));
  mkdirSync(path.join(project, "prompts"));
  writeFileSync(path.join(project, "server.ts"), SERVER);
  writeFileSync(path.join(project, "llm", "triage.prompt"), TRIAGE);
  // Same name, but not in the configured prompt directory: not the file the code renders.
  writeFileSync(path.join(project, "prompts", "triage.prompt"), TRIAGE);
});
after(() => rmSync(project, { recursive: true, force: true }));

test("scan reports the variable in the prompt file, with a path that starts in the code file", () => {
  const cli = path.join(repoRoot(), "dist", "cli.js");
  const { status, stdout, stderr } = spawnSync(process.execPath, [cli, "scan", "--format", "json", "."], { cwd: project, encoding: "utf8" });
  assert.equal(status, 1, stderr);
  const report = JSON.parse(stdout) as { findings: Array<{ ruleId: string; file: string; range: { start: { line: number } }; path: Array<{ file: string; line: number; message: string }> }> };
  const findings = report.findings.filter((f) => f.ruleId === "untrusted-input-in-prompt-file");
  assert.deepEqual(findings.map((f) => [f.file, f.range.start.line]), [["llm/triage.prompt", 5]]);
  const steps = findings[0].path;
  assert.equal(steps[0].file, "server.ts");
  assert.ok(steps.some((s) => s.file === "server.ts" && /renders llm\/triage\.prompt/.test(s.message)));
  assert.equal(steps[steps.length - 1].file, "llm/triage.prompt");

  const sarif = spawnSync(process.execPath, [cli, "scan", "--format", "sarif", "."], { cwd: project, encoding: "utf8" });
  const result = JSON.parse(sarif.stdout).runs[0].results.find((r: { ruleId: string }) => r.ruleId === "untrusted-input-in-prompt-file");
  assert.equal(result.relatedLocations[0].physicalLocation.artifactLocation.uri, "server.ts");
  const flow = result.codeFlows[0].threadFlows[0].locations.map((l: { location: { physicalLocation: { artifactLocation: { uri: string } } } }) => l.location.physicalLocation.artifactLocation.uri);
  assert.equal(flow[0], "server.ts");
  assert.equal(flow[flow.length - 1], "llm/triage.prompt");
});
