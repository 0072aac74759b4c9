/**
 * Branch conditions that prove a value safe: membership in a constant allowlist and
 * equality with a constant. `if tone in ALLOWED:` cleans `tone` in the then-branch;
 * `if tone not in ALLOWED: abort(400)` cleans it after the early exit. Narrower checks
 * make a value safe only for some sinks: a path checked to lie inside a folder, a URL
 * whose host is checked against an allowlist.
 */
import type { Expr } from "../ir";
import type { SinkKind } from "../models/schema";
import { isTainted, lookup, type Val } from "../values";
import type { Frame } from "./functions";
import type { Interpreter } from "./interpreter";
import { hostIsFixed } from "./sinks";

export interface Guard {
  /** The variable the check proves safe. */
  target: string;
  /** The branch (true: then, false: else / after an early exit) in which it is safe. */
  cleanWhen: boolean;
  /** Only safe for these sinks; safe for all when absent. */
  clears?: SinkKind[];
}

/** `full.startsWith(ROOT)`, `resolved.is_relative_to(BASE)`: containment in a fixed folder or URL prefix. */
const PREFIX_METHODS = new Set(["startsWith", "startswith", "is_relative_to"]);
/** Parts of a parsed URL whose allowlisting fixes where a request goes. */
const URL_HOST_PARTS = new Set(["hostname", "host", "netloc", "origin"]);

const MEMBERSHIP_METHODS = new Set(["includes", "has", "__contains__", "contains"]);

/** `parsed.hostname` / `target.host`: the URL variable whose host a check is about. */
function checkedUrl(e: Expr): string | undefined {
  return e.kind === "attr" && URL_HOST_PARTS.has(e.name) ? checkedName(e.object) : undefined;
}

/** A check of the name itself, or of a URL's host (which makes the URL safe for requests only). */
function checkedTarget(e: Expr): Pick<Guard, "target" | "clears"> | undefined {
  const name = checkedName(e);
  if (name) return { target: name };
  const url = checkedUrl(e);
  return url ? { target: url, clears: ["url"] } : undefined;
}

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

/** `os.path.commonpath([full, ROOT])`: compared with the fixed root, it proves `full` lies inside it. */
function commonPathTarget(e: Expr, interp: Interpreter, frame: Frame): string | undefined {
  if (e.kind !== "call" || e.callee.kind !== "attr" || e.callee.name !== "commonpath" || e.args.length !== 1) return undefined;
  const list = e.args[0].value;
  if (list.kind !== "array") return undefined;
  const names = list.elements.map((el) => checkedName(el.value)).filter((n): n is string => n !== undefined);
  const fixed = list.elements.filter((el) => !isTainted(interp.eval(el.value, frame)));
  return names.length >= 1 && fixed.length >= 1 ? names.find((n) => isTainted(lookup(frame.scope, n) ?? {})) ?? names[0] : undefined;
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
        const checked = checkedTarget(test.left);
        const set = interp.eval(test.right, frame);
        return checked && isConstantCollection(set) ? { ...checked, cleanWhen: positive } : undefined;
      }
      for (const [a, b] of [
        [test.left, test.right],
        [test.right, test.left],
      ]) {
        const contained = commonPathTarget(a, interp, frame);
        if (contained && !isTainted(interp.eval(b, frame))) return { target: contained, cleanWhen: positive, clears: ["path"] };
        const checked = checkedTarget(a);
        if (checked && isConstantScalar(interp.eval(b, frame))) return { ...checked, cleanWhen: positive };
      }
      return undefined;
    }
    case "call": {
      if (test.callee.kind !== "attr" || test.args.length !== 1) return undefined;
      if (PREFIX_METHODS.has(test.callee.name)) {
        const target = checkedName(test.callee.object);
        const prefix = interp.eval(test.args[0].value, frame);
        if (!target || isTainted(prefix)) return undefined;
        // `rel = path.relative(root, full)`; `rel.startsWith("..")` is true exactly when `full` escapes `root`.
        const relativeOf = lookup(frame.scope, target)?.relativeOf;
        if (relativeOf && prefix.str === "..") return { target: relativeOf, cleanWhen: false, clears: ["path"] };
        // A URL prefix only pins the host when it runs past the host (`https://api.example.com/`, not `…example.com`).
        return { target, cleanWhen: true, clears: hostIsFixed(prefix) ? ["path", "url"] : ["path"] };
      }
      if (!MEMBERSHIP_METHODS.has(test.callee.name)) return undefined;
      const checked = checkedTarget(test.args[0].value);
      const set = interp.eval(test.callee.object, frame);
      return checked && isConstantCollection(set) ? { ...checked, cleanWhen: true } : undefined;
    }
    default:
      return undefined;
  }
}
