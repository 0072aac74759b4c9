/**
 * Fixture annotations (semgrep-rules style): a comment on the line above a case says
 * what must (`ruleid`) or must not (`ok`) be reported on the next line, or a known
 * miss (`todoruleid`).
 */
export type AnnotationKind = "ruleid" | "ok" | "todoruleid";

export interface Annotation {
  kind: AnnotationKind;
  ruleId: string;
  /** Zero-based line the annotation is about (the line after the comment). */
  line: number;
}

const ANNOTATION = /^\s*(?:#|\/\/)\s*(ruleid|ok|todoruleid)\s*:\s*([\w-]+(?:\s*,\s*[\w-]+)*)\s*$/;

export function parseAnnotations(text: string): Annotation[] {
  const out: Annotation[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, i) => {
    const m = ANNOTATION.exec(lineText);
    if (!m) return;
    let target = i + 1;
    // Several annotations may stack above one line.
    while (target < lines.length && ANNOTATION.test(lines[target])) target++;
    for (const ruleId of m[2].split(",").map((s) => s.trim())) out.push({ kind: m[1] as AnnotationKind, ruleId, line: target });
  });
  return out;
}
