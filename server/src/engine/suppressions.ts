/**
 * Inline suppressions: `# secure-ai-lint: ignore[rule-id, …] -- reason` in Python,
 * `// secure-ai-lint: ignore[…] -- reason` (or a block comment, or JSX's `{/* … *\/}`) in JS and TS.
 * A suppression covers the findings that start on its own line (a trailing comment) or, when it
 * stands alone, on the next line; several lone suppressions may stack above one line. It must name
 * the rules and say why: one without a reason suppresses nothing. Suppressions without a reason,
 * naming unknown rules or suppressing nothing are reported as `invalid-suppression` findings, so
 * they cannot pile up unseen.
 */
import { languageOf } from "./files";
import type { Comment, Span } from "./ir";
import { LineIndex } from "./lines";
import { parseJavaScript } from "./parse/javascript";
import { parsePython } from "./parse/python";
import type { RuleReport } from "./rule";
import type { Finding } from "./types";

export const SUPPRESSION_RULE_ID = "invalid-suppression";
/** Files without it have no suppressions: the cheap test before looking at comments. */
export const SUPPRESSION_MARKER = "secure-ai-lint";
/** What the editor's quick-fix writes where the reason goes; a placeholder is not a reason. */
export const REASON_PLACEHOLDER = "<reason>";

const DIRECTIVE = /^\s*secure-ai-lint\s*:/;
const IGNORE = /^\s*secure-ai-lint\s*:\s*ignore\s*\[([^\]]*)\]/;
const REASON = /^\s*--([\s\S]*)$/;
const PLACEHOLDER = /^<[^>]*>$/;

interface NamedRule {
  id: string;
  span: Span;
}

interface Directive {
  /** The comment with its markers, and the `{` `}` around it in JSX. */
  span: Span;
  /** From the line start (alone) or the end of the code before it (trailing) to its end: what removing it deletes. */
  removal: Span;
  /** Null when the comment is not `ignore[…]`. */
  rules: NamedRule[] | null;
  reason: string | undefined;
  alone: boolean;
  startLine: number;
  endLine: number;
}

export interface SuppressionInput {
  text: string;
  lines: LineIndex;
  comments: readonly Comment[];
  findings: readonly Finding[];
  /** Every rule id there is. */
  knownRules: ReadonlySet<string>;
  /** Rules that checked this file: a suppression of another rule is not reported as unused (another configuration may run it). */
  activeRules: ReadonlySet<string>;
}

export interface SuppressionOutcome {
  /** The findings no suppression covers. */
  findings: Finding[];
  /** Problems with the suppressions themselves, as reports of `invalid-suppression`. */
  problems: RuleReport[];
}

export function applySuppressions(input: SuppressionInput): SuppressionOutcome {
  const directives = input.comments.map((c) => readDirective(input.text, input.lines, c)).filter((d): d is Directive => d !== undefined);
  if (directives.length === 0) return { findings: [...input.findings], problems: [] };
  const covered = coveredLines(directives);
  const used = new Set<NamedRule>();
  const findings = input.findings.filter((finding) => {
    if (finding.ruleId === SUPPRESSION_RULE_ID) return true;
    const matches = directives
      .filter((d) => d.reason !== undefined && covered.get(d) === finding.range.start.line)
      .flatMap((d) => d.rules ?? [])
      .filter((r) => r.id === finding.ruleId);
    matches.forEach((r) => used.add(r));
    return matches.length === 0;
  });
  const problems = directives.flatMap((d) => problemsOf(d, covered.get(d)!, input, used));
  return { findings, problems };
}

function problemsOf(d: Directive, line: number, input: SuppressionInput, used: ReadonlySet<NamedRule>): RuleReport[] {
  const problem = (span: Span, message: string, removal?: Span): RuleReport => ({
    message,
    span,
    path: [],
    ...(removal ? { fixes: [{ title: "Remove the unused suppression", safe: true, edits: [{ span: removal, newText: "" }] }] } : {}),
  });
  if (d.rules === null) {
    return [problem(d.span, "This secure-ai-lint comment is not a suppression: write `secure-ai-lint: ignore[rule-id] -- reason`. It suppresses nothing.")];
  }
  if (d.rules.length === 0) {
    return [problem(d.span, "This suppression names no rule: write the rule ids between the brackets, `ignore[rule-id]`. It suppresses nothing.")];
  }
  const out: RuleReport[] = [];
  for (const r of d.rules) {
    if (!input.knownRules.has(r.id)) out.push(problem(r.span, `\`${r.id}\` is not a Secure AI Lint rule, so this suppression cannot apply to it; check the rule id (\`secure-ai-lint rules\` lists them).`));
  }
  if (d.reason === undefined) {
    out.push(problem(d.span, "This suppression gives no reason, so it suppresses nothing: after `--`, say why the finding is acceptable here."));
    return out;
  }
  const unused = d.rules.filter((r) => input.knownRules.has(r.id) && input.activeRules.has(r.id) && r.id !== SUPPRESSION_RULE_ID && !used.has(r));
  const unusable = d.rules.filter((r) => r.id === SUPPRESSION_RULE_ID);
  for (const r of unusable) out.push(problem(r.span, `\`${SUPPRESSION_RULE_ID}\` findings cannot be suppressed; fix the suppression, or turn the rule off in the project configuration.`));
  const lineNumber = line + 1;
  if (unused.length > 0 && unused.length === d.rules.length) {
    const ids = unused.map((r) => `\`${r.id}\``).join(", ");
    return [...out, problem(d.span, `Unused suppression: no ${ids} finding starts on line ${lineNumber}. Remove it.`, d.removal)];
  }
  for (const r of unused) {
    out.push(problem(r.span, `Unused suppression: no \`${r.id}\` finding starts on line ${lineNumber}. Remove \`${r.id}\` from the list.`, idRemoval(d.rules, r)));
  }
  return out;
}

