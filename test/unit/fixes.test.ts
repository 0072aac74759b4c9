/**
 * Every fix the rules offer on their fixtures, applied one at a time: the file must still parse
 * with no new syntax error, the fixed finding must be gone, no other finding may appear, and every
 * finding away from the edit must still be there. Then the golden `.fixed` files: each rule's
 * fixture with the first fix of every finding applied, as a reviewer would read the result.
 * `UPDATE_FIXED=1` rewrites every golden file, `UPDATE_FIXED=<rule-id>` those of one rule.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { RULES } from "../../rules";
import { createEngine } from "../../server/src/engine/analyze";
import { applyEdits, mergeFixes } from "../../server/src/engine/fixes/apply";
import { LineIndex } from "../../server/src/engine/lines";
import type { Engine, Finding, Fix } from "../../server/src/engine/types";
import { repoRoot } from "../helpers/repo";

let engine: Engine;

function updates(ruleId: string): boolean {
  const wanted = process.env.UPDATE_FIXED;
  return wanted === "1" || wanted === ruleId;
}
before(async () => {
  const audit = RULES.filter(({ meta }) => meta.confidence === "audit").map(({ meta }) => [meta.id, meta.severity] as const);
  engine = await createEngine({ ruleSeverities: Object.fromEntries(audit) });
});

const EXTENSIONS = [".py", ".ts"];

function fixturesOf(id: string): string[] {
  return EXTENSIONS.map((ext) => path.join(repoRoot(), "rules", id, `${id}${ext}`)).filter((f) => existsSync(f));
}

interface Located {
  ruleId: string;
  start: number;
  end: number;
}

function located(text: string, findings: readonly Finding[]): Located[] {
  const lines = new LineIndex(text);
  return findings.map((f) => ({ ruleId: f.ruleId, start: lines.offset(f.range.start), end: lines.offset(f.range.end) }));
}

type OffsetEdit = { start: number; end: number; newText: string };

/** Where an offset of the old text is in the new one, or undefined when an edit replaced it. */
function mapOffset(offset: number, edits: readonly OffsetEdit[]): number | undefined {
  let shift = 0;
  for (const e of edits) {
    if (e.start === e.end) {
      if (e.start <= offset) shift += e.newText.length;
    } else if (e.end <= offset) shift += e.newText.length - (e.end - e.start);
    else if (e.start <= offset) return undefined;
  }
  return offset + shift;
}

/** The spans of the new text that the edits wrote. */
function writtenRegions(edits: readonly OffsetEdit[]): Array<{ start: number; end: number }> {
  let shift = 0;
  return edits.map((e) => {
    const start = e.start + shift;
    shift += e.newText.length - (e.end - e.start);
    return { start, end: start + e.newText.length };
  });
}

function checkFix(file: string, text: string, finding: Finding, fix: Fix, problems: string[]): void {
  const before = engine.analyze(text, file);
  const lines = new LineIndex(text);
  const edits = fix.edits.map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), newText: e.newText })).sort((a, b) => a.start - b.start);
  const fixed = applyEdits(text, fix.edits);
  const after = engine.analyze(fixed, file);
  const where = `${path.basename(file)}:${finding.range.start.line + 1} "${fix.title}"`;
  if (after.syntaxErrors.length > before.syntaxErrors.length) problems.push(`${where}: introduces a syntax error`);
  const target = located(text, [finding])[0];
  const afterSet = located(fixed, after.findings);
  const key = (l: Located) => `${l.ruleId}@${l.start}`;
  const afterKeys = new Set(afterSet.map(key));
  const mappedTarget = mapOffset(target.start, edits);
  if (mappedTarget !== undefined && afterKeys.has(`${finding.ruleId}@${mappedTarget}`)) problems.push(`${where}: the finding is still reported`);
  const beforeKeys = new Set<string>();
  for (const l of located(text, before.findings)) {
    const mapped = mapOffset(l.start, edits);
    const touched = edits.some((e) => e.start < l.end && l.start < e.end);
    if (mapped === undefined) continue;
    beforeKeys.add(`${l.ruleId}@${mapped}`);
    // A finding around the edit (one that spans the whole call) may go or stay; staying is not new.
    if (touched) continue;
    if (!(l.ruleId === target.ruleId && l.start === target.start) && !afterKeys.has(`${l.ruleId}@${mapped}`)) {
      problems.push(`${where}: a finding away from the edit disappeared (${l.ruleId} at offset ${l.start})`);
    }
  }
  const written = writtenRegions(edits);
  for (const l of afterSet) {
    const inEdit = written.some((r) => l.start >= r.start && l.start <= r.end);
    if (!beforeKeys.has(key(l)) && !inEdit) problems.push(`${where}: a new finding appears (${l.ruleId} at offset ${l.start})`);
  }
}

/** The fixture with the first fix of every finding of the rule applied, until none is left to apply. */
function fixAll(file: string, text: string, ruleId: string): string {
  let current = text;
  for (let round = 0; round < 10; round++) {
    const findings = engine.analyze(current, file).findings.filter((f) => f.ruleId === ruleId && f.fixes?.length);
    const { edits, applied } = mergeFixes(current, findings.map((f) => f.fixes![0]));
    if (applied === 0) break;
    current = applyEdits(current, edits);
  }
  return current;
}

for (const { meta } of RULES) {
  describe(`fixes of ${meta.id}`, () => {
    for (const file of fixturesOf(meta.id)) {
      const ext = path.extname(file);
      const golden = file.slice(0, -ext.length) + ".fixed" + ext;
      test(`every fix on ${path.basename(file)} is sound`, () => {
        const text = readFileSync(file, "utf8");
        const findings = engine.analyze(text, file).findings.filter((f) => f.ruleId === meta.id);
        const problems: string[] = [];
        for (const finding of findings) for (const fix of finding.fixes ?? []) checkFix(file, text, finding, fix, problems);
        assert.deepEqual(problems, []);
        const offered = findings.some((f) => f.fixes?.length);
        assert.equal(existsSync(golden), offered, offered ? `${path.basename(golden)} is missing (UPDATE_FIXED=1 writes it)` : `${path.basename(golden)} exists but no fix is offered`);
      });
      test(`${path.basename(golden)} is the fixture with every first fix applied`, (t) => {
        const text = readFileSync(file, "utf8");
        const offered = engine.analyze(text, file).findings.some((f) => f.ruleId === meta.id && f.fixes?.length);
        if (!offered) return t.diagnostic("no fixes offered");
        const result = fixAll(file, text, meta.id);
        if (updates(meta.id)) writeFileSync(golden, result);
        else assert.equal(result, readFileSync(golden, "utf8"));
      });
    }
  });
}
