/**
 * An endless agent loop becomes a counted one: `while True:` → `for _step in range(MAX_AGENT_STEPS):`
 * followed by a `raise` (in an `else:` when the loop has a `break`, so that only the cap raises),
 * `while (true)` / `for (;;)` → `for (let step = 0; step < MAX_AGENT_STEPS; step++)` with a `throw`
 * after the loop (only for a loop without `break`, whose end was unreachable before).
 * `max_iterations=None` gets LangChain's default cap back. All unsafe: a task that needs more
 * steps than the cap now fails.
 */
import type { CheckHit } from "../../server/src/engine/dataflow";
import type { Stmt } from "../../server/src/engine/ir";
import { isTrue } from "../../server/src/engine/dataflow/loops";
import { joinInsertions, loopAt } from "../../server/src/engine/fixes/edits";
import type { FixKit, FixProposal, SpanEdit } from "../../server/src/engine/fixes/kit";

type LoopStmt = Extract<Stmt, { kind: "loop" }>;

const CAP = "MAX_AGENT_STEPS";
const CAP_VALUE = "20";
const LANGCHAIN_DEFAULT_ITERATIONS = "15";

export function uncappedLoopFixes(kit: FixKit, hit: CheckHit): FixProposal[] {
  const value = kit.at(hit.span)?.expr;
  if (value?.kind === "const" && value.value === null) {
    return [{ title: `Restore the iteration cap (max_iterations=${LANGCHAIN_DEFAULT_ITERATIONS}, LangChain's default)`, safe: false, edits: [{ span: hit.span, newText: LANGCHAIN_DEFAULT_ITERATIONS }] }];
  }
  const loop = loopAt(kit, hit.span.start);
  // `for (;;)` has no test; `while not done:` is uncapped too, but its flag must stay.
  if (!loop || loop.iter || (loop.test ? !isTrue(loop.test) : kit.isPython)) return [];
  const edits = kit.isPython ? pythonLoop(kit, loop) : jsLoop(kit, loop);
  if (!edits) return [];
  return [{ title: `Cap the loop at ${CAP} (${CAP_VALUE}) steps and fail when it is reached`, safe: false, edits: joinInsertions([kit.ensureConstant(CAP, CAP_VALUE), ...edits]) }];
}

function pythonLoop(kit: FixKit, loop: LoopStmt): SpanEdit[] | undefined {
  const header = /^while[ \t]+(?:True|\([ \t]*True[ \t]*\))(?=[ \t]*:)/.exec(kit.text.slice(loop.span.start));
  const first = loop.body[0];
  const loopText = kit.slice(loop.span);
  if (!header || !first || /\b_step\b/.test(loopText)) return undefined;
  const indent = kit.indentAt(loop.span.start);
  const bodyIndent = kit.indentAt(first.span.start);
  // A one-line body (`while True: step()`) or a loop with its own `else:` keeps its shape.
  if (kit.lineStart(first.span.start) === kit.lineStart(loop.span.start) || !bodyIndent.startsWith(indent) || bodyIndent === indent) return undefined;
  if (new RegExp(`^(?:[ \\t]*(?:#[^\\n]*)?\\r?\\n)*${indent}else[ \\t]*:`).test(kit.text.slice(kit.text.indexOf("\n", loop.span.end) + 1))) return undefined;
  const nl = kit.newline();
  const raise = `raise RuntimeError(f"agent did not finish within {${CAP}} steps")`;
  return [
    { span: { start: loop.span.start, end: loop.span.start + header[0].length }, newText: `for _step in range(${CAP})` },
    // After a loop without `break` the cap is the only way out; with one, `else:` runs only at the cap.
    /\bbreak\b/.test(loopText)
      ? { span: { start: loop.span.end, end: loop.span.end }, newText: `${nl}${indent}else:${nl}${bodyIndent}${raise}` }
      : { span: { start: loop.span.end, end: loop.span.end }, newText: `${nl}${indent}${raise}` },
  ];
}

function jsLoop(kit: FixKit, loop: LoopStmt): SpanEdit[] | undefined {
  const header = /^(?:while\s*\(\s*true\s*\)|for\s*\(\s*;\s*;\s*\))(?=\s*\{)/.exec(kit.text.slice(loop.span.start));
  const loopText = kit.slice(loop.span);
  if (!header || !loopText.endsWith("}") || /\bbreak\b/.test(loopText) || !startsStatementInBlock(kit, loop.span.start)) return undefined;
  const counter = ["step", "agentStep", "agentTurn"].find((name) => !new RegExp(`\\b${name}\\b`).test(loopText));
  if (!counter) return undefined;
  return [
    { span: { start: loop.span.start, end: loop.span.start + header[0].length }, newText: `for (let ${counter} = 0; ${counter} < ${CAP}; ${counter}++)` },
    { span: { start: loop.span.end, end: loop.span.end }, newText: `${kit.newline()}${kit.indentAt(loop.span.start)}throw new Error(\`agent did not finish within \${${CAP}} steps\`);` },
  ];
}

/** The loop starts its own line after a `{`, `}` or `;`: a statement in a block, not the body of a brace-less `if`. */
function startsStatementInBlock(kit: FixKit, start: number): boolean {
  const lineStart = kit.lineStart(start);
  if (kit.text.slice(lineStart, start).trim() !== "") return false;
  const code = kit.text
    .slice(0, lineStart)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("//"));
  const previous = code[code.length - 1] ?? "";
  return previous === "" || /[{};]$/.test(previous);
}
