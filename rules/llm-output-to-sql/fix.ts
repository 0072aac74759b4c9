/**
 * A query written inline as an f-string or template literal, whose interpolations all sit where
 * SQL takes a value (`= '{x}'`, `> {n}`, `LIKE {p}`, `IN (…)`, `VALUES (…)`), becomes a
 * parameterised query in the driver's placeholder style: sqlite3 `?`; psycopg, PyMySQL,
 * MySQLdb and mysql-connector `%s`; pg `$1`; mysql2 and knex `?`; Prisma's `$queryRawUnsafe`
 * becomes the `$queryRaw` tagged template. Unsafe: a value the code quoted by hand is now sent
 * with its own type, and the database may compare it differently. A query the model wrote
 * whole, or a clause, column or keyword it chose, gets no fix: no placeholder can hold those.
 */
import type { SinkHit } from "../../server/src/engine/dataflow";
import type { Expr } from "../../server/src/engine/ir";
import type { FixKit, FixProposal } from "../../server/src/engine/fixes/kit";

type Template = Extract<Expr, { kind: "template" }>;

/** Drivers by the prefix of the sink's callee, with their placeholder for the n-th value. */
const PYTHON_DRIVERS: Array<[prefix: string, placeholder: (n: number) => string]> = [
  ["sqlite3.connect()", () => "?"],
  ["psycopg.connect()", () => "%s"],
  ["psycopg2.connect()", () => "%s"],
  ["pymysql.connect()", () => "%s"],
  ["MySQLdb.connect()", () => "%s"],
  ["mysql.connector.connect()", () => "%s"],
];
const JS_DRIVERS: Array<[prefix: string, placeholder: (n: number) => string]> = [
  ["pg.", (n) => `$${n}`],
  ["mysql2.", () => "?"],
  ["knex()", () => "?"],
];

