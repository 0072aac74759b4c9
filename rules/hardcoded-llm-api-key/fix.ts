/**
 * The key in the source becomes a read of the provider's usual environment variable
 * (`os.environ["OPENAI_API_KEY"]` / `process.env.OPENAI_API_KEY`); a key that only fills an
 * environment variable or serves as the fallback of one is dropped, so the variable is what
 * counts. Unsafe: the variable has to be set where the code runs. The key stays in the history
 * of the repository, so it has to be revoked either way.
 */
import type { Expr, Span, Stmt } from "../../server/src/engine/ir";
import { deleteStatement, removeArgumentWithValue, statementAt } from "../../server/src/engine/fixes/edits";
import type { FixKit, FixProposal, SpanEdit } from "../../server/src/engine/fixes/kit";

/** The variable each provider's SDK reads its key from; admin keys have their own. */
const ENV_VARIABLES: Array<{ key: RegExp; variable: string }> = [
  { key: /^sk-ant-admin/, variable: "ANTHROPIC_ADMIN_KEY" },
  { key: /^sk-ant-/, variable: "ANTHROPIC_API_KEY" },
  { key: /^sk-admin-/, variable: "OPENAI_ADMIN_KEY" },
  { key: /^sk-/, variable: "OPENAI_API_KEY" },
  { key: /^AIza/, variable: "GEMINI_API_KEY" },
  { key: /^hf_/, variable: "HF_TOKEN" },
  { key: /^gsk_/, variable: "GROQ_API_KEY" },
  { key: /^xai-/, variable: "XAI_API_KEY" },
  { key: /^r8_/, variable: "REPLICATE_API_TOKEN" },
  { key: /^pplx-/, variable: "PERPLEXITY_API_KEY" },
];

const REVOKE = "; revoke the exposed key";

export function hardcodedKeyFixes(kit: FixKit, keySpan: Span): FixProposal[] {
  const located = kit.containing(keySpan);
  const literal = located?.expr;
  if (!literal || (literal.kind !== "str" && literal.kind !== "template")) return [];
  const dropped = dropEnvironmentFallback(kit, literal, located.ancestors[0], located.statement);
  if (dropped) return [dropped];
  const variable = ENV_VARIABLES.find((v) => v.key.test(kit.slice(keySpan)))?.variable;
  const edits = variable ? readFromEnvironment(kit, literal, keySpan, variable) : undefined;
  if (!edits) return [];
  return [{ title: `Read the key from the ${variable} environment variable${REVOKE}`, safe: false, edits }];
}

/** `os.environ["X"] = key`, `os.environ.setdefault("X", key)`, `os.getenv("X", key)`, `process.env.X ?? key`. */
function dropEnvironmentFallback(kit: FixKit, literal: Expr, parent: Expr | undefined, statement: Stmt): FixProposal | undefined {
  const title = `Take the key only from the environment${REVOKE}`;
  if (statement.kind === "assign" && statement.value === literal && isEnvironmentEntry(statement.target)) {
    return deletion(kit, statement, title);
  }
  if (parent?.kind === "call" && parent.callee.kind === "attr" && parent.args.length === 2 && parent.args[1].value === literal && parent.kwargs.length === 0) {
    const { name, object } = parent.callee;
    const environ = isEnviron(object);
    if (name === "setdefault" && environ && statement.kind === "expr" && statement.expr === parent) return deletion(kit, statement, title);
    if ((name === "getenv" && object.kind === "name" && object.name === "os") || (name === "get" && environ)) {
      const removal = removeArgumentWithValue(kit, literal.span);
      return removal && { title, safe: false, edits: [removal] };
    }
  }
  if (parent?.kind === "binary" && (parent.op === "??" || parent.op === "||") && parent.right === literal && isEnvironmentEntry(parent.left)) {
    return { title, safe: false, edits: [{ span: parent.span, newText: kit.slice(parent.left.span) }] };
  }
  return undefined;
}

function deletion(kit: FixKit, statement: Stmt, title: string): FixProposal | undefined {
  const found = statementAt(kit, statement.span.start, (s): s is Stmt => s === statement);
  const edit = found && deleteStatement(kit, found.statement, found.block);
  return edit && { title, safe: false, edits: [edit] };
}

/** `os.environ` / `process.env`. */
function isEnviron(e: Expr): boolean {
  return e.kind === "attr" && ((e.name === "environ" && e.object.kind === "name" && e.object.name === "os") || (e.name === "env" && e.object.kind === "name" && e.object.name === "process"));
}

/** `os.environ["X"]` / `process.env.X` / `process.env["X"]`. */
function isEnvironmentEntry(e: { kind: string; object?: Expr }): boolean {
  return (e.kind === "index" || e.kind === "attr") && e.object !== undefined && isEnviron(e.object);
}

function readFromEnvironment(kit: FixKit, literal: Expr, keySpan: Span, variable: string): SpanEdit[] | undefined {
  const source = kit.slice(literal.span);
  const quote = source[0];
  const whole = literal.span.start + 1 === keySpan.start && literal.span.end - 1 === keySpan.end;
  const before = kit.text.slice(literal.span.start + 1, keySpan.start);
  const after = kit.text.slice(keySpan.end, literal.span.end - 1);
  if (kit.isPython) {
    const importOs = kit.ensureImport("os");
    const withImport = (edit: SpanEdit): SpanEdit[] => (importOs ? [importOs, edit] : [edit]);
    if (whole && (quote === '"' || quote === "'")) return withImport({ span: literal.span, newText: `os.environ["${variable}"]` });
    const inner = quote === '"' ? "'" : '"';
    const read = `{os.environ[${inner}${variable}${inner}]}`;
    // An f-string already: put the read where the key was. A plain string becomes one, its braces doubled.
    if (/^[fF]["']/.test(source) && !source.startsWith(`${source[1]}${source[1]}`, 2)) return withImport({ span: keySpan, newText: read });
    if ((quote === '"' || quote === "'") && !source.startsWith(quote.repeat(3))) {
      const escape = (t: string) => t.replace(/[{}]/g, (b) => b + b);
      return withImport({ span: literal.span, newText: `f${quote}${escape(before)}${read}${escape(after)}${quote}` });
    }
    return undefined;
  }
  const read = `process.env.${variable}`;
  if (whole && (quote === '"' || quote === "'")) return [{ span: literal.span, newText: read }];
  if (quote === "`") return [{ span: keySpan, newText: `\${${read}}` }];
  if (quote === '"' || quote === "'") {
    const escape = (t: string) => t.replace(/`|\$\{/g, (m) => `\\${m}`);
    return [{ span: literal.span, newText: `\`${escape(before)}\${${read}}${escape(after)}\`` }];
  }
  return undefined;
}
