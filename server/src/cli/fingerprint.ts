/**
 * Fingerprints identify a finding across commits: the rule, the file, and the text of the flagged
 * lines and of the line its data came from, whitespace-collapsed, but not line numbers, so code
 * moving up or down or edits elsewhere in the file keep a finding's fingerprint. Identical ones in
 * one file are told apart by their order, as GitHub's own line hashes do. Baselines and SARIF's
 * `partialFingerprints` use them.
 */
import { createHash } from "node:crypto";
import type { LineIndex } from "../engine/lines";
import type { Finding } from "../engine/types";
import type { AnalysedOutcome } from "./analyseFile";

const normalise = (text: string): string => text.trim().replace(/\s+/g, " ");

/**
 * What a finding's fingerprint hashes from its file: its lines, then its source's line when that is in
 * the same file (in a notebook, `sourceLines` are those of the source's cell).
 */
export function fingerprintText(lines: LineIndex, finding: Finding, sourceLines: LineIndex = lines): string {
  const { start, end } = finding.range;
  const last = end.line > start.line && end.character === 0 ? end.line - 1 : end.line;
  const own: string[] = [];
  for (let line = start.line; line <= last; line++) own.push(lines.lineText(line));
  const source = finding.path[0];
  const sourceLine = source && source.file === undefined ? `\n${normalise(sourceLines.lineText(source.range.start.line))}` : "";
  return normalise(own.join(" ")) + sourceLine;
}

/** The fingerprint of each finding of an analysed file, in the order of its findings; `file` is the path they name it by. */
export function fingerprintsOf(outcome: AnalysedOutcome, file: string): string[] {
  const { findings } = outcome.result;
  const order = findings.map((_, index) => index).sort((a, b) => compareIn(outcome, a, b));
  const prints: string[] = new Array(findings.length);
  const seen = new Map<string, number>();
  for (const index of order) {
    const finding = findings[index];
    const text = outcome.fingerprintTexts?.[index] ?? normalise(outcome.findingLines[index] ?? "");
    const hash = createHash("sha256").update(`${finding.ruleId}\0${file}\0${text}`).digest("hex").slice(0, 32);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    prints[index] = `${hash}:${occurrence}`;
  }
  return prints;
}

function compareIn(outcome: AnalysedOutcome, a: number, b: number): number {
  const [fa, fb] = [outcome.result.findings[a], outcome.result.findings[b]];
  return (
    (outcome.notebookPlaces?.[a]?.cell ?? 0) - (outcome.notebookPlaces?.[b]?.cell ?? 0) ||
    fa.range.start.line - fb.range.start.line ||
    fa.range.start.character - fb.range.start.character ||
    (fa.ruleId < fb.ruleId ? -1 : fa.ruleId > fb.ruleId ? 1 : 0)
  );
}
