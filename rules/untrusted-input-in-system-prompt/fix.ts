/**
 * Untrusted text spliced into a system prompt (f-string, template literal, `+`, `.format`, `%`,
 * `join`) gets two fixes:
 * - safe: the prompt keeps its instructions with a short reference in the value's place, and the
 *   value travels in a user message added right after the system message (or first in the call's
 *   message list when the system prompt is a separate argument);
 * - unsafe: the value is fenced in `<untrusted_data>` tags by a helper the fix adds.
 * A prompt that is nothing but the untrusted text gets neither: there are no instructions to keep.
 */
import type { SinkHit } from "../../server/src/engine/dataflow";
import type { Expr, ImportBinding } from "../../server/src/engine/ir";
import type { CallExpr, FixKit, FixProposal, SpanEdit } from "../../server/src/engine/fixes/kit";
import { builtString, type BuiltString } from "../../server/src/engine/fixes/strings";

type Located = NonNullable<ReturnType<FixKit["at"]>>;
type ObjectExpr = Extract<Expr, { kind: "object" }>;
type ArrayExpr = Extract<Expr, { kind: "array" }>;

const SYSTEM_ROLES = new Set(["system", "developer"]);

export function systemPromptFixes(kit: FixKit, hit: SinkHit): FixProposal[] {
  const located = kit.at(hit.span);
  if (!located) return [];
  const built = builtString(kit, located.expr);
  // Several values: which of them is untrusted is not known here.
  if (!built || built.values.length !== 1) return [];
  const value = built.values[0];
  const fixes = [moveToUserMessage(kit, hit, located, built, value), fenceAsData(kit, hit, value)];
  return fixes.filter((f): f is FixProposal => f !== undefined);
}

function moveToUserMessage(kit: FixKit, hit: SinkHit, located: Located, built: BuiltString, value: Expr): FixProposal | undefined {
  // The value is evaluated in another place afterwards: only expressions that only read are moved.
  if (!readsOnly(value)) return undefined;
  const rewritten = built.replaceValue(value, reference(value));
  const added = rewritten && userMessage(kit, hit, located, kit.slice(value.span));
  if (!rewritten || !added) return undefined;
  return { title: "Move the untrusted text out of the system prompt into a user message", safe: true, edits: [...rewritten, ...added] };
}

function readsOnly(e: Expr): boolean {
  switch (e.kind) {
    case "name":
    case "str":
    case "num":
      return true;
    case "attr":
      return readsOnly(e.object);
    case "index":
      return readsOnly(e.object) && readsOnly(e.index);
    case "paren":
      return readsOnly(e.value);
    default:
      return false;
  }
}

/** What the system prompt says in the value's place: `(style guide provided in the next message)`. */
function reference(value: Expr): string {
  const name = nameOf(value);
  const words = name
    ?.replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[^A-Za-z0-9]+/g, " ")
    .trim()
    .toLowerCase();
  return words && words.length > 1 ? `(${words} provided in the next message)` : "(provided in the next message)";
}

function nameOf(e: Expr): string | undefined {
  switch (e.kind) {
    case "name":
    case "attr":
      return e.name;
    case "index":
      return e.index.kind === "str" ? e.index.value : nameOf(e.object);
    case "paren":
      return nameOf(e.value);
    default:
      return undefined;
  }
}

const sameSpan = (a: Expr, b: Expr): boolean => a.span.start === b.span.start && a.span.end === b.span.end;

/** The edits that add a user message carrying `valueText`, or undefined for a shape not understood. */
function userMessage(kit: FixKit, hit: SinkHit, located: Located, valueText: string): SpanEdit[] | undefined {
  const [parent, grand] = located.ancestors;
  const messageList = hit.spec.shape === "messages";
  if (parent?.kind === "object" && messageList) return afterMessageObject(kit, located, parent, grand, valueText);
  if (parent?.kind === "array" && messageList) return afterMessageTuple(kit, located.expr, parent, grand, valueText);
  if (parent?.kind === "call" && /(^|\.)SystemMessage$/.test(hit.callee)) return afterSystemMessage(kit, located.expr, parent, grand, valueText);
  return firstInCallMessages(kit, hit, located, valueText);
}

/** `"role": ` / `role: ` as written in an entry, or undefined for shorthand entries. */
function keyText(kit: FixKit, entry: ObjectExpr["entries"][number]): string | undefined {
  const text = kit.text.slice(entry.span.start, entry.value.span.start);
  return text.trim() ? text : undefined;
}

/** A role/content message literal like `model`, with its key and quote style, carrying `valueText`. */
function messageLike(kit: FixKit, model: ObjectExpr | undefined, valueText: string): string {
  const role = model?.entries.find((en) => en.key === "role");
  const content = model?.entries.find((en) => en.key === "content");
  const roleKey = (role && keyText(kit, role)) ?? (kit.isPython ? `"role": ` : "role: ");
  const contentKey = (content && keyText(kit, content)) ?? (kit.isPython ? `"content": ` : "content: ");
  const quote = role?.value.kind === "str" ? kit.text[role.value.span.start] : '"';
  const spaced = model ? kit.text[model.span.start + 1] === " " : !kit.isPython;
  const [open, close] = spaced ? ["{ ", " }"] : ["{", "}"];
  return `${open}${roleKey}${quote}user${quote}, ${contentKey}${valueText}${close}`;
}

