/**
 * The tags of a prompt template body: Jinja2 / Mustache for Prompty, Handlebars for Dotprompt.
 * Each printing tag lists the inputs its value comes from; loop and context blocks
 * (`{% for x in xs %}`, `{{#each xs}}`) map the names they introduce to the input they iterate.
 */
import type { Span } from "../ir";
import type { PromptFormat } from "./parse";

export interface TemplateTag {
  /** print: the value is written into the prompt; role: a Dotprompt `{{role "…"}}`; block/other: control only. */
  kind: "print" | "comment" | "role" | "block" | "other";
  span: Span;
  /** For print tags: the inputs the printed value comes from. */
  inputs: string[];
  role?: string;
}

const TAG = /\{\{!--[\s\S]*?--\}\}|\{#[\s\S]*?#\}|\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;

const JINJA_WORDS = new Set(["and", "or", "not", "in", "is", "if", "else", "true", "false", "none", "True", "False", "None", "loop", "range", "super", "self", "varargs", "kwargs"]);
const HANDLEBARS_LITERALS = /^(?:true|false|null|undefined|-?\d+(?:\.\d+)?)$/;

interface Scope {
  /** Names this block introduces, mapped to the input they stand for (undefined: not an input). */
  names: Map<string, string | undefined>;
  /** Handlebars `{{#each xs}}` / `{{#with x}}`: bare names inside read from this input. */
  context?: string;
}

export function templateTags(text: string, from: number, format: PromptFormat): TemplateTag[] {
  const out: TemplateTag[] = [];
  const scopes: Scope[] = [];
  const globals = new Map<string, string | undefined>();
  const resolve = (name: string): string | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i].names.has(name)) return scopes[i].names.get(name);
    return globals.has(name) ? globals.get(name) : name;
  };
  TAG.lastIndex = from;
  for (let m = TAG.exec(text); m; m = TAG.exec(text)) {
    const raw = m[0];
    const span = { start: m.index, end: m.index + raw.length };
    if (raw.startsWith("{{!") || raw.startsWith("{#")) {
      out.push({ kind: "comment", span, inputs: [] });
    } else if (raw.startsWith("{%")) {
      out.push(jinjaStatement(raw.slice(2, -2).replace(/^-|-$/g, "").trim(), span, scopes, globals, resolve));
    } else if (format === "dotprompt") {
      out.push(handlebarsTag(raw, span, scopes, resolve));
    } else {
      out.push(mustacheOrJinjaPrint(raw, span, scopes, resolve));
    }
  }
  return out;
}

function jinjaStatement(body: string, span: Span, scopes: Scope[], globals: Map<string, string | undefined>, resolve: (n: string) => string | undefined): TemplateTag {
  const forLoop = /^for\s+([\w\s,()]+?)\s+in\s+([\s\S]+)$/.exec(body);
  if (forLoop) {
    const source = jinjaInputs(forLoop[2], resolve)[0];
    const names = new Map<string, string | undefined>();
    for (const n of forLoop[1].match(/\w+/g) ?? []) names.set(n, source);
    scopes.push({ names });
    return { kind: "block", span, inputs: [] };
  }
  if (/^end(for|with|macro|call|filter)\b/.test(body)) {
    scopes.pop();
    return { kind: "block", span, inputs: [] };
  }
  if (/^(with|macro|call|filter)\b/.test(body)) {
    scopes.push({ names: new Map() });
    return { kind: "block", span, inputs: [] };
  }
  const set = /^set\s+(\w+)\s*=\s*([\s\S]+)$/.exec(body);
  if (set) (scopes.length ? scopes[scopes.length - 1].names : globals).set(set[1], jinjaInputs(set[2], resolve)[0]);
  return { kind: "other", span, inputs: [] };
}

/** Names read by a Jinja expression: not attributes, filters, keywords, called functions or string contents. */
function jinjaInputs(expr: string, resolve: (n: string) => string | undefined): string[] {
  const code = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const out = new Set<string>();
  for (const m of code.matchAll(/[A-Za-z_]\w*/g)) {
    const before = code.slice(0, m.index).trimEnd();
    const after = code.slice(m.index + m[0].length).trimStart();
    if (before.endsWith(".") || before.endsWith("|") || after.startsWith("(") || /^=[^=]/.test(after) || JINJA_WORDS.has(m[0])) continue;
    if (/\bis(\s+not)?$/.test(before)) continue; // a test: `x is defined`
    const input = resolve(m[0]);
    if (input !== undefined) out.add(input);
  }
  return [...out];
}

