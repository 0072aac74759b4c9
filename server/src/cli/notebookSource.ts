/**
 * Positions in a notebook's cells as positions in the .ipynb file itself. Code-scanning services
 * (GitHub) show a notebook as its raw JSON, where nbformat writes each source line as one string,
 * usually one per line of the file, so a finding is shown on the line that holds its source line.
 */
import { LineIndex } from "../engine/lines";
import type { Position, Range } from "../engine/types";

interface CellSource {
  /** Offset of the cell's `{` in the file. */
  start: number;
  /** Offsets of the string tokens (quotes included) that make up its `source`, in order. */
  strings: Array<[start: number, end: number]>;
}

interface Container {
  kind: "object" | "array";
  /** In an object: the key whose value comes next, once read. */
  key?: string;
  expectKey: boolean;
  /** In an array: the index of the current element. */
  index: number;
}

export class NotebookSourceMap {
  private readonly cells: Map<number, CellSource>;
  private readonly lines: LineIndex;

  constructor(private readonly raw: string) {
    this.cells = cellSources(raw);
    this.lines = new LineIndex(raw);
  }

  range(cell: number, range: Range): Range {
    return { start: this.position(cell, range.start), end: this.position(cell, range.end) };
  }

  /** The file position of a position within a cell; the start of the cell when the source cannot be found. */
  position(cell: number, target: Position): Position {
    const source = this.cells.get(cell);
    if (!source) return { line: 0, character: 0 };
    let line = 0;
    let character = 0;
    let last = source.start;
    for (const [start, end] of source.strings) {
      // Each decoded UTF-16 unit of the string advances the cell position by one; escapes take several raw characters.
      for (let i = start + 1; i < end - 1; ) {
        if (line === target.line && character === target.character) return this.lines.position(i);
        const escape = this.raw[i] === "\\" ? this.raw[i + 1] : undefined;
        const newline = escape === "n" || (escape === "u" && this.raw.slice(i + 2, i + 6).toLowerCase() === "000a");
        i += escape === undefined ? 1 : escape === "u" ? 6 : 2;
        if (newline) {
          line++;
          character = 0;
        } else character++;
      }
      last = end - 1;
      if (line > target.line) break;
    }
    return this.lines.position(line === target.line && character === target.character ? last : source.start);
  }
}

/**
 * Finds `cells[i].source` in the notebook's JSON, whether one string or a list of strings. The text has
 * already been parsed by JSON.parse, so it is valid JSON; the walk keeps an explicit stack, so deep
 * nesting in outputs cannot exhaust the call stack.
 */
function cellSources(raw: string): Map<number, CellSource> {
  const cells = new Map<number, CellSource>();
  const stack: Container[] = [];
  const inCellsArray = (): boolean => stack.length === 2 && stack[0].key === "cells" && stack[1].kind === "array";
  const inSource = (): boolean => {
    if (stack.length < 3 || stack[0].key !== "cells" || stack[1].kind !== "array" || stack[2].key !== "source") return false;
    return stack.length === 3 || (stack.length === 4 && stack[3].kind === "array");
  };
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i];
    const top = stack.at(-1);
    if (ch === "{" || ch === "[") {
      if (ch === "{" && inCellsArray()) cells.set(stack[1].index, { start: i, strings: [] });
      stack.push({ kind: ch === "{" ? "object" : "array", expectKey: ch === "{", index: 0 });
      i++;
    } else if (ch === "}" || ch === "]") {
      stack.pop();
      i++;
    } else if (ch === ",") {
      if (top?.kind === "array") top.index++;
      else if (top) top.expectKey = true;
      i++;
    } else if (ch === ":") {
      if (top) top.expectKey = false;
      i++;
    } else if (ch === '"') {
      const end = stringEnd(raw, i);
      if (top?.kind === "object" && top.expectKey) top.key = JSON.parse(raw.slice(i, end)) as string;
      else if (inSource()) cells.get(stack[1].index)?.strings.push([i, end]);
      i = end;
    } else i++; // whitespace, numbers, true, false, null
  }
  return cells;
}

/** The offset just past the closing quote of the string that opens at `start`. */
function stringEnd(raw: string, start: number): number {
  for (let i = start + 1; i < raw.length; i++) {
    if (raw[i] === "\\") i++;
    else if (raw[i] === '"') return i + 1;
  }
  return raw.length;
}
