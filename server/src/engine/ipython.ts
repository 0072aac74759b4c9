/**
 * IPython syntax in notebook cells (magics, shell escapes, help queries) rewritten in place into Python
 * the parser reads. Every rewrite keeps the length of each line, so a position in the result is the same
 * position in the cell. Rewritten text becomes a comment rather than blanks, so that what the text rules
 * look for (an API key in `%env OPENAI_API_KEY=...`) is still there.
 */

/** Cell magics whose body is Python; the body of any other (`%%bash`, `%%html`, `%%writefile` …) is not. */
const PYTHON_CELL_MAGICS: ReadonlySet<string> = new Set(["time", "timeit", "capture", "prun", "debug", "python", "python3"]);

/** `files = !ls` and `env = %env`: IPython assigns a magic's result to plain names. */
const MAGIC_ASSIGNMENT = /^(\s*[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)[!%]/;
/** `obj?`, `obj.attr??`, `?obj`, `np.*load*?`: help queries. */
const HELP_QUERY = /^\s*(?:\?{1,2}[\w.*]+|[\w.*]+\?{1,2})\s*$/;

export interface PreparedCell {
  python: string;
  /** Ends the strings and brackets the cell leaves open, so that they do not swallow the next cell. */
  closing: string;
}

interface ScanState {
  brackets: string[];
  /** The quote that closes the string a line ends inside, if any. */
  openString?: string;
  /** The line ended with a backslash outside a string. */
  continued: boolean;
  /** The line was a magic that ended with a backslash: IPython reads the next line as part of it. */
  magicContinued: boolean;
}

const CLOSERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

export function prepareCell(text: string): PreparedCell {
  const lines = text.split("\n");
  const first = lines.findIndex((line) => line.trim() !== "");
  const cellMagic = first >= 0 ? /^\s*%%(\w*)/.exec(lines[first]) : null;
  // A cell magic that makes the cell something other than Python leaves only comments.
  if (cellMagic && !PYTHON_CELL_MAGICS.has(cellMagic[1])) return { python: lines.map(commentOut).join("\n"), closing: "" };
  const state: ScanState = { brackets: [], continued: false, magicContinued: false };
  const python = lines.map((line, index) => {
    const rewritten = index === first && cellMagic ? neutralise(line, line.indexOf("%%")) : rewriteLine(line, state);
    scanLine(rewritten, state);
    return rewritten;
  });
  const closing = (state.openString ?? "") + [...state.brackets].reverse().map((open) => CLOSERS[open]).join("");
  return { python: python.join("\n"), closing };
}

function rewriteLine(line: string, state: ScanState): string {
  if (state.magicContinued) {
    state.magicContinued = endsWithBackslash(line);
    return commentOut(line);
  }
  // IPython recognises its escapes only where a Python statement could start.
  if (state.brackets.length > 0 || state.openString !== undefined || state.continued) return line;
  const trimmed = line.trimStart();
  let start: number | undefined;
  if (trimmed.startsWith("!") || trimmed.startsWith("%")) start = line.length - trimmed.length;
  else if (HELP_QUERY.test(stripCarriageReturn(line))) start = line.length - trimmed.length;
  else {
    const assignment = MAGIC_ASSIGNMENT.exec(line);
    if (assignment) start = assignment[1].length;
  }
  if (start === undefined) return line;
  state.magicContinued = endsWithBackslash(line);
  return neutralise(line, start);
}

/**
 * Replaces the magic that starts at `start` with a no-op expression followed by a comment holding the rest,
 * e.g. `    !rm {f}` with `    ...#m {f}`: valid as a statement, as the only one in a block, and as the
 * right-hand side of an assignment.
 */
function neutralise(line: string, start: number): string {
  const length = stripCarriageReturn(line).length - start;
  const filler = length >= 4 ? "...#" : length >= 2 ? "0#" : "0";
  return line.slice(0, start) + filler + line.slice(start + filler.length);
}

/** Turns a line into a comment of the same length (its first visible character becomes `#`). */
function commentOut(line: string): string {
  const start = line.length - line.trimStart().length;
  return start >= stripCarriageReturn(line).length ? line : `${line.slice(0, start)}#${line.slice(start + 1)}`;
}

/** Follows strings, comments, brackets and backslash continuations, which decide where statements start. */
function scanLine(line: string, state: ScanState): void {
  const text = stripCarriageReturn(line);
  state.continued = false;
  let i = 0;
  while (i < text.length) {
    if (state.openString !== undefined) {
      const quote = state.openString;
      const close = findClosingQuote(text, i, quote);
      if (close < 0) {
        // A one-quote string ends with its line, unless a backslash continues it.
        if (quote.length === 1 && !endsWithBackslash(text)) state.openString = undefined;
        return;
      }
      state.openString = undefined;
      i = close + quote.length;
      continue;
    }
    const ch = text[i];
    if (ch === "#") return;
    if (ch === '"' || ch === "'") {
      state.openString = text.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      i += state.openString.length;
      continue;
    }
    if (ch in CLOSERS) state.brackets.push(ch);
    else if (ch === ")" || ch === "]" || ch === "}") state.brackets.pop();
    else if (ch === "\\" && i === text.length - 1) state.continued = true;
    i++;
  }
}

function findClosingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text.startsWith(quote, i)) return i;
  }
  return -1;
}

function endsWithBackslash(line: string): boolean {
  return stripCarriageReturn(line).endsWith("\\");
}

function stripCarriageReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
