/**
 * Reads the text of a project config file, JSON or YAML, into plain data, and maps JSON
 * pointers back to text ranges so that problems can be shown where they are.
 *
 * YAML is read with the YAML 1.2 core schema and nothing else: no custom tags (they are
 * problems, not code), no YAML 1.1 extras (`!!binary`, `!!set`, …). Aliases are allowed,
 * but expanding them is capped, so that a few lines cannot grow into gigabytes.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from "yaml";
import { LineIndex } from "./lines";
import type { Range } from "./types";

export type ConfigFormat = "json" | "yaml";

export interface ConfigTextProblem {
  message: string;
  range: Range;
}

export interface ConfigDocument {
  /** The data, or undefined when the text cannot be read (then `problems` says why). */
  value: unknown;
  problems: ConfigTextProblem[];
  /**
   * Where the value at a JSON pointer is written. `key` asks for the property name instead
   * (for an unknown or misspelt key). The nearest enclosing node when the pointer goes nowhere.
   */
  rangeOf(pointer: string, part?: "key" | "value"): Range;
}

/** Expansions of aliases allowed while reading: ample for a config, far below a "billion laughs" document. */
export const MAX_ALIAS_EXPANSIONS = 100;

export function readConfigDocument(text: string, format: ConfigFormat): ConfigDocument {
  const lines = new LineIndex(text);
  const span = (start: number, end: number): Range => {
    const from = Math.min(start, text.length);
    return lines.range({ start: from, end: Math.min(Math.max(from, end), text.length) });
  };
  // JSON files keep duplicate keys legal (last one wins) as JSON.parse does; YAML forbids them.
  const doc = parseDocument(text, { prettyErrors: false, resolveKnownTags: false, uniqueKeys: format === "yaml" });
  const rangeOf: ConfigDocument["rangeOf"] = (pointer, part = "value") => {
    const [start, end] = locate(doc, pointer, part, text) ?? [0, 0];
    return span(start, end);
  };
  const result = (value: unknown, problems: ConfigTextProblem[]): ConfigDocument => ({ value, problems, rangeOf });

  if (format === "json") {
    try {
      // Editors on Windows may save a byte-order mark, which JSON.parse refuses.
      const json = text.replace(/^\uFEFF/, "");
      return result(json.trim() === "" ? {} : JSON.parse(json), []);
    } catch (error) {
      const [start, end] = doc.errors[0]?.pos ?? jsonErrorOffsets(error as Error, text);
      return result(undefined, [{ message: `Not valid JSON: ${(error as Error).message}`, range: span(start, end) }]);
    }
  }

  const problems = [...doc.errors, ...doc.warnings].map((e) => ({
    message: e.code === "TAG_RESOLVE_FAILED" ? `Not valid YAML: tags are not supported (${e.message})` : `Not valid YAML: ${e.message}`,
    range: span(e.pos[0], e.pos[1]),
  }));
  if (problems.length > 0) return result(undefined, problems);
  try {
    // An empty file, or one with only comments, asks for the defaults.
    return result(doc.contents === null ? {} : doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS }), []);
  } catch (error) {
    const [start, end] = firstAlias(doc) ?? [0, 0];
    return result(undefined, [{ message: `Not valid YAML: ${(error as Error).message}`, range: span(start, end) }]);
  }
}

/** Node reports some JSON errors with a position, the rest at the end of the input. */
function jsonErrorOffsets(error: Error, text: string): [number, number] {
  const position = /at position (\d+)/.exec(error.message);
  const offset = position ? Number(position[1]) : text.trimEnd().length;
  return [offset, Math.min(offset + 1, text.length)];
}

function firstAlias(doc: Document): [number, number] | undefined {
  let found: [number, number] | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.range) found = [node.range[0], node.range[1]];
      return visit.BREAK;
    },
  });
  return found;
}

function decodePointer(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Offsets of the node at `pointer`: the value, the key, or (for a collection without a key) its first line. */
function locate(doc: Document, pointer: string, part: "key" | "value", text: string): [number, number] | undefined {
  let node: unknown = doc.contents;
  let key: unknown;
  for (const segment of decodePointer(pointer)) {
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let nextKey: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      next = pair?.value;
      nextKey = pair?.key;
    } else if (isSeq(node)) {
      next = node.items[Number(segment)];
    }
    if (next === undefined || next === null) {
      // A missing value still has its key (`rules:` with nothing after it).
      if (nextKey !== undefined) node = nextKey;
      break;
    }
    node = next;
    key = nextKey;
  }
  const target = (part === "key" && key !== undefined ? key : isMap(node) || isSeq(node) ? (key ?? node) : node) as Node | null;
  const range = target?.range;
  if (!range) return undefined;
  const [start, valueEnd] = range;
  if (isMap(target) || isSeq(target)) {
    // A whole collection is too much to underline: its first line says where it is.
    const lineEnd = text.indexOf("\n", start);
    return [start, lineEnd < 0 || lineEnd > valueEnd ? valueEnd : lineEnd];
  }
  return [start, valueEnd];
}
