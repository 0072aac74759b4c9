/**
 * Sensitive values: personal data ("pii") and credentials ("secret").
 *
 * A value is sensitive because of the name it is read through (a variable, parameter,
 * attribute, dict or object key, keyword argument, environment variable) or because of its
 * declared type (pydantic `EmailStr`, zod `z.string().email()`). The taint starts at the
 * read, so a finding's path begins where the code touches the data. Known constants are not
 * sensitive (`PASSWORD_FIELD = "password"`), and neither are names about the data rather
 * than the data (`password_min_length`, `email_template`, `is_email_valid`).
 *
 * The vocabulary is data (rules/sensitive-names.json). Name classification runs on every
 * name read, so its answers are memoised.
 */
import vocabulary from "../../../../rules/sensitive-names.json";
import type { Expr, Span } from "../ir";
import { createPatternTable, expandAlternatives, type PatternTable } from "../models/patterns";
import type { SanitizerSpec } from "../models/schema";
import { secretInLiteral } from "../secrets";
import { EMPTY, deepTaints, unionTaints, type ClassValue, type Taint, type Val } from "../values";
import type { Interpreter } from "./interpreter";
import type { CallArgs } from "./sinks";

export type SensitiveKind = "pii" | "secret";

interface Term {
  words: string[];
  kind: SensitiveKind;
  /** Only when the term is the whole name (`ip`, not `server_ip`). */
  exact?: boolean;
  /** Only inside a longer name (`db_pwd`, not `pwd`). */
  qualified?: boolean;
}

type TermEntry = string | { term: string; exact?: boolean; qualified?: boolean };

function compileTerms(): Map<string, Term[]> {
  const byFirstWord = new Map<string, Term[]>();
  for (const kind of ["pii", "secret"] as const) {
    for (const entry of vocabulary.terms[kind] as TermEntry[]) {
      const spec = typeof entry === "string" ? { term: entry } : entry;
      const term: Term = { words: spec.term.split(" "), kind, exact: spec.exact, qualified: spec.qualified };
      const list = byFirstWord.get(term.words[0]) ?? [];
      list.push(term);
      byFirstWord.set(term.words[0], list);
    }
  }
  // Longest first: `secret access key` before `secret`.
  for (const list of byFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length);
  return byFirstWord;
}

const TERMS = compileTerms();
const VOCABULARY_WORDS = new Set([...TERMS.values()].flat().flatMap((t) => t.words));
const NOT_AFTER = new Set(vocabulary.notAfter);
const NOT_BEFORE = new Set(vocabulary.notBefore);
const NOT_BEFORE_PII = new Set(vocabulary.notBeforePii);
const CARRIER_METHODS = new Set(vocabulary.carrierMethods);
const REVEALERS = new Set(vocabulary.revealers);

function table(patterns: string[]): PatternTable<true> {
  return createPatternTable(patterns.map((p) => [p, true] as [string, true]));
}
const PII_TYPES = table(vocabulary.types.pii);
const SECRET_TYPES = table(vocabulary.types.secret);
const MASKED_TYPES = table(vocabulary.maskedTypes);
const CARRIERS = table(vocabulary.carriers);

/** `dateOfBirth`, `DB_PASSWORD`, `x-api-key`, `APIKey` → lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map(singular);
}

function singular(word: string): string {
  if (VOCABULARY_WORDS.has(word)) return word;
  if (word.endsWith("es") && VOCABULARY_WORDS.has(word.slice(0, -2))) return word.slice(0, -2);
  if (word.endsWith("s") && VOCABULARY_WORDS.has(word.slice(0, -1))) return word.slice(0, -1);
  return word;
}

function matchesAt(words: string[], at: number, term: string[]): boolean {
  if (at + term.length > words.length) return false;
  for (let k = 0; k < term.length; k++) if (words[at + k] !== term[k]) return false;
  return true;
}

function classifyUncached(name: string): SensitiveKind | undefined {
  const words = nameWords(name);
  let found: SensitiveKind | undefined;
  // The last valid match wins: the head of an English compound comes last (`email_password` is a password).
  for (let i = 0; i < words.length; i++) {
    for (const term of TERMS.get(words[i]) ?? []) {
      if (!matchesAt(words, i, term.words)) continue;
      const end = i + term.words.length;
      const alone = i === 0 && end === words.length;
      if ((term.exact && !alone) || (term.qualified && alone)) continue;
      if (words.slice(end).some((w) => NOT_AFTER.has(w))) continue;
      const before = words.slice(0, i);
      if (before.some((w) => NOT_BEFORE.has(w) || (term.kind === "pii" && NOT_BEFORE_PII.has(w)))) continue;
      found = term.kind;
      break;
    }
  }
  return found;
}

const MEMO_LIMIT = 20_000;
const memo = new Map<string, SensitiveKind | null>();

/** Whether a name says it holds personal data or a secret. */
export function classifyName(name: string): SensitiveKind | undefined {
  const known = memo.get(name);
  if (known !== undefined) return known ?? undefined;
  const kind = classifyUncached(name);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(name, kind ?? null);
  return kind;
}