/** `{"role": "system", "content": <prompt>}` in a list literal, or appended to a list by a statement. */
function afterMessageObject(kit: FixKit, located: Located, message: ObjectExpr, holder: Expr | undefined, valueText: string): SpanEdit[] | undefined {
  const content = message.entries.find((en) => sameSpan(en.value, located.expr));
  const role = message.entries.find((en) => en.key === "role");
  if (content?.key !== "content" || !keyText(kit, content) || role?.value.kind !== "str" || !SYSTEM_ROLES.has(role.value.value)) return undefined;
  const added = messageLike(kit, message, valueText);
  if (holder?.kind === "array") return [insertAfterElement(kit, message, added)];
  // `messages.append({...})` / `messages.push({...})` as a statement of its own.
  const statement = located.statement;
  if (
    holder?.kind !== "call" ||
    holder.callee.kind !== "attr" ||
    !["append", "push"].includes(holder.callee.name) ||
    holder.args.length !== 1 ||
    statement.kind !== "expr" ||
    !sameSpan(statement.expr, holder) ||
    // `if x: messages.append(...)` on one line: a line of its own would run unconditionally.
    !ownsLine(kit, statement.span.start)
  ) {
    return undefined;
  }
  const semicolon = kit.slice(statement.span).trimEnd().endsWith(";") ? ";" : "";
  return [insertAfterLine(kit, statement.span.end, `${kit.slice(holder.callee.span)}(${added})${semicolon}`)];
}

/** `("system", <prompt>)` / `["system", <prompt>]` in a list literal (LangChain message tuples). */
function afterMessageTuple(kit: FixKit, prompt: Expr, tuple: ArrayExpr, list: Expr | undefined, valueText: string): SpanEdit[] | undefined {
  const [role, content] = tuple.elements.map((el) => el.value);
  const open = kit.text[tuple.span.start];
  const close = kit.text[tuple.span.end - 1];
  if (list?.kind !== "array" || tuple.elements.length !== 2 || !SYSTEM_ROLES.has(tupleRole(tuple) ?? "") || !sameSpan(content, prompt)) return undefined;
  if (!((open === "(" && close === ")") || (open === "[" && close === "]"))) return undefined;
  const humanRole = list.elements.some((el) => tupleRole(el.value) === "human");
  const quote = kit.text[role.span.start];
  const separator = kit.text.slice(role.span.end, content.span.start);
  return [insertAfterElement(kit, tuple, `${open}${quote}${humanRole ? "human" : "user"}${quote}${separator}${valueText}${close}`)];
}

function tupleRole(e: Expr): string | undefined {
  const first = e.kind === "array" ? e.elements[0]?.value : undefined;
  return first?.kind === "str" ? first.value : undefined;
}

/** `SystemMessage(<prompt>)` / `new SystemMessage(<prompt>)` in a list literal: a `HumanMessage` follows it. */
function afterSystemMessage(kit: FixKit, prompt: Expr, call: CallExpr, list: Expr | undefined, valueText: string): SpanEdit[] | undefined {
  if (list?.kind !== "array") return undefined;
  const keyword = call.kwargs.find((k) => sameSpan(k.value, prompt));
  if (!keyword && !(call.args.length === 1 && sameSpan(call.args[0].value, prompt))) return undefined;
  const human = humanMessageCallee(kit, call.callee);
  if (!human) return undefined;
  const argument = keyword ? `${keyword.name}=${valueText}` : valueText;
  const edits = [insertAfterElement(kit, call, `${call.isNew ? "new " : ""}${human.callee}(${argument})`)];
  return human.importEdit ? [human.importEdit, ...edits] : edits;
}

/** `HumanMessage` from wherever the file took `SystemMessage`, importing it when needed. */
function humanMessageCallee(kit: FixKit, callee: Expr): { callee: string; importEdit?: SpanEdit } | undefined {
  if (callee.kind === "attr") return { callee: `${kit.slice(callee.object.span)}.HumanMessage` };
  if (callee.kind !== "name") return undefined;
  const imports: ImportBinding[] = kit.ir?.imports ?? [];
  const system = imports.find((i) => i.local === callee.name && i.name === "SystemMessage");
  if (!system) return undefined;
  const human = imports.find((i) => i.module === system.module && i.name === "HumanMessage");
  if (human) return { callee: human.local };
  if (imports.some((i) => i.local === "HumanMessage")) return undefined;
  return { callee: "HumanMessage", importEdit: kit.ensureImport(system.module, "HumanMessage") };
}

