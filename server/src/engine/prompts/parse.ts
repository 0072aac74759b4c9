/**
 * Reads a prompt template file: Microsoft Prompty (`.prompty`) or Google Dotprompt (`.prompt`).
 * Both are YAML front matter between `---` lines followed by a template body; the body is split
 * into role sections, and every template variable is located in its section.
 *
 * Prompty: role marker lines (`system:`, `user:` …) split the rendered text into messages; text
 * before the first marker is a system message; Jinja2 (default) or Mustache variables.
 * Dotprompt: Handlebars; `{{role "system"}}` starts a section; text before any role helper is a
 * user message.
 */
import { parseDocument } from "yaml";
import { promptFormatOf } from "../files";
import type { Span } from "../ir";
import { templateTags, type TemplateTag } from "./template";

export type PromptFormat = NonNullable<ReturnType<typeof promptFormatOf>>;

export interface PromptSection {
  /** Lower-case role; "dynamic" when the template computes it (`{{item.role}}:`), so it is unknown. */
  role: string;
  /** From the end of the marker to the next marker (or the end of the file). */
  span: Span;
  /** The marker itself; absent for the implicit first section. */
  marker?: Span;
}

export interface PromptVariable {
  /** The input the value comes from: the first segment of the expression (`user.name` → `user`). */
  name: string;
  /** The whole tag that prints it, `{{ user.name }}`. */
  span: Span;
  role: string;
}

export interface ParsedPrompt {
  format: PromptFormat;
  /** The front matter as plain data; undefined when absent or invalid. */
  frontMatter?: unknown;
  body: Span;
  sections: PromptSection[];
  variables: PromptVariable[];
  /** YAML errors in the front matter, or a front matter that is never closed. */
  syntaxErrors: Array<{ span: Span; message: string }>;
}

const SYSTEM_ROLES = new Set(["system", "developer"]);

export function isSystemRole(role: string): boolean {
  return SYSTEM_ROLES.has(role);
}

/** Never throws: malformed front matter becomes a syntax error and the body is still read. */
export function parsePrompt(text: string, format: PromptFormat): ParsedPrompt {
  const syntaxErrors: ParsedPrompt["syntaxErrors"] = [];
  const { frontMatter, bodyStart } = readFrontMatter(text, syntaxErrors);
  const body = { start: bodyStart, end: text.length };
  const tags = templateTags(text, bodyStart, format);
  const sections = format === "prompty" ? promptySections(text, bodyStart, tags) : dotpromptSections(text, bodyStart, tags);
  const variables: PromptVariable[] = [];
  const markers = sections.flatMap((s) => (s.marker ? [s.marker] : []));
  for (const tag of tags) {
    // The role a dynamic marker prints is no message content.
    if (tag.kind !== "print" || markers.some((m) => m.start <= tag.span.start && tag.span.end <= m.end)) continue;
    for (const name of tag.inputs) variables.push({ name, span: tag.span, role: roleAt(sections, tag.span.start) });
  }
  return { format, frontMatter, body, sections, variables, syntaxErrors };
}

function readFrontMatter(text: string, errors: ParsedPrompt["syntaxErrors"]): { frontMatter?: unknown; bodyStart: number } {
  const open = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  if (!open) return { bodyStart: 0 };
  const close = /^---[ \t]*(?:\r?\n|$)/m;
  const rest = text.slice(open[0].length);
  const end = close.exec(rest);
  if (!end) {
    errors.push({ span: { start: 0, end: open[0].trimEnd().length }, message: "The front matter opened here is never closed with a `---` line." });
    return { bodyStart: text.length };
  }
  const yamlStart = open[0].length;
  const yamlText = rest.slice(0, end.index);
  const bodyStart = yamlStart + end.index + end[0].length;
  const doc = parseDocument(yamlText, { prettyErrors: false });
  if (doc.errors.length) {
    // Errors at the end of the YAML (an unclosed bracket) point at its last character, not past it.
    const last = Math.max(yamlText.length - 1, 0);
    for (const e of doc.errors) {
      const start = Math.min(e.pos[0], last);
      errors.push({ span: { start: yamlStart + start, end: yamlStart + Math.min(Math.max(e.pos[1], start + 1), yamlText.length) }, message: `Invalid YAML front matter: ${e.message.split("\n")[0]}` });
    }
    return { bodyStart };
  }
  return { frontMatter: doc.toJS(), bodyStart };
}

/** `system:`, `# user:`, `system[name="x"]:` on a line of their own, as the Prompty chat parser reads them. */
const PROMPTY_MARKER = /^[ \t]*#?[ \t]*(system|user|assistant|function|tool|developer)(?:\[[^\]\n]*\])?[ \t]*:[ \t]*$/gim;
/** A line whose role the template prints (`{{item.role}}:`): the message after it has no fixed role. */
const DYNAMIC_MARKER = /^[ \t]*\{\{[^}\n]*\}\}[ \t]*:[ \t]*$/gm;

function promptySections(text: string, bodyStart: number, tags: TemplateTag[]): PromptSection[] {
  const markers: Array<{ role: string; span: Span }> = [];
  const body = text.slice(bodyStart);
  for (const m of body.matchAll(PROMPTY_MARKER)) markers.push({ role: m[1].toLowerCase(), span: { start: bodyStart + m.index, end: bodyStart + m.index + m[0].length } });
  for (const m of body.matchAll(DYNAMIC_MARKER)) markers.push({ role: "dynamic", span: { start: bodyStart + m.index, end: bodyStart + m.index + m[0].length } });
  // A marker inside a comment is no marker.
  const comments = tags.filter((t) => t.kind === "comment");
  const live = markers.filter((m) => !comments.some((c) => c.span.start <= m.span.start && m.span.end <= c.span.end));
  return toSections(live.sort((a, b) => a.span.start - b.span.start), bodyStart, text.length, "system");
}

function dotpromptSections(text: string, bodyStart: number, tags: TemplateTag[]): PromptSection[] {
  const markers = tags.filter((t) => t.kind === "role").map((t) => ({ role: t.role!, span: t.span }));
  return toSections(markers, bodyStart, text.length, "user");
}

function toSections(markers: Array<{ role: string; span: Span }>, bodyStart: number, end: number, firstRole: string): PromptSection[] {
  const sections: PromptSection[] = [];
  const firstEnd = markers[0]?.span.start ?? end;
  if (firstEnd > bodyStart || markers.length === 0) sections.push({ role: firstRole, span: { start: bodyStart, end: firstEnd } });
  markers.forEach((m, i) => sections.push({ role: m.role, marker: m.span, span: { start: m.span.end, end: markers[i + 1]?.span.start ?? end } }));
  return sections;
}

function roleAt(sections: PromptSection[], offset: number): string {
  for (let i = sections.length - 1; i >= 0; i--) if (sections[i].span.start <= offset) return sections[i].role;
  return sections[0]?.role ?? "user";
}