/** Whether a declared type (the symbol of an instance of it, `pydantic.EmailStr()`) says the value is sensitive. */
function classifyType(symbol: string | undefined): SensitiveKind | "masked" | undefined {
  if (symbol === undefined || !symbol.endsWith(")")) return undefined;
  if (MASKED_TYPES.match(symbol).length) return "masked";
  if (PII_TYPES.match(symbol).length) return "pii";
  if (SECRET_TYPES.match(symbol).length) return "secret";
  return undefined;
}

export function isSensitiveTaint(t: Taint): boolean {
  return t.kind === "pii" || t.kind === "secret";
}

const WHAT: Record<SensitiveKind, string> = { pii: "personal data", secret: "a secret" };

function taint(kind: SensitiveKind, label: string, span: Span, message: string): Taint {
  return { kind, label, origin: { span, message }, steps: null };
}

function withTaint(v: Val, t: Taint): Val {
  return { ...v, taints: unionTaints([t], v.taints) };
}

/** Values that hold no data of their own (functions, classes, constants) or were made safe. */
function carriesNoData(v: Val): boolean {
  return v === EMPTY || !!v.fn || !!v.cls || !!v.constant || !!v.scrubbed;
}

/** Reads of the process environment: `os.environ[...]`, `os.getenv(...)`, `process.env.X`. */
const ENV_SYMBOL = /^(?:os\.environ|os\.getenv|globalThis\.process\.env)\b/;

/** A whole imported module (`import secrets`, `import pwd`) is code, not data. */
function isImportedModule(interp: Interpreter, name: string): boolean {
  return interp.file.imports.some((i) => i.local === name && (i.name === null || i.name === "default"));
}

/**
 * The value read through `name`: a variable (`email`), or a field (`user.email`,
 * `row["ssn"]`, `{ password }`, `email=` keyword argument). Adds a sensitive taint when the
 * name or the value's declared type says so.
 */
export function readSensitive(interp: Interpreter, v: Val, name: string, span: Span, field: boolean): Val {
  const typed = classifyType(v.symbol);
  if (typed === "masked") return v;
  const kind = classifyName(name) ?? typed;
  if (!kind || carriesNoData(v) || v.taints?.some((t) => t.kind === kind)) return v;
  if (!field && isImportedModule(interp, name)) return v;
  const label = !field ? `\`${name}\`` : ENV_SYMBOL.test(v.symbol ?? "") ? `the \`${name}\` environment variable` : `the \`${name}\` field`;
  const why = classifyName(name) ? "" : ` (declared \`${shortType(v.symbol!)}\`)`;
  return withTaint(v, taint(kind, label, span, `${label} holds ${WHAT[kind]}${why}`));
}

function shortType(symbol: string): string {
  return symbol.startsWith("zod.") ? symbol.slice(4) : symbol.replace(/\(\)$/, "").split(".").pop()!;
}

/** A string literal that is a secret itself (a provider key, a connection string with a password). */
export function literalValue(text: string, span: Span): Val {
  const what = secretInLiteral(text);
  if (!what) return { str: text, constant: true };
  const label = `${what} written in the source`;
  return { str: text, constant: true, taints: [taint("secret", label, span, label)] };
}