/** Text before an interpolation that puts it in a value position. */
const VALUE_BEFORE = /(?:=|<>|!=|<=|>=|<|>|\blike|\bin\s*\(|\bvalues\s*\(|,)\s*$/i;
/** A `,` only separates values inside `IN (…)` or `VALUES (…)`. */
const OPEN_VALUE_LIST = /\b(?:in|values)\s*\([^)]*$/i;
const VALUE_AFTER = /^(?:\s|\)|,|;|$)/;

export function sqlFixes(kit: FixKit, hit: SinkHit): FixProposal[] {
  const call = kit.callAt(hit.callSpan)?.expr;
  const query = call?.args[0]?.value;
  if (!call || !query || query.kind !== "template" || call.args.length !== 1 || call.kwargs.length > 0 || call.callee.kind !== "attr") return [];
  if (query.span.start !== hit.span.start || query.span.end !== hit.span.end) return [];
  const method = call.callee.name;
  if (!kit.isPython && (method === "$queryRawUnsafe" || method === "$executeRawUnsafe")) return prismaFix(kit, query, call.callee.nameSpan, call.span.end, method);
  const drivers = kit.isPython ? PYTHON_DRIVERS : JS_DRIVERS;
  const placeholder = drivers.find(([prefix]) => hit.callee.startsWith(prefix))?.[1];
  const methods = kit.isPython ? ["execute"] : hit.callee.startsWith("knex") ? ["raw"] : ["query", "execute"];
  if (!placeholder || !methods.includes(method)) return [];
  const split = splitValues(kit, query, placeholder);
  if (!split) return [];
  const values = split.values.map((v) => kit.slice(v.span));
  const bound = kit.isPython ? `(${values.join(", ")}${values.length === 1 ? "," : ""})` : `[${values.join(", ")}]`;
  return [{ title: "Pass the model's values as bound parameters", safe: false, edits: [{ span: query.span, newText: `${split.text}, ${bound}` }] }];
}

/** `prisma.$queryRawUnsafe(`…'${x}'…`)` → ``prisma.$queryRaw`…${x}…` ``: the tagged template binds every interpolation. */
function prismaFix(kit: FixKit, query: Template, nameSpan: { start: number; end: number }, callEnd: number, method: string): FixProposal[] {
  const split = splitValues(kit, query, (_n, source) => `\${${source}}`);
  if (!split) return [];
  const safeMethod = method === "$queryRawUnsafe" ? "$queryRaw" : "$executeRaw";
  return [{ title: `Use Prisma's ${safeMethod} tagged template, which binds the values`, safe: false, edits: [{ span: { start: nameSpan.start, end: callEnd }, newText: safeMethod + split.text }] }];
}

interface Split {
  /** The query literal with each interpolation (and the quotes around it) replaced by a placeholder. */
  text: string;
  values: Expr[];
}

/**
 * Rewrites the literal's source: each `{expr}` / `${expr}` in a value position, with the
 * single quotes written around it, becomes a placeholder. Undefined when any interpolation is
 * elsewhere, has a format spec or conversion, or the literal already holds placeholder text.
 */
function splitValues(kit: FixKit, query: Template, placeholder: (n: number, source: string) => string): Split | undefined {
  const source = kit.slice(query.span);
  const prefix = kit.isPython ? /^([rRuU]?)[fF]([rR]?)(?=["'])/.exec(source) : /^(?=`)/.exec(source);
  if (!prefix) return undefined;
  const open = kit.isPython ? "{" : "${";
  const literalSegments: string[] = [];
  const values = query.parts.filter((p): p is Expr => typeof p !== "string");
  let cursor = query.span.start + prefix[0].length;
  for (const value of values) {
    const braceStart = kit.text.lastIndexOf(open, value.span.start - open.length);
    const braceEnd = kit.text.indexOf("}", value.span.end);
    if (braceStart < cursor || braceEnd < 0) return undefined;
    if (kit.text.slice(braceStart + open.length, value.span.start).trim() || kit.text.slice(value.span.end, braceEnd).trim()) return undefined;
    literalSegments.push(kit.text.slice(cursor, braceStart));
    cursor = braceEnd + 1;
  }
  literalSegments.push(kit.text.slice(cursor, query.span.end));
  // Python: `{{` / `}}` are braces once the literal is no longer an f-string.
  const sqlOf = (segment: string) => (kit.isPython ? segment.replace(/\{\{/g, "{").replace(/\}\}/g, "}") : segment);
  const segments = literalSegments.map(sqlOf);
  const sample = placeholder(1, "");
  if (sample === "?" && segments.some((s) => s.includes("?"))) return undefined;
  if (sample === "$1" && segments.some((s) => /\$\d/.test(s))) return undefined;
  const escapePercent = sample === "%s";
  let text = (kit.isPython ? prefix[1] + prefix[2] : "") + escapeFor(segments[0], escapePercent);
  for (let i = 0; i < values.length; i++) {
    let before = segments[i];
    let after = segments[i + 1];
    const quoted = before.endsWith("'") && !before.endsWith("\\'") && after.startsWith("'");
    if (quoted) {
      before = before.slice(0, -1);
      after = after.slice(1);
    }
    const sqlSoFar = segments.slice(0, i).join(" ? ") + before;
    if (!VALUE_BEFORE.test(before) || (/,\s*$/.test(before) && !OPEN_VALUE_LIST.test(sqlSoFar)) || !VALUE_AFTER.test(after.replace(/^["'`]+$/, ""))) return undefined;
    if (quoted) text = text.slice(0, -1);
    text += placeholder(i + 1, kit.slice(values[i].span)) + escapeFor(after, escapePercent);
  }
  return { text, values };
}

/** `%s` drivers read `%` as the start of a placeholder once parameters are passed. */
function escapeFor(segment: string, escapePercent: boolean): string {
  return escapePercent ? segment.replace(/%/g, "%%") : segment;
}
