/**
 * Branch conditions that prove a value safe: membership in a constant allowlist and
 * equality with a constant. `if tone in ALLOWED:` cleans `tone` in the then-branch;
 * `if tone not in ALLOWED: abort(400)` cleans it after the early exit.
 */
import type { Expr } from "../ir";
import type { Val } from "../values";
import type { Frame } from "./functions";
import type { Interpreter } from "./interpreter";

export interface Guard {
  /** The variable the check proves safe. */
  target: string;
  /** The branch (true: then, false: else / after an early exit) in which it is safe. */
  cleanWhen: boolean;
}

const MEMBERSHIP_METHODS = new Set(["includes", "has", "__contains__", "contains"]);

/** The variable a checked expression reads: `x`, `x.lower()`, `x.strip().lower()`, `String(x)`. */
function checkedName(e: Expr): string | undefined {
  if (e.kind === "name") return e.name;
  if (e.kind === "paren") return checkedName(e.value);
  if (e.kind === "call" && e.callee.kind === "attr" && e.args.length === 0) return checkedName(e.callee.object);
  if (e.kind === "call" && e.callee.kind === "name" && e.args.length === 1) return checkedName(e.args[0].value);
  return undefined;
}

function isConstantCollection(v: Val): boolean {
  return !!v.constant && (!!v.elems || !!v.fields);
}

function isConstantScalar(v: Val): boolean {
  return !!v.constant && (v.str !== undefined || v.num !== undefined || v.bool !== undefined);
}

export function guardOf(test: Expr, interp: Interpreter, frame: Frame): Guard | undefined {
  switch (test.kind) {
    case "paren":
      return guardOf(test.value, interp, frame);
    case "unary": {
      if (test.op !== "!" && test.op !== "not") return undefined;
      const inner = guardOf(test.operand, interp, frame);
      return inner && { ...inner, cleanWhen: !inner.cleanWhen };
    }
    case "binary": {
      if (test.op !== "&&" && test.op !== "||") return undefined;
      const wanted = test.op === "&&";
      for (const side of [test.left, test.right]) {
        const g = guardOf(side, interp, frame);
        if (g && g.cleanWhen === wanted) return g;
      }
      return undefined;
    }
    case "compare": {
      const positive = ["in", "==", "===", "is"].includes(test.op);
      const negative = ["not in", "!=", "!==", "is not"].includes(test.op);
      if (!positive && !negative) return undefined;
      if (test.op === "in" || test.op === "not in") {
        const target = checkedName(test.left);
        const set = interp.eval(test.right, frame);
        return target && isConstantCollection(set) ? { target, cleanWhen: positive } : undefined;
      }
      for (const [a, b] of [
        [test.left, test.right],
        [test.right, test.left],
      ]) {
        const target = checkedName(a);
        if (target && isConstantScalar(interp.eval(b, frame))) return { target, cleanWhen: positive };
      }
      return undefined;
    }
    case "call": {
      if (test.callee.kind !== "attr" || !MEMBERSHIP_METHODS.has(test.callee.name) || test.args.length !== 1) return undefined;
      const target = checkedName(test.args[0].value);
      const set = interp.eval(test.callee.object, frame);
      return target && isConstantCollection(set) ? { target, cleanWhen: true } : undefined;
    }
    default:
      return undefined;
  }
}
