/**
 * Model output that is rendered as HTML is rendered as text instead, or sanitised first:
 * `innerHTML` → `textContent`, `insertAdjacentHTML` → `insertAdjacentText`, jQuery `.html` →
 * `.text`, `DOMPurify.sanitize(…)` around what an `innerHTML` / `outerHTML` /
 * `dangerouslySetInnerHTML` receives; Python `Markup(x)` → `escape(x)` (and `escape` around the
 * value `%`-formatted into a Markup string), Django `mark_safe(x)` → `conditional_escape(x)`,
 * `st.markdown` without `unsafe_allow_html`. All unsafe: markup in the reply stops rendering, and
 * DOMPurify is a new dependency.
 */
import type { SinkHit } from "../../server/src/engine/dataflow";
import type { Expr, Stmt } from "../../server/src/engine/ir";
import type { CallExpr, FixKit, FixProposal, SpanEdit } from "../../server/src/engine/fixes/kit";
import { defaultImportOf, removeKeyword } from "../../server/src/engine/fixes/shapes";

export function htmlFixes(kit: FixKit, hit: SinkHit): FixProposal[] {
  return kit.isPython ? pythonFixes(kit, hit) : javascriptFixes(kit, hit);
}

function javascriptFixes(kit: FixKit, hit: SinkHit): FixProposal[] {
  const located = kit.at(hit.span);
  if (!located) return [];
  if (hit.callee === "innerHTML" || hit.callee === "outerHTML") return propertyFixes(kit, located.expr, located.statement, hit.callee);
  const call = kit.callAt(hit.callSpan)?.expr;
  if (hit.spec.arg === "dangerouslySetInnerHTML") {
    const html = htmlEntryValue(located.expr, located.ancestors[0]);
    return html ? [sanitizeFix(kit, html, "Sanitise the model's HTML with DOMPurify before React renders it")] : [];
  }
  if (!call || call.callee.kind !== "attr" || call.args.some((a) => a.spread)) return [];
  if (call.callee.name === "insertAdjacentHTML" && call.args.length === 2) {
    return [{ title: "Insert the model output as text (insertAdjacentText)", safe: false, edits: [{ span: call.callee.nameSpan, newText: "insertAdjacentText" }] }];
  }
  if (hit.callee.startsWith("globalThis.$") && call.callee.name === "html" && call.args.length === 1) {
    return [{ title: "Insert the model output as text (jQuery .text)", safe: false, edits: [{ span: call.callee.nameSpan, newText: "text" }] }];
  }
  return [];
}

/** `el.innerHTML = v` / `+=`: text for plain values, DOMPurify first for HTML that a call produced (a markdown renderer). */
function propertyFixes(kit: FixKit, value: Expr, statement: Stmt, property: string): FixProposal[] {
  if (statement.kind !== "assign" || statement.target.kind !== "attr" || statement.target.name !== property || statement.value !== value) return [];
  const asText: FixProposal = {
    title: "Render the model output as text (textContent)",
    safe: false,
    edits: [{ span: propertyNameSpan(kit, statement.target.span, property), newText: "textContent" }],
  };
  const sanitized = sanitizeFix(kit, value, `Sanitise the model's HTML with DOMPurify before setting ${property}`);
  if (property === "outerHTML") return statement.op ? [] : [sanitized];
  // Sanitising chunk by chunk breaks tags split across chunks, so `+=` only gets the text fix.
  if (statement.op) return [asText];
  return unwrap(value).kind === "call" ? [sanitized, asText] : [asText, sanitized];
}

/** The property name at the end of an assignment target (`…panel("#a").innerHTML`). */
function propertyNameSpan(kit: FixKit, target: { start: number; end: number }, property: string): { start: number; end: number } {
  const end = target.start + kit.slice(target).trimEnd().length;
  return { start: end - property.length, end };
}

function unwrap(e: Expr): Expr {
  return e.kind === "paren" ? unwrap(e.value) : e;
}

/** The `__html` value of a `dangerouslySetInnerHTML` object, whether the hit is on the object or on the value. */
function htmlEntryValue(e: Expr, parent: Expr | undefined): Expr | undefined {
  const inner = unwrap(e);
  if (inner.kind === "object") return inner.entries.find((en) => en.key === "__html" && !en.spread)?.value;
  return parent?.kind === "object" && parent.entries.some((en) => en.key === "__html" && en.value === e) ? e : undefined;
}