const KEYED_METHODS = new Set(["get", "pop", "getenv", "getattr", "getItem", "header"]);
/** Keys of records and headers (`email`, `X-API-Key`), not URLs or cache keys. */
const KEY_LIKE = /^[A-Za-z_][\w-]*$/;
const ENV_READS = new Set(["os.getenv", "os.environ.get", "builtins.getattr"]);
const ZOD_KEEPS_SHAPE = new Set(["strict", "passthrough", "strip", "required", "partial", "readonly", "describe"]);
const ZOD_PARSE = new Set(["parse", "parseAsync", "safeParse", "safeParseAsync"]);

/**
 * The result of a call not otherwise modelled, adjusted for sensitive data:
 * - a keyed read (`data.get("email")`, `os.getenv("DB_PASSWORD")`) is a read through that key;
 * - `secret.get_secret_value()` reveals a masked secret;
 * - a zod object schema keeps its fields, and parsing with it gives data of that shape;
 * - sensitive data passed as an argument comes out only of calls that build text from their
 *   arguments (`str`, `json.dumps`, `", ".join`); `OpenAI(api_key=key)` is a client, not a key.
 */
export function sensitiveCallResult(interp: Interpreter, out: Val, symbol: string | undefined, method: string | undefined, receiver: Val | undefined, call: CallArgs): Val {
  const key = keyOfRead(symbol, method, call);
  if (key !== undefined) return readSensitive(interp, out, key, call.span, true);
  if (method && REVEALERS.has(method) && receiver && !receiver.constant) {
    return withTaint(out, taint("secret", "a revealed secret", call.span, `\`${method}()\` reveals a secret`));
  }
  if (symbol === "zod.z.object" && call.args[0]?.value.fields) return { ...dropPassedSensitive(out, symbol, method, receiver), fields: call.args[0].value.fields };
  if (receiver?.fields && symbol?.startsWith("zod.z.object()") && method) {
    if (ZOD_KEEPS_SHAPE.has(method)) return { ...out, fields: receiver.fields };
    if (ZOD_PARSE.has(method)) return parsedBySchema(out, receiver.fields, method.startsWith("safe"));
  }
  return dropPassedSensitive(out, symbol, method, receiver);
}

function keyOfRead(symbol: string | undefined, method: string | undefined, call: CallArgs): string | undefined {
  let key: string | undefined;
  if (symbol && ENV_READS.has(symbol)) key = call.args[symbol === "builtins.getattr" ? 1 : 0]?.value.str;
  else if (method && KEYED_METHODS.has(method)) key = call.args[0]?.value.str;
  return key !== undefined && KEY_LIKE.test(key) ? key : undefined;
}

/** `Schema.parse(body)`: the body's data in the schema's fields, each with the type the schema declares. */
function parsedBySchema(out: Val, schema: ReadonlyMap<string, Val>, safe: boolean): Val {
  const fields = new Map<string, Val>();
  for (const [name, type] of schema) fields.set(name, { taints: out.taints, symbol: type.symbol && `${type.symbol}.parse()` });
  const parsed: Val = { taints: out.taints, fields };
  return safe ? { fields: new Map([["data", parsed]]) } : parsed;
}

/**
 * Keyword arguments kept as fields stay as they are: a config object's `system_instruction`
 * is still what was passed, and only a read of that field gets it back.
 */
function dropPassedSensitive(out: Val, symbol: string | undefined, method: string | undefined, receiver: Val | undefined): Val {
  if (!out.taints?.some(isSensitiveTaint)) return out;
  if ((method && CARRIER_METHODS.has(method)) || (symbol && CARRIERS.match(symbol).length)) return out;
  // An SDK object's fields are its settings (`TavilyClient(api_key=…)`): its results are not the key.
  const own = receiver ? (receiver.symbol !== undefined ? receiver.taints : deepTaints(receiver)) : undefined;
  const kept = out.taints.filter((t) => !isSensitiveTaint(t) || own?.includes(t));
  return { ...out, taints: kept.length ? kept : undefined };
}

/** A sanitizer's result, marked when the sanitizer removes personal data or secrets. */
export function markScrubbed(specs: readonly SanitizerSpec[], v: Val): Val {
  const scrubs = specs.some((s) => !s.sinks && (!s.kinds || s.kinds.includes("pii") || s.kinds.includes("secret")));
  return scrubs ? { ...v, scrubbed: true } : v;
}

