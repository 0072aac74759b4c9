/**
 * Copies a tree-sitter syntax tree out of wasm memory into plain JS objects.
 *
 * Every property read on a web-tree-sitter node crosses the wasm boundary, so the
 * tree is read exactly once here (type, start, end, children) and lowering then
 * works on ordinary objects. Comments and syntax errors are collected on the way.
 */
import type { Language, Node } from "web-tree-sitter";
import type { Comment, Span } from "../ir";
import { readPrefix } from "./python-literals";

export interface PyNode {
  type: string;
  start: number;
  end: number;
  /**
   * Named children in source order, without comments. Only inside ERROR nodes are
   * anonymous tokens kept as well (`named: false`, `type` is the token text), because
   * recovering half-typed code needs the brackets and operators.
   */
  children: PyNode[];
  named: boolean;
  /**
   * ERROR nodes found in this statement's expressions (or, on an ERROR node, anywhere below
   * it). They are taken out of their parent so positional children stay reliable, and are
   * recovered before the statement.
   */
  strays?: PyNode[];
}

/** Type of a node deeper than MAX_TREE_DEPTH, kept as a leaf so lowering and analysis cannot overflow the stack. */
export const TRUNCATED = "TRUNCATED";
/** Type of a token the parser inserted to recover (a zero-width syntax error). */
export const MISSING = "MISSING";

const MAX_TREE_DEPTH = 400;
/** ERROR nodes with more children than this keep only their named ones. */
const MAX_ERROR_TOKENS = 50_000;

/** Types whose children lowering never reads: not asking wasm for them saves a call per node. */
const LEAF_TYPES = [
  "identifier", "integer", "float", "true", "false", "none", "ellipsis",
  "string_start", "string_content", "string_end", "escape_sequence", "escape_interpolation",
  "keyword_separator", "positional_separator", "dotted_name", "import_prefix", "wildcard_import",
  "pass_statement", "break_statement", "continue_statement", "type_conversion",
];

/** Parents whose ERROR children are statements in their own right. */
const STATEMENT_LISTS = new Set(["module", "block", "ERROR"]);

const NO_CHILDREN: PyNode[] = [];

/** Longest string prefix (`rb`, `Rf`, …) plus the quote. */
const PREFIX_LOOKAHEAD = 3;