function sanitizeFix(kit: FixKit, value: Expr, title: string): FixProposal {
  const local = defaultImportOf(kit, "dompurify") ?? defaultImportOf(kit, "isomorphic-dompurify") ?? "DOMPurify";
  const importEdit = local === "DOMPurify" ? kit.ensureDefaultImport("dompurify", "DOMPurify") : undefined;
  return {
    title,
    safe: false,
    edits: [...(importEdit ? [importEdit] : []), { span: value.span, newText: `${local}.sanitize(${kit.slice(value.span)})` }],
  };
}

/** Python escape functions that return Markup, so templates do not escape the result twice. */
const MARKUP_ESCAPE_MODULES = new Set(["markupsafe", "flask", "jinja2"]);

function pythonFixes(kit: FixKit, hit: SinkHit): FixProposal[] {
  const call = kit.callAt(hit.callSpan)?.expr;
  if (!call || call.args.some((a) => a.spread)) return [];
  if (hit.callee === "streamlit.markdown") {
    const edit = removeKeyword(kit, call, "unsafe_allow_html");
    return edit ? [{ title: "Render the model output as Markdown without raw HTML", safe: false, edits: [edit] }] : [];
  }
  if (call.args.length !== 1 || call.kwargs.length > 0) return [];
  const value = call.args[0].value;
  if (hit.callee === "markupsafe.Markup") return markupFixes(kit, call, value);
  if (hit.callee === "django.utils.safestring.mark_safe" && isOpaqueValue(value)) {
    const importEdit = kit.ensureImport("django.utils.html", "conditional_escape");
    const edits: SpanEdit[] = [...(importEdit ? [importEdit] : []), { span: call.callee.span, newText: "conditional_escape" }];
    return bindsOtherwise(kit, "conditional_escape", ["django.utils.html"]) ? [] : [{ title: "Escape the model output (conditional_escape) instead of marking it safe", safe: false, edits }];
  }
  return [];
}

/** `Markup(x)` → `escape(x)`; `Markup("<b>%s</b>" % x)` → `Markup("<b>%s</b>" % escape(x))`. */
function markupFixes(kit: FixKit, call: CallExpr, value: Expr): FixProposal[] {
  const viaModule = call.callee.kind === "attr" ? `${kit.slice(call.callee.object.span)}.escape` : undefined;
  if (!viaModule && bindsOtherwise(kit, "escape", [...MARKUP_ESCAPE_MODULES])) return [];
  const escapeName = viaModule ?? "escape";
  const importEdit = viaModule || kit.ir?.imports.some((i) => i.local === "escape") ? undefined : kit.ensureImport("markupsafe", "escape");
  const withImport = (edits: SpanEdit[]): SpanEdit[] => [...(importEdit ? [importEdit] : []), ...edits];
  if (value.kind === "binary" && value.op === "%" && unwrap(value.left).kind === "str") {
    const right = unwrap(value.right);
    const operands = right.kind === "array" ? right.elements.map((el) => el.value) : [value.right];
    if (right.kind === "array" && right.elements.some((el) => el.spread)) return [];
    const edits = operands.filter((o) => o.kind !== "str" && o.kind !== "num").map((o) => ({ span: o.span, newText: `${escapeName}(${kit.slice(o.span)})` }));
    return edits.length ? [{ title: "Escape the model output before formatting it into the markup", safe: false, edits: withImport(edits) }] : [];
  }
  if (!isOpaqueValue(value)) return [];
  return [{ title: "Escape the model output (escape) instead of marking it safe", safe: false, edits: withImport([{ span: call.callee.span, newText: escapeName }]) }];
}

/**
 * A value that is not markup written around the model's text (an f-string, `+`, `%` or
 * `.format`/`.join`): escaping it whole turns only the model's text into text.
 */
function isOpaqueValue(e: Expr): boolean {
  const inner = unwrap(e);
  if (inner.kind === "name" || inner.kind === "attr" || inner.kind === "index" || inner.kind === "await") return true;
  return inner.kind === "call" && !(inner.callee.kind === "attr" && (inner.callee.name === "format" || inner.callee.name === "join"));
}

/** Whether `name` is imported from a module other than `modules` (escaping with it would mean something else). */
function bindsOtherwise(kit: FixKit, name: string, modules: string[]): boolean {
  return (kit.ir?.imports ?? []).some((i) => i.local === name && !modules.includes(i.module));
}
