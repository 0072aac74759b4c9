/**
 * Symbol patterns: how SDK knowledge names an API.
 *
 * A symbol is the dotted path a value was reached by, rooted at an imported module:
 * `openai.OpenAI().chat.completions.create` is the `create` method of an instance of
 * `openai.OpenAI`. Patterns use `{a,b}` for alternatives, `*` for any text within one
 * segment and `**` for any text at all. Patterns without wildcards compile to exact
 * keys, so the common case is one Map lookup.
 */

export interface PatternTable<T> {
  match(symbol: string): T[];
  readonly size: number;
}

/** `a.{b,c}.d` → [`a.b.d`, `a.c.d`] (nested braces allowed). */
export function expandAlternatives(pattern: string): string[] {
  const open = pattern.indexOf("{");
  if (open < 0) return [pattern];
  let depth = 0;
  let close = -1;
  for (let i = open; i < pattern.length; i++) {
    if (pattern[i] === "{") depth++;
    else if (pattern[i] === "}" && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) throw new Error(`unbalanced '{' in pattern ${pattern}`);
  const options: string[] = [];
  let start = open + 1;
  depth = 0;
  for (let i = open + 1; i < close; i++) {
    const ch = pattern[i];
    if (ch === "{") depth++;
    else if (ch === "}") depth--;
    else if (ch === "," && depth === 0) {
      options.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  options.push(pattern.slice(start, close));
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  return options.flatMap((option) => expandAlternatives(head + option + tail));
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  let i = 0;
  // A leading `**.` also matches no module at all: `**.redact` names a local `redact` too.
  if (glob.startsWith("**.")) {
    source = "(?:.*\\.)?";
    i = 3;
  }
  for (; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        source += ".*";
        i++;
      } else source += "[^.]*";
    } else source += ch.replace(/[\\^$+?.()|[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

const NONE: never[] = [];
const MEMO_LIMIT = 10_000;

function tailOf(symbolOrPattern: string): string {
  return symbolOrPattern.slice(symbolOrPattern.lastIndexOf(".") + 1);
}

function rootOf(symbolOrPattern: string): string {
  const dot = symbolOrPattern.indexOf(".");
  return dot < 0 ? symbolOrPattern : symbolOrPattern.slice(0, dot);
}

export function createPatternTable<T>(entries: Iterable<[pattern: string, value: T]>): PatternTable<T> {
  const exact = new Map<string, T[]>();
  // Glob patterns bucketed by their literal first segment, so a symbol is only tested against its own module's globs.
  const globs = new Map<string, Array<{ re: RegExp; value: T }>>();
  // Patterns such as `**.chat.completions.create` are bucketed by their literal last segment.
  const rootlessByTail = new Map<string, Array<{ re: RegExp; value: T }>>();
  const rootless: Array<{ re: RegExp; value: T }> = [];
  const memo = new Map<string, T[]>();
  let size = 0;
  for (const [pattern, value] of entries) {
    for (const expanded of expandAlternatives(pattern)) {
      size++;
      if (expanded.includes("*")) {
        const root = rootOf(expanded);
        const tail = tailOf(expanded);
        const entry = { re: globToRegExp(expanded), value };
        if (!root.includes("*")) globs.set(root, [...(globs.get(root) ?? []), entry]);
        else if (!tail.includes("*")) rootlessByTail.set(tail, [...(rootlessByTail.get(tail) ?? []), entry]);
        else rootless.push(entry);
      }
      else {
        const list = exact.get(expanded);
        if (list) list.push(value);
        else exact.set(expanded, [value]);
      }
    }
  }
  return {
    size,
    match(symbol: string): T[] {
      // The same symbols come up again and again (and on every keystroke): remember the answers.
      const known = memo.get(symbol);
      if (known) return known;
      const hits = exact.get(symbol);
      const candidates = globs.get(rootOf(symbol));
      const tailCandidates = rootlessByTail.get(tailOf(symbol));
      let out: T[];
      if (!candidates && !tailCandidates && rootless.length === 0) out = hits ?? NONE;
      else {
        out = hits ? [...hits] : [];
        for (const g of candidates ?? []) if (g.re.test(symbol)) out.push(g.value);
        for (const g of tailCandidates ?? []) if (g.re.test(symbol)) out.push(g.value);
        for (const g of rootless) if (g.re.test(symbol)) out.push(g.value);
      }
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(symbol, out);
      return out;
    },
  };
}
