/**
 * Re-lowering only the module-level statements an edit touched.
 *
 * While a document is edited, most of its top-level statements keep their exact text and
 * only move. Lowering a statement depends on nothing but its own subtree and text: the
 * module's lowering state is the same before every top-level statement (nothing pending,
 * no enclosing class), and every offset it records is a span. So a statement whose text
 * was lowered last time is taken from the previous result with its spans moved, and only
 * new or changed statements are read out of the tree and lowered.
 *
 * Only error-free statements are kept, so every syntax error comes from a statement read
 * afresh. When the module itself or one of its statements is an ERROR node, the caller
 * lowers the whole file instead, as it does for a document without a previous version.
 */
import type { Node } from "web-tree-sitter";
import type { Comment, ImportBinding, Span, Stmt } from "../ir";
import { PythonLowerer } from "./python-lower";
import { materialize, type NodeTypeTable } from "./python-tree";

/** What lowering one top-level statement produced, with spans as they were when it started at `start`. */
interface LoweredStatement {
  typeId: number;
  start: number;
  body: Stmt[];
  imports: ImportBinding[];
  comments: Comment[];
  failures: Span[];
}

/** The previous version's error-free top-level statements, by their exact text. */
export type StatementCache = Map<string, LoweredStatement>;

export interface ModuleParts {
  body: Stmt[];
  imports: ImportBinding[];
  comments: Comment[];
  syntaxErrors: Span[];
  /** Statements that could not be lowered, in source order. */
  failures: Span[];
  statements: StatementCache;
}

/** A top-level statement, either taken from the cache or read from the tree (`typeId` set then). */
type Planned =
  | { start: number; key: string; reused: LoweredStatement }
  | { start: number; key: string; reused?: undefined; typeId: number; cacheable: boolean };

/**
 * Lowers the module from `rootNode`, reusing `cache` for unchanged statements. Returns
 * undefined when the module must be lowered as a whole instead.
 */
export function lowerModuleReusing(rootNode: Node, text: string, types: NodeTypeTable, cache: StatementCache | undefined): ModuleParts | undefined {
  if (types.name(rootNode.typeId) === "ERROR") return undefined;
  const hasError = rootNode.hasError;
  const children = hasError ? rootNode.children : rootNode.namedChildren;
  const toRead: (Node | null)[] = [];
  const plan: Planned[] = [];
  for (const child of children) {
    if (child === null) continue;
    const id = child.typeId;
    const type = types.name(id);
    if (type === "ERROR") return undefined;
    if (!types.isNamed(id) || type === "comment" || type === "line_continuation") {
      toRead.push(child);
      continue;
    }
    const start = child.startIndex;
    const key = text.slice(start, child.endIndex);
    const cached = cache?.get(key);
    const clean = !hasError || !child.hasError;
    if (cached !== undefined && cached.typeId === id && clean) {
      plan.push({ start, key, reused: cached });
    } else {
      plan.push({ start, key, typeId: id, cacheable: clean });
      toRead.push(child);
    }
  }

  const { root, comments, syntaxErrors } = materialize(rootNode, text, types, toRead);
  const lowerer = new PythonLowerer(text);
  const parts: ModuleParts = { body: [], imports: [], comments, syntaxErrors, failures: [], statements: new Map() };
  const readComments = comments.slice();
  let nextRead = 0;
  let nextComment = 0;
  for (const planned of plan) {
    if (planned.reused !== undefined) {
      appendShifted(parts, planned.reused, planned.start - planned.reused.start);
      parts.statements.set(planned.key, planned.reused);
      continue;
    }
    const node = root.children[nextRead++];
    // Every statement handed to `materialize` comes back in order; anything else would be a bug.
    if (node === undefined || node.start !== planned.start) return undefined;
    const bodyFrom = parts.body.length;
    const importsFrom = lowerer.imports.length;
    const failuresFrom = lowerer.failures.length;
    lowerer.lowerStatementSafely(node, parts.body);
    // Hoisted assignments carried to the next statement would make statements depend on each other.
    if (lowerer.pending.length > 0) return undefined;
    const imports = lowerer.imports.slice(importsFrom);
    const failures = lowerer.failures.slice(failuresFrom);
    parts.imports.push(...imports);
    parts.failures.push(...failures);
    while (nextComment < readComments.length && readComments[nextComment].span.start < node.start) nextComment++;
    const commentsFrom = nextComment;
    while (nextComment < readComments.length && readComments[nextComment].span.start < node.end) nextComment++;
    if (!planned.cacheable) continue;
    parts.statements.set(planned.key, {
      typeId: planned.typeId,
      start: node.start,
      body: parts.body.slice(bodyFrom),
      imports,
      comments: readComments.slice(commentsFrom, nextComment),
      failures,
    });
  }
  if (nextRead !== root.children.length) return undefined;
  if (parts.comments.length !== readComments.length) parts.comments.sort((a, b) => a.span.start - b.span.start);
  return parts;
}

function appendShifted(parts: ModuleParts, lowered: LoweredStatement, delta: number): void {
  for (const stmt of lowered.body) parts.body.push(shifted(stmt, delta));
  for (const binding of lowered.imports) parts.imports.push(shifted(binding, delta));
  for (const comment of lowered.comments) parts.comments.push(shifted(comment, delta));
  for (const failure of lowered.failures) parts.failures.push(shifted(failure, delta));
}

/**
 * A deep copy of IR `value` with every span moved by `delta`. Copies, never edits: the
 * previous result still hands out the originals. Keys are copied in their original order,
 * so the copy serialises exactly like the original; an object the original uses twice
 * (one value assigned to several targets) is copied twice.
 */
function shifted<T>(value: T, delta: number): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) items[i] = shifted<unknown>(value[i], delta);
    return items as T;
  }
  const span = value as unknown as Span;
  // Only spans have a `start` in the IR.
  if (typeof span.start === "number") return { start: span.start + delta, end: span.end + delta } as T;
  const fields: Record<string, unknown> = {};
  for (const key in value) fields[key] = shifted<unknown>(value[key], delta);
  return fields as T;
}
