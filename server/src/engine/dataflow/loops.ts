/**
 * Agent loops: a loop that calls an LLM with nothing but the model's answer to end it
 * (`while True:` with no counter compared against a bound).
 */
import type { Expr, Span, Stmt } from "../ir";
import type { CheckSpec } from "../models/schema";

/** An agent loop: repeats LLM calls with no bound on how many times. */
export const UNCAPPED_LOOP: CheckSpec = { id: "uncapped-agent-loop", call: [], label: "This loop" };

export function isTrue(e: Expr): boolean {
  return e.kind === "const" && e.value === true;
}

/**
 * `while True:` / `while (true)` / `for (;;)` with no counter compared against a bound
 * anywhere in it: nothing but the model's answer ends it.
 */
export function isUncapped(s: Extract<Stmt, { kind: "loop" }>): boolean {
  if (s.iter) return false;
  // `while not done:` — a flag the model's answer sets — bounds nothing either.
  const flag = s.test?.kind === "unary" && (s.test.op === "not" || s.test.op === "!") && (s.test.operand.kind === "name" || s.test.operand.kind === "attr");
  if (s.test && !isTrue(s.test) && !flag) return false;
  return !hasOrderingComparison(s.body);
}

function hasOrderingComparison(stmts: readonly Stmt[]): boolean {
  return stmts.some((st) => {
    switch (st.kind) {
      case "if":
        return orders(st.test) || hasOrderingComparison(st.then) || hasOrderingComparison(st.else);
      case "loop":
        // A bounded inner loop (`for attempt in range(3)`) does not bound the outer one.
        return (st.test !== undefined && orders(st.test)) || hasOrderingComparison(st.body);
      case "try":
        return hasOrderingComparison(st.body) || st.handlers.some((h) => hasOrderingComparison(h.body)) || hasOrderingComparison(st.finally);
      case "expr":
        return orders(st.expr);
      case "assign":
        return orders(st.value);
      default:
        return false;
    }
  });
}

const ORDERING = new Set(["<", "<=", ">", ">="]);

function orders(e: Expr): boolean {
  switch (e.kind) {
    case "compare":
      return ORDERING.has(e.op) || orders(e.left) || orders(e.right);
    case "binary":
      return orders(e.left) || orders(e.right);
    case "unary":
      return orders(e.operand);
    case "paren":
    case "await":
      return orders(e.value);
    default:
      return false;
  }
}

export function loopHead(s: Extract<Stmt, { kind: "loop" }>): Span {
  const end = s.test?.span.end ?? s.span.start + 5;
  return { start: s.span.start, end: Math.min(end, s.span.end) };
}

