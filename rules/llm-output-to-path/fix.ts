/**
 * A path built from a fixed folder and the model's text (`os.path.join(ROOT, name)`,
 * `f"{ROOT}/{name}"`, `ROOT / name`, `path.join(ROOT, name)`, `` `${ROOT}/${name}` ``) is resolved
 * and checked to stay inside that folder before it is used, or the model's parts are cut down to
 * a bare file name. Both unsafe: the check refuses paths that leave the folder (symbolic links
 * included) and the resolved path is absolute; a bare file name cannot reach subfolders.
 */
import type { SinkHit } from "../../server/src/engine/dataflow";
import type { Expr, Stmt } from "../../server/src/engine/ir";
import type { FixKit, FixProposal, SpanEdit } from "../../server/src/engine/fixes/kit";
import { hoistable, insertBefore, isPlainReference, unusedName } from "../../server/src/engine/fixes/shapes";

/** A path made of a fixed root and parts, some of them the model's. */
interface RootedPath {
  value: Expr;
  root: Expr;
  /** Parts after the root that are not literals: the ones that may carry the model's text. */
  parts: Expr[];
  form: "join" | "template" | "slash";
}

export function pathFixes(kit: FixKit, hit: SinkHit): FixProposal[] {
  const located = kit.at(hit.span);
  if (!located) return [];
  const pathModule = kit.isPython ? "os.path" : jsPathModule(kit);
  if (!pathModule) return [];
  const rooted = rootedPath(kit, located.expr, pathModule);
  if (!rooted) return [];
  const fixes: FixProposal[] = [];
  const contained = hoistable(located.ancestors) ? containmentFix(kit, rooted, located.statement, pathModule) : undefined;
  if (contained) fixes.push(contained);
  const basename = basenameFix(kit, rooted, pathModule);
  if (basename) fixes.push(basename);
  return fixes;
}

/** The local name of Node's `path` module (`import path from "node:path"`, `import * as path`, `require("path")`). */
function jsPathModule(kit: FixKit): string | undefined {
  return kit.ir?.imports.find((i) => i.module === "path" && (i.name === null || i.name === "default"))?.local;
}

function unwrap(e: Expr): Expr {
  return e.kind === "paren" ? unwrap(e.value) : e;
}

function rootedPath(kit: FixKit, value: Expr, pathModule: string): RootedPath | undefined {
  const e = unwrap(value);
  if (e.kind === "call" && e.kwargs.length === 0 && e.args.length >= 2 && !e.args.some((a) => a.spread)) {
    const callee = kit.slice(e.callee.span);
    const joins = kit.isPython ? [`${pathModule}.join`] : [`${pathModule}.join`, `${pathModule}.resolve`];
    const root = e.args[0].value;
    if (!joins.includes(callee) || !isPlainReference(root)) return undefined;
    return { value, root, parts: e.args.slice(1).map((a) => a.value).filter((p) => p.kind !== "str"), form: "join" };
  }
  if (e.kind === "template" && e.parts.length >= 3 && typeof e.parts[0] !== "string") {
    const [root, separator] = e.parts;
    if (!isPlainReference(root) || typeof separator !== "string" || !separator.startsWith("/")) return undefined;
    return { value, root, parts: e.parts.slice(1).filter((p): p is Expr => typeof p !== "string"), form: "template" };
  }
  if (kit.isPython && e.kind === "binary" && e.op === "/" && isPlainReference(e.left) && unwrap(e.right).kind !== "str") {
    return { value, root: e.left, parts: [e.right], form: "slash" };
  }
  return undefined;
}

/** Resolve the path into a new variable, refuse it outside the root, and use the variable at the sink. */
function containmentFix(kit: FixKit, rooted: RootedPath, statement: Stmt, pathModule: string): FixProposal | undefined {
  const path = kit.slice(unwrap(rooted.value).span);
  const root = kit.slice(rooted.root.span);
  const name = unusedName(kit, kit.isPython ? "resolved_path" : "resolvedPath", kit.isPython ? "_" : "", statement.span.start);
  let lines: string[];
  if (!kit.isPython) {
    lines = [
      `const ${name} = ${isResolveCall(kit, rooted.value, pathModule) ? path : `${pathModule}.resolve(${path})`};`,
      `if (!${name}.startsWith(${pathModule}.resolve(${root}) + ${pathModule}.sep)) throw new Error(\`path outside \${${root}}: \${${name}}\`);`,
    ];
  } else if (rooted.form === "slash") {
    lines = [`${name} = (${path}).resolve()`, `if not ${name}.is_relative_to(${root}.resolve()):`, `    raise PermissionError(f"path outside {${root}}: {${name}}")`];
  } else {
    lines = [
      `${name} = os.path.realpath(${path})`,
      `if os.path.commonpath([${name}, os.path.realpath(${root})]) != os.path.realpath(${root}):`,
      `    raise PermissionError(f"path outside {${root}}: {${name}}")`,
    ];
  }
  if (kit.isPython && (path.includes("\n") || /["'{}]/.test(root))) return undefined;
  const guard = insertBefore(kit, statement, lines);
  if (!guard) return undefined;
  const importOs = kit.isPython && rooted.form !== "slash" ? kit.ensureImport("os") : undefined;
  const edits: SpanEdit[] = [...(importOs ? [importOs] : []), guard, { span: rooted.value.span, newText: name }];
  return { title: `Resolve the path and refuse it outside ${root}`, safe: false, edits };
}

/** Wrap each part after the root in basename, so the model can only name a file directly inside the root. */
function basenameFix(kit: FixKit, rooted: RootedPath, pathModule: string): FixProposal | undefined {
  // Upper-case names are the code's own constants (a subfolder), not the model's text.
  const parts = rooted.parts.filter((p) => !(p.kind === "name" && /^[A-Z][A-Z0-9_]*$/.test(p.name)));
  if (parts.length === 0) return undefined;
  const importOs = kit.isPython ? kit.ensureImport("os") : undefined;
  const edits: SpanEdit[] = [...(importOs ? [importOs] : []), ...parts.map((p) => ({ span: p.span, newText: `${pathModule}.basename(${kit.slice(p.span)})` }))];
  return { title: "Keep only the file name the model chose (no folders)", safe: false, edits };
}

function isResolveCall(kit: FixKit, value: Expr, pathModule: string): boolean {
  const e = unwrap(value);
  return e.kind === "call" && kit.slice(e.callee.span) === `${pathModule}.resolve`;
}
