/**
 * Wrapping personal data and secrets in `redact(…)`, a helper the fix adds to the file: an email
 * address keeps its first letter and its domain (`j***@example.com`), anything else becomes
 * `[redacted]`. The dataflow knows `redact` as a redaction helper, so what it returns is neither.
 */
import { forEachChild, type Expr, type Span } from "../ir";
import type { SinkHit } from "../dataflow";
import { stepsToArray, type Taint } from "../values";
import type { FixKit, SpanEdit } from "./kit";

const HELPER = "redact";

const PYTHON_HELPER = `def redact(value: object) -> str:
    """A stand-in for personal data or a secret: an email keeps its first letter and domain."""
    text = str(value)
    user, at, domain = text.partition("@")
    if at and user and "." in domain and not any(c.isspace() for c in text):
        return f"{user[0]}***@{domain}"
    return "[redacted]"`;

const JS_HELPER = `/** A stand-in for personal data or a secret: an email keeps its first letter and domain. */
function redact(value) {
  const email = /^([^@\\s])[^@\\s]*@([^@\\s]+\\.[^@\\s]+)$/.exec(String(value));
  return email ? \`\${email[1]}***@\${email[2]}\` : "[redacted]";
}`;

const TS_HELPER = JS_HELPER.replace("function redact(value)", "function redact(value: unknown): string");

/**
 * Edits that wrap, inside the value that reaches the sink, every part that carries one of these
 * taints; undefined when a part cannot be told apart (the data joined the value elsewhere).
 */
export function redactionEdits(kit: FixKit, hit: SinkHit, taints: readonly Taint[]): SpanEdit[] | undefined {
  const root = kit.at(hit.span)?.expr;
  if (!root || taints.length === 0) return undefined;
  const targets: Expr[] = [];
  for (const taint of taints) {
    const found = partsCarrying(kit, root, taint);
    if (!found?.length) return undefined;
    targets.push(...found);
  }
  const outermost = targets.filter((t) => !targets.some((o) => o !== t && contains(o.span, t.span) && !sameSpan(o.span, t.span)));
  const unique = outermost.filter((t, i) => outermost.findIndex((o) => sameSpan(o.span, t.span)) === i);
  const edits = unique.map((t) => wrap(kit, t));
  const helper = helperEdit(kit);
  return helper ? [helper, ...edits] : edits;
}

/** Where the taint enters the value: the read at its origin, or the variable it last passed through. */
function partsCarrying(kit: FixKit, root: Expr, taint: Taint): Expr[] | undefined {
  const origin = taint.origin.span;
  if (contains(root.span, origin)) {
    const at = kit.containing(origin)?.expr;
    return at && contains(root.span, at.span) ? [at] : undefined;
  }
  const variable = [taint.origin, ...stepsToArray(taint.steps)]
    .map((s) => kit.slice(s.span))
    .reverse()
    .find((text) => /^[A-Za-z_$][\w$]*$/.test(text));
  const reads = variable ? namesIn(root, variable) : [];
  if (reads.length) return reads;
  return isPlainValue(root) ? [root] : undefined;
}

function namesIn(root: Expr, name: string): Expr[] {
  const out: Expr[] = [];
  const visit = (e: Expr): void => {
    if (e.kind === "name" && e.name === name) out.push(e);
    forEachChild(e, visit);
  };
  visit(root);
  return out;
}

/** A value read as a whole: a variable, a field, an item or a call's result. */
function isPlainValue(e: Expr): boolean {
  return e.kind === "name" || e.kind === "attr" || e.kind === "index" || e.kind === "call" || (e.kind === "await" && isPlainValue(e.value));
}

function wrap(kit: FixKit, target: Expr): SpanEdit {
  const text = kit.slice(target.span);
  const parent = kit.at(target.span)?.ancestors[0];
  // `{ messages }` shorthand: the key has to stay.
  const shorthand = parent?.kind === "object" && parent.entries.some((en) => en.key !== null && !en.spread && sameSpan(en.span, target.span));
  return { span: target.span, newText: shorthand ? `${text}: ${HELPER}(${text})` : `${HELPER}(${text})` };
}

function helperEdit(kit: FixKit): SpanEdit | undefined {
  if (kit.ir?.imports.some((i) => i.local === HELPER)) return undefined;
  return kit.ensureHelper(HELPER, kit.isPython ? PYTHON_HELPER : kit.language === "typescript" ? TS_HELPER : JS_HELPER);
}

function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

function sameSpan(a: Span, b: Span): boolean {
  return a.start === b.start && a.end === b.end;
}
