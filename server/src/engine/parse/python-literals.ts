/** Decoding of Python string and number literals as written in source. */

export interface StringPrefix {
  raw: boolean;
  /** f-strings (and 3.14 t-strings): `{{` and `}}` stand for single braces. */
  format: boolean;
  bytes: boolean;
}

/** Reads the prefix letters of a string's opening token, e.g. `rb"""` or `F'`. */
export function readPrefix(openingToken: string): StringPrefix {
  let raw = false;
  let format = false;
  let bytes = false;
  for (const letter of openingToken) {
    if (letter === '"' || letter === "'") break;
    const lower = letter.toLowerCase();
    if (lower === "r") raw = true;
    else if (lower === "f" || lower === "t") format = true;
    else if (lower === "b") bytes = true;
  }
  return { raw, format, bytes };
}

/** Decodes a whole literal without interpolation, prefix and quotes included: `rb'\\n'`, `"""doc"""`. */
export function decodeStringLiteral(literal: string): string {
  let prefixLength = 0;
  while (prefixLength < literal.length && literal[prefixLength] !== '"' && literal[prefixLength] !== "'") prefixLength++;
  const quote = literal[prefixLength];
  const tripled = quote !== undefined && literal.startsWith(quote + quote + quote, prefixLength) && literal.length >= prefixLength + 6;
  const quoteLength = tripled ? 3 : 1;
  const body = literal.slice(prefixLength + quoteLength, Math.max(prefixLength + quoteLength, literal.length - quoteLength));
  return decodeStringContent(body, readPrefix(literal.slice(0, prefixLength)));
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v",
};

const ESCAPE = /\\(\r\n|\n|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g;

/** Decodes the text between a string's quotes (or one literal run of an f-string). Bytes decode as Latin-1 text. */
export function decodeStringContent(content: string, prefix: StringPrefix): string {
  let value = content;
  if (!prefix.raw && value.includes("\\")) value = value.replace(ESCAPE, (whole, escape: string) => decodeEscape(whole, escape, prefix.bytes));
  if (prefix.format && (value.includes("{{") || value.includes("}}"))) value = value.replace(/\{\{/g, "{").replace(/\}\}/g, "}");
  return value;
}

function decodeEscape(whole: string, escape: string, bytes: boolean): string {
  const simple = SIMPLE_ESCAPES[escape];
  if (simple !== undefined) return simple;
  if (escape === "\n" || escape === "\r\n") return "";
  const first = escape[0];
  if (first === "x") return String.fromCharCode(parseInt(escape.slice(1), 16));
  if (first >= "0" && first <= "7") return String.fromCharCode(parseInt(escape, 8));
  if ((first === "u" || first === "U") && !bytes) {
    const codePoint = parseInt(escape.slice(1), 16);
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
  }
  // Python keeps the backslash of unknown escapes (and of \N{...}, whose name table we do not carry).
  return whole;
}

/** `1_000`, `0x1F`, `0o17`, `0b101`, `1.5e3`, `2j` (imaginary part), `10L` (Python 2). */
export function parseNumber(literal: string): number {
  let digits = literal.includes("_") ? literal.replace(/_/g, "") : literal;
  const last = digits[digits.length - 1];
  if (last === "j" || last === "J" || last === "l" || last === "L") digits = digits.slice(0, -1);
  if (digits.length > 1 && digits[0] === "0" && /^[0-7]+$/.test(digits)) return parseInt(digits, 8);
  return Number(digits);
}