function mustacheOrJinjaPrint(raw: string, span: Span, scopes: Scope[], resolve: (n: string) => string | undefined): TemplateTag {
  const triple = raw.startsWith("{{{");
  const inner = raw.slice(triple ? 3 : 2, triple ? -3 : -2).replace(/^-|-$/g, "").trim();
  const sigil = inner[0];
  if (sigil === "#" || sigil === "^") {
    // Mustache section: `{{.}}` inside stands for the iterated input.
    const name = inner.slice(1).trim();
    scopes.push({ names: new Map([[".", resolve(name.split(".")[0])]]) });
    return { kind: "block", span, inputs: [] };
  }
  if (sigil === "/") {
    scopes.pop();
    return { kind: "block", span, inputs: [] };
  }
  if (sigil === ">" || sigil === "=") return { kind: "other", span, inputs: [] };
  const expr = sigil === "&" ? inner.slice(1) : inner;
  if (expr.trim() === ".") {
    const dot = resolve(".");
    return { kind: "print", span, inputs: dot && dot !== "." ? [dot] : [] };
  }
  return { kind: "print", span, inputs: jinjaInputs(expr, resolve) };
}

/** Splits Handlebars arguments on whitespace, keeping quoted strings and sub-expressions whole. */
function handlebarsArgs(inner: string): string[] {
  return inner.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\([^)]*\)|[^\s()]+/g) ?? [];
}

function handlebarsTag(raw: string, span: Span, scopes: Scope[], resolve: (n: string) => string | undefined): TemplateTag {
  const triple = raw.startsWith("{{{");
  const inner = raw.slice(triple ? 3 : 2, triple ? -3 : -2).replace(/^~|~$/g, "").trim();
  const context = (): string | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i].context !== undefined) return scopes[i].context;
    return undefined;
  };
  const input = (arg: string): string | undefined => {
    const value = arg.includes("=") && !arg.startsWith("(") ? arg.slice(arg.indexOf("=") + 1) : arg;
    if (/^["']/.test(value) || HANDLEBARS_LITERALS.test(value) || value.startsWith("@index") || value.startsWith("@key") || value.startsWith("@first") || value.startsWith("@last")) return undefined;
    if (value.startsWith("(")) return handlebarsArgs(value.slice(1, -1)).slice(1).map(input).find((x) => x !== undefined);
    let p = value.replace(/^@root[./]/, "");
    let up = 0;
    while (p.startsWith("../")) {
      p = p.slice(3);
      up++;
    }
    const root = p.split(/[./]/)[0];
    if (root === "this" || root === "") return up === 0 ? context() : undefined;
    if (up === 0) {
      const named = resolve(root);
      if (named !== root) return named;
      // Inside `{{#each xs}}` a bare name reads the current element.
      return context() ?? root;
    }
    return root;
  };
  if (inner.startsWith("#") || inner.startsWith("^")) {
    const [helper, ...args] = handlebarsArgs(inner.slice(1));
    const scope: Scope = { names: new Map() };
    if (helper === "each" || helper === "with") {
      scope.context = args[0] ? input(args[0]) : undefined;
      const as = /\bas\s+\|([^|]+)\|/.exec(inner);
      if (as) for (const n of as[1].trim().split(/\s+/)) scope.names.set(n, scope.context);
    }
    scopes.push(scope);
    return { kind: "block", span, inputs: [] };
  }
  if (inner.startsWith("/")) {
    scopes.pop();
    return { kind: "block", span, inputs: [] };
  }
  if (inner.startsWith(">") || inner === "else" || inner.startsWith("else ")) return { kind: "other", span, inputs: [] };
  const [first, ...args] = handlebarsArgs(inner);
  if (first === undefined) return { kind: "other", span, inputs: [] };
  if (first === "role") return { kind: "role", span, inputs: [], role: (args[0] ?? "").replace(/^["']|["']$/g, "").toLowerCase() };
  if (first === "history" || first === "section") return { kind: "other", span, inputs: [] };
  const printed = args.length ? args : [first];
  const inputs = [...new Set(printed.map(input).filter((x): x is string => x !== undefined))];
  return { kind: "print", span, inputs };
}