/** The id and the comma that joins it to its neighbour. */
function idRemoval(rules: readonly NamedRule[], r: NamedRule): Span {
  const i = rules.indexOf(r);
  if (i < rules.length - 1) return { start: r.span.start, end: rules[i + 1].span.start };
  return { start: rules[i - 1].span.end, end: r.span.end };
}

/** The line whose findings each directive covers. */
function coveredLines(directives: readonly Directive[]): Map<Directive, number> {
  const covered = new Map<Directive, number>();
  const aloneByStart = new Map(directives.filter((d) => d.alone).map((d) => [d.startLine, d]));
  // Bottom-up, so a stack of lone directives all reach the line below the last of them.
  for (const d of [...directives].reverse()) {
    if (!d.alone) {
      covered.set(d, d.startLine);
      continue;
    }
    const below = aloneByStart.get(d.endLine + 1);
    covered.set(d, below && below !== d ? covered.get(below)! : d.endLine + 1);
  }
  return covered;
}

function readDirective(text: string, lines: LineIndex, comment: Comment): Directive | undefined {
  const { start, end } = comment.span;
  const raw = text.slice(start, end);
  const marker = raw.startsWith("#") ? 1 : raw.startsWith("//") || raw.startsWith("/*") ? 2 : 0;
  const closing = raw.startsWith("/*") && raw.endsWith("*/") ? 2 : 0;
  const body = raw.slice(marker, raw.length - closing);
  if (!DIRECTIVE.test(body)) return undefined;
  const bodyStart = start + marker;

  const startLine = lines.position(start).line;
  const endLine = lines.position(end).line;
  const lineStart = lines.offset({ line: startLine, character: 0 });
  const lineEnd = lines.offset({ line: endLine, character: lines.lineText(endLine).length });
  const before = text.slice(lineStart, start);
  const after = text.slice(end, lineEnd);
  // JSX writes a comment between children as `{/* … */}`: the braces belong to it.
  const braced = /\{\s*$/.test(before) && /^\s*\}/.test(after);
  const outerStart = braced ? lineStart + before.lastIndexOf("{") : start;
  const outerEnd = braced ? end + after.indexOf("}") + 1 : end;
  const alone = text.slice(lineStart, outerStart).trim() === "" && text.slice(outerEnd, lineEnd).trim() === "";
  const nextLineStart = lines.offset({ line: endLine + 1, character: 0 });
  const removal = alone
    ? { start: lineStart, end: nextLineStart > lineEnd ? nextLineStart : lineEnd }
    : text.slice(outerEnd, lineEnd).trim() === ""
      ? { start: lineStart + text.slice(lineStart, outerStart).trimEnd().length, end: outerEnd }
      : { start: outerStart, end: outerEnd };

  const ignore = IGNORE.exec(body);
  if (!ignore) return { span: { start: outerStart, end: outerEnd }, removal, rules: null, reason: undefined, alone, startLine, endLine };
  const listStart = bodyStart + ignore[0].indexOf("[") + 1;
  const rules: NamedRule[] = [];
  for (const m of ignore[1].matchAll(/[^,\s]+/g)) rules.push({ id: m[0], span: { start: listStart + m.index, end: listStart + m.index + m[0].length } });
  const reasonText = REASON.exec(body.slice(ignore[0].length))?.[1].replace(/\s+/g, " ").trim();
  const reason = reasonText && !PLACEHOLDER.test(reasonText) ? reasonText : undefined;
  return { span: { start: outerStart, end: outerEnd }, removal, rules, reason, alone, startLine, endLine };
}

/** Where a suppression of one finding goes: `before + REASON_PLACEHOLDER + after`, inserted at `offset`. */
export interface SuppressionInsertion {
  offset: number;
  before: string;
  after: string;
}

/**
 * A lone suppression on the line above the finding's first line, with that line's indentation; in
 * JSX children, where `//` would be text, `{/* … *\/}`. The text with the suppression is parsed: when
 * the comment would not be a comment there (inside a multi-line string) or would break the code (after
 * a line continuation), there is no place for one and the result is undefined.
 */
export function suppressionInsertion(text: string, filePath: string, line: number, ruleId: string): SuppressionInsertion | undefined {
  const language = languageOf(filePath);
  if (!language) return undefined;
  const lines = new LineIndex(text);
  if (line >= lines.lineCount) return undefined;
  // A comment line would end a Python line continuation early.
  if (language === "python" && line > 0 && lines.lineText(line - 1).endsWith("\\")) return undefined;
  const offset = lines.offset({ line, character: 0 });
  const indent = /^[ \t]*/.exec(lines.lineText(line))![0];
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const directive = `secure-ai-lint: ignore[${ruleId}] -- `;
  const forms: Array<[string, string]> = language === "python" ? [[`# ${directive}`, ""]] : [[`// ${directive}`, ""], [`{/* ${directive}`, " */}"]];
  const parse = (source: string) => (language === "python" ? parsePython(source) : parseJavaScript(source, filePath));
  let errorsBefore: number | undefined;
  for (const [open, close] of forms) {
    const before = indent + open;
    const after = close + newline;
    const parsed = parse(text.slice(0, offset) + before + REASON_PLACEHOLDER + after + text.slice(offset));
    errorsBefore ??= parse(text).syntaxErrors.length;
    const commentStart = offset + indent.length + (close ? 1 : 0);
    if (parsed.syntaxErrors.length <= errorsBefore && parsed.comments.some((c) => c.span.start === commentStart)) return { offset, before, after };
  }
  return undefined;
}
