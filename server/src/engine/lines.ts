/** Offsets ↔ line/character positions for one text. */
import type { Span } from "./ir";
import type { Position, Range } from "./types";

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  longestLine(): number {
    let longest = 0;
    for (let i = 0; i < this.starts.length; i++) {
      const end = this.starts[i + 1] ?? this.text.length + 1;
      longest = Math.max(longest, end - 1 - this.starts[i]);
    }
    return longest;
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  offset(position: Position): number {
    const start = this.starts[position.line] ?? this.text.length;
    return Math.min(start + position.character, this.text.length);
  }

  range(span: Span): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  lineText(line: number): string {
    const start = this.starts[line] ?? this.text.length;
    const end = this.starts[line + 1] ?? this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$/, "");
  }
}