/** End of the identifier at `start` if it is pure ASCII, else -1. */
function asciiIdentifierEnd(text: string, start: number): number {
  let at = start;
  for (; at < text.length; at++) {
    const code = text.charCodeAt(at);
    const isWordChar = (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
    if (isWordChar) continue;
    return code >= 128 ? -1 : at;
  }
  return at;
}

export function spanOf(node: PyNode): Span {
  return { start: node.start, end: node.end };
}

const enum Shortcut {
  None,
  /** The end of an ASCII identifier is found faster in JS than by asking wasm. */
  Identifier,
  /** A string without interpolation is decoded from its text; its children are not needed. */
  String,
}

export class NodeTypeTable {
  private readonly names: string[];
  private readonly namedFlags: Uint8Array;
  private readonly leafFlags: Uint8Array;
  private readonly shortcuts: Uint8Array;

  constructor(language: Language) {
    const count = language.nodeTypeCount;
    this.names = new Array<string>(count);
    this.namedFlags = new Uint8Array(count);
    this.leafFlags = new Uint8Array(count);
    this.shortcuts = new Uint8Array(count);
    const leaves = new Set(LEAF_TYPES);
    for (let id = 0; id < count; id++) {
      const name = language.nodeTypeForId(id) ?? "";
      const named = language.nodeTypeIsNamed(id);
      this.names[id] = name;
      this.namedFlags[id] = named ? 1 : 0;
      this.leafFlags[id] = named && leaves.has(name) ? 1 : 0;
      if (named && name === "identifier") this.shortcuts[id] = Shortcut.Identifier;
      if (named && name === "string") this.shortcuts[id] = Shortcut.String;
    }
  }

  shortcut(id: number): Shortcut {
    return id < this.names.length ? this.shortcuts[id] : Shortcut.None;
  }

  /** The ERROR symbol (65535) lies outside the table. */
  name(id: number): string {
    return id < this.names.length ? this.names[id] : "ERROR";
  }

  isNamed(id: number): boolean {
    return id < this.names.length ? this.namedFlags[id] === 1 : true;
  }

  isLeaf(id: number): boolean {
    return id < this.names.length && this.leafFlags[id] === 1;
  }
}

export interface MaterializedTree {
  root: PyNode;
  comments: Comment[];
  syntaxErrors: Span[];
}

interface Pending {
  source: Node;
  target: PyNode;
  /** The statement (or ERROR fragment) that receives ERROR nodes found below `target`. */
  owner: PyNode;
  depth: number;
  /** Only subtrees under a node with `hasError` pay for the error checks. */
  mayHaveErrors: boolean;
}

/**
 * `rootChildren`, when given, replaces the root's own children: the caller passes the ones it
 * needs read (the root's children if it has errors, else its named children, in order), and
 * everything collected is exactly what a full read would collect from those.
 */
export function materialize(rootNode: Node, text: string, types: NodeTypeTable, rootChildren?: (Node | null)[]): MaterializedTree {
  const comments: Comment[] = [];
  const syntaxErrors: Span[] = [];
  const rootId = rootNode.typeId;
  const root: PyNode = { type: types.name(rootId), start: 0, end: text.length, children: NO_CHILDREN, named: true };
  if (root.type === "ERROR") syntaxErrors.push({ start: rootNode.startIndex, end: rootNode.endIndex });
  const stack: Pending[] = [{ source: rootNode, target: root, owner: root, depth: 0, mayHaveErrors: rootNode.hasError }];

  while (stack.length > 0) {
    const { source, target, owner, depth, mayHaveErrors } = stack.pop()!;
    const inspect = mayHaveErrors && source.hasError;
    // Loose tokens only matter for recovering what someone is typing, never for megabytes of them.
    const keepAll = inspect && (target.type !== "ERROR" || source.childCount <= MAX_ERROR_TOKENS);
    const sourceChildren = target === root && rootChildren !== undefined ? rootChildren : keepAll ? source.children : source.namedChildren;
    const keepTokens = target.type === "ERROR";
    const isStatementList = STATEMENT_LISTS.has(target.type);
    const children: PyNode[] = [];

    for (const child of sourceChildren) {
      if (child === null) continue;
      const id = child.typeId;
      const start = child.startIndex;
      // Error subtrees always ask wasm: a missing identifier is zero-width whatever follows it.
      const shortcut = inspect ? Shortcut.None : types.shortcut(id);
      let end = shortcut === Shortcut.Identifier ? asciiIdentifierEnd(text, start) : -1;
      if (end < 0) end = child.endIndex;
      let type = types.name(id);
      if (type === "comment") {
        // The grammar lets a comment swallow the \r of a CRLF line ending.
        const commentEnd = text.charCodeAt(end - 1) === 13 ? end - 1 : end;
        comments.push({ span: { start, end: commentEnd }, text: text.slice(start + 1, commentEnd).trimStart() });
        continue;
      }
      if (type === "line_continuation") continue;
      const isMissing = inspect && start === end && child.isMissing;
      if (isMissing) syntaxErrors.push({ start, end });
      if (inspect && !types.isNamed(id)) {
        if (keepTokens) children.push({ type, start, end, children: NO_CHILDREN, named: false });
        continue;
      }
      if (type === "ERROR") syntaxErrors.push({ start, end });
      if (isMissing) type = MISSING;
      const node: PyNode = { type, start, end, children: NO_CHILDREN, named: true };
      if (type === "ERROR" && !isStatementList) (owner.strays ??= []).push(node);
      else children.push(node);
      if (isMissing || types.isLeaf(id)) continue;
      if (shortcut === Shortcut.String && !readPrefix(text.slice(start, start + PREFIX_LOOKAHEAD)).format) continue;
      if (depth + 1 >= MAX_TREE_DEPTH) {
        node.type = TRUNCATED;
        continue;
      }
      // Inside an ERROR everything is recovered as one fragment, so its strays belong to it.
      const childOwner = isStatementList && target.type !== "ERROR" ? node : owner;
      stack.push({ source: child, target: node, owner: childOwner, depth: depth + 1, mayHaveErrors: inspect });
    }
    if (children.length > 0) target.children = children;
  }

  // The stack visits subtrees last-first; consumers expect source order.
  comments.sort((a, b) => a.span.start - b.span.start);
  syntaxErrors.sort((a, b) => a.start - b.start);
  return { root, comments, syntaxErrors };
}
