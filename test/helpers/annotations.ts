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
/** The same annotations in prompt templates: `{# ruleid: x #}` (Jinja) or `{{!-- ok: x --}}` (Handlebars). */
export const TEMPLATE_ANNOTATION = /^\s*(?:\{#|\{\{!--|\{\{!)\s*(ruleid|ok|todoruleid)\s*:\s*([\w-]+(?:\s*,\s*[\w-]+)*)\s*(?:#\}|--\}\}|\}\})\s*$/;

export function parseAnnotations(text: string, pattern: RegExp = ANNOTATION): Annotation[] {
  const out: Annotation[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, i) => {
    const m = pattern.exec(lineText);
    if (!m) return;
    let target = i + 1;
    // Several annotations may stack above one line.
    while (target < lines.length && pattern.test(lines[target])) target++;
    for (const ruleId of m[2].split(",").map((s) => s.trim())) out.push({ kind: m[1] as AnnotationKind, ruleId, line: target });
  });
  return out;
}

/** What is wrong with a fixture: annotated cases not honoured, findings on unannotated lines (zero-based `reported`). */
export function annotationProblems(annotations: readonly Annotation[], reported: ReadonlySet<number>): string[] {
  const problems: string[] = [];
  for (const a of annotations) {
    if (a.kind === "ruleid" && !reported.has(a.line)) problems.push(`line ${a.line + 1}: expected a finding, got none`);
    if (a.kind === "ok" && reported.has(a.line)) problems.push(`line ${a.line + 1}: expected no finding (ok), got one`);
    if (a.kind === "todoruleid" && reported.has(a.line)) problems.push(`line ${a.line + 1}: todoruleid now reported; make it ruleid`);
  }
  const annotated = new Set(annotations.map((a) => a.line));
  for (const line of reported) if (!annotated.has(line)) problems.push(`line ${line + 1}: unexpected finding on an unannotated line`);
  return problems;
}