/** The list the call sends as the conversation, for sinks where the system prompt is its own argument. */
function conversationOf(hit: SinkHit): { key: string; form: "message" | "text" } | undefined {
  const selectors = Array.isArray(hit.spec.arg) ? hit.spec.arg : [hit.spec.arg];
  if (selectors.includes("system") && (hit.callee.startsWith("anthropic.") || hit.callee.startsWith("ai."))) return { key: "messages", form: "message" };
  if (selectors.includes("instructions") && /^openai\..*\.responses\./.test(hit.callee)) return { key: "input", form: "message" };
  if (hit.spec.path && hit.callee.startsWith("google.genai.")) return { key: "contents", form: "text" };
  return undefined;
}

/** Anthropic `system=`, AI SDK `system:`, Responses `instructions=`, Gemini `system_instruction`: first in the call's list. */
function firstInCallMessages(kit: FixKit, hit: SinkHit, located: Located, valueText: string): SpanEdit[] | undefined {
  const conversation = conversationOf(hit);
  const call = kit.callAt(hit.callSpan)?.expr;
  if (!conversation || !call || !located.ancestors.some((a) => sameSpan(a, call))) return undefined;
  const list = kit.isPython
    ? call.kwargs.find((k) => k.name === conversation.key)?.value
    : call.args[0]?.value.kind === "object"
      ? call.args[0].value.entries.find((en) => en.key === conversation.key && !en.spread)?.value
      : undefined;
  if (list?.kind !== "array" || list.elements.some((el) => el.spread)) return undefined;
  const elements = list.elements.map((el) => el.value);
  if (conversation.form === "text") {
    // Gemini reads a list of strings as the parts of one user turn; other element shapes are left alone.
    return elements.every((el) => el.kind === "str" || el.kind === "template") ? [insertFirst(kit, list, valueText)] : undefined;
  }
  const model = elements.find((el): el is ObjectExpr => el.kind === "object" && el.entries.some((en) => en.key === "role"));
  return [insertFirst(kit, list, messageLike(kit, model, valueText))];
}

const ownsLine = (kit: FixKit, offset: number): boolean => kit.text.slice(kit.lineStart(offset), offset).trim() === "";

/** Adds `text` as the list element after `element`, one per line when the list is written that way. */
function insertAfterElement(kit: FixKit, element: Expr, text: string): SpanEdit {
  const end = element.span.end;
  if (!ownsLine(kit, element.span.start)) return { span: { start: end, end }, newText: `, ${text}` };
  const nl = kit.newline();
  const indent = kit.indentAt(element.span.start);
  const rest = /^[ \t]*,[ \t]*(?:(?:#|\/\/)[^\r\n]*)?(?=\r?\n|$)/.exec(kit.text.slice(end));
  if (rest) return { span: { start: end + rest[0].length, end: end + rest[0].length }, newText: `${nl}${indent}${text},` };
  return { span: { start: end, end }, newText: `,${nl}${indent}${text}` };
}

function insertFirst(kit: FixKit, list: ArrayExpr, text: string): SpanEdit {
  const first = list.elements[0]?.value;
  if (!first) return { span: { start: list.span.start + 1, end: list.span.start + 1 }, newText: text };
  if (!ownsLine(kit, first.span.start)) return { span: { start: first.span.start, end: first.span.start }, newText: `${text}, ` };
  const at = kit.lineStart(first.span.start);
  return { span: { start: at, end: at }, newText: `${kit.indentAt(first.span.start)}${text},${kit.newline()}` };
}

/** A new line with `text` after the line that holds `offset`, at that line's indentation. */
function insertAfterLine(kit: FixKit, offset: number, text: string): SpanEdit {
  const lineEnd = kit.text.indexOf("\n", offset);
  const at = lineEnd < 0 ? kit.text.length : kit.text[lineEnd - 1] === "\r" ? lineEnd - 1 : lineEnd;
  return { span: { start: at, end: at }, newText: `${kit.newline()}${kit.indentAt(offset)}${text}` };
}

const PYTHON_FENCE = `def as_untrusted_data(text: object) -> str:
    """Fences text that this application did not write, so that the model reads it as data and not as instructions."""
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;")
    return "<untrusted_data>\\n" + escaped + "\\n</untrusted_data>"`;

const fenceForJs = (typed: boolean): string => `/** Fences text that this application did not write, so that the model reads it as data and not as instructions. */
function asUntrustedData(text${typed ? ": unknown" : ""})${typed ? ": string" : ""} {
  const escaped = String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return \`<untrusted_data>\\n\${escaped}\\n</untrusted_data>\`;
}`;

function fenceAsData(kit: FixKit, hit: SinkHit, value: Expr): FixProposal | undefined {
  // What a helper function returns to its caller does not keep what a sanitizer inside it cleared it
  // for, so a prompt built in another function than the call stays reported: no fix is offered there.
  if (kit.functionAround(hit.span) !== kit.functionAround(hit.callSpan)) return undefined;
  const name = kit.isPython ? "as_untrusted_data" : "asUntrustedData";
  const helper = kit.ensureHelper(name, kit.isPython ? PYTHON_FENCE : fenceForJs(kit.language === "typescript"));
  const wrap = { span: value.span, newText: `${name}(${kit.slice(value.span)})` };
  return { title: "Fence the untrusted text in the system prompt as data", safe: false, edits: helper ? [helper, wrap] : [wrap] };
}