const classSensitiveFields = new WeakMap<ClassValue, { name: string; kind: SensitiveKind } | null>();

/** Short names of the sensitive declared types (`EmailStr`), for class-body annotations. */
const PII_TYPE_NAMES = new Set(
  vocabulary.types.pii
    .filter((p) => !p.startsWith("zod."))
    .flatMap(expandAlternatives)
    .map((p) => p.replace(/\(\)$/, "").split(".").pop()!),
);

/** Python records whose text form lists their fields: pydantic models, dataclasses, TypedDicts, named tuples. */
const PYTHON_RECORD_BASES = /^(pydantic|sqlmodel|typing|typing_extensions|msgspec|attrs?)\./;

/**
 * The first sensitive field a class declares, when writing an instance out writes its fields:
 * Python records (`class Signup(BaseModel): email: EmailStr`, dataclasses) and any JS class
 * (`console.log` prints every own property).
 */
function sensitiveFieldOf(cls: ClassValue, python: boolean): { name: string; kind: SensitiveKind } | null {
  const known = classSensitiveFields.get(cls);
  if (known !== undefined) return known;
  let found: { name: string; kind: SensitiveKind } | null = null;
  if (!python || cls.baseSymbols.length === 0 || cls.baseSymbols.some((b) => PYTHON_RECORD_BASES.test(b))) {
    const ctor = cls.methods.get("constructor");
    for (const s of [...cls.body, ...(!python && ctor ? ctor.body : [])]) {
      if (s.kind !== "assign") continue;
      const name = python ? (s.target.kind === "name" && s.annotation ? s.target.name : undefined) : s.target.kind === "attr" ? s.target.name : undefined;
      const kind = name && (classifyName(name) ?? (annotationNames(s.annotation).some((n) => PII_TYPE_NAMES.has(n)) ? "pii" : undefined));
      if (name && kind) {
        found = { name, kind };
        if (kind === "secret") break;
      }
    }
  }
  classSensitiveFields.set(cls, found);
  return found;
}

/** `EmailStr`, `Optional[EmailStr]`, `EmailStr | None`, `pydantic.EmailStr`: the names in a declared type. */
function annotationNames(e: Expr | undefined): string[] {
  if (!e) return [];
  if (e.kind === "name" || e.kind === "attr") return [e.name];
  if (e.kind === "index") return annotationNames(e.index);
  if (e.kind === "binary") return [...annotationNames(e.left), ...annotationNames(e.right)];
  if (e.kind === "array") return e.elements.flatMap((el) => annotationNames(el.value));
  return [];
}

/** Taints for a value written out whole (a log sink): an instance of a class with sensitive fields. */
export function wholeValueTaints(v: Val, taints: readonly Taint[], span: Span, python: boolean): readonly Taint[] {
  const cls = v.instanceOf;
  if (!cls || taints.some(isSensitiveTaint)) return taints;
  const field = sensitiveFieldOf(cls, python);
  if (!field) return taints;
  const label = `a whole \`${cls.name}\``;
  return [...taints, taint(field.kind, label, span, `${label}, whose \`${field.name}\` field holds ${WHAT[field.kind]}`)];
}

const ROLE_NAMES = new Set(["system", "developer", "user", "human", "assistant", "ai", "tool"]);
const PROMPT_FIELDS = ["messages", "prompt", "contents", "input"];

function isMessage(m: Val): boolean {
  if (m.fields?.has("content") && (m.fields.has("role") || /Message\(\)$/.test(m.symbol ?? ""))) return true;
  const role = m.elems?.[0]?.str;
  return role !== undefined && ROLE_NAMES.has(role) && m.elems!.length === 2;
}

/**
 * A whole prompt: a list of chat messages, or the keyword arguments of an LLM call
 * (`{"model": …, "messages": […]}`). Whether it carries user text is the caller's question.
 */
export function isWholePrompt(v: Val): boolean {
  if (v.elems?.some(isMessage)) return true;
  if (!v.fields) return false;
  const messages = v.fields.get("messages");
  if (messages?.elems?.some(isMessage)) return true;
  return v.fields.has("model") && PROMPT_FIELDS.some((f) => v.fields!.has(f));
}
