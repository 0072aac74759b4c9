/**
 * Applying fixes to a text: the CLI's `--fix`, the editor's fix-all and the tests share it.
 * Edits of several fixes are merged only when they do not overlap; the same insertion offered
 * by two fixes (an import both need) is made once.
 */
import { LineIndex } from "../lines";
import type { Finding, Fix, TextEdit } from "../types";

interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** The safe fix of each finding (the first one), as long as it does not collide with one already taken. */
export function safeFixes(findings: readonly Finding[]): Fix[] {
  const chosen: Fix[] = [];
  for (const f of findings) {
    const fix = f.fixes?.find((x) => x.safe);
    if (fix) chosen.push(fix);
  }
  return chosen;
}

/**
 * Merges the fixes' edits, skipping a fix whose edits overlap an earlier fix's (its finding is
 * fixed by a later run). Returns the edits to make, in document order, and how many fixes were taken.
 */
export function mergeFixes(text: string, fixes: readonly Fix[]): { edits: TextEdit[]; applied: number } {
  const lines = new LineIndex(text);
  const taken: OffsetEdit[] = [];
  let applied = 0;
  for (const fix of fixes) {
    const edits = fix.edits.map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), newText: e.newText }));
    const fresh = edits.filter((e) => !taken.some((t) => same(t, e)));
    if (fresh.some((e) => taken.some((t) => overlaps(t, e)))) continue;
    taken.push(...fresh);
    applied++;
  }
  taken.sort((a, b) => a.start - b.start || a.end - b.end);
  return { edits: taken.map((e) => ({ range: lines.range(e), newText: e.newText })), applied };
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const offsets = edits
    .map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of offsets) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function same(a: OffsetEdit, b: OffsetEdit): boolean {
  return a.start === b.start && a.end === b.end && a.newText === b.newText;
}

/** Two insertions at one offset collide (their order would be arbitrary); touching replacements do not. */
function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}
