/**
 * Before a request whose URL is a variable the model filled, check the URL's host against
 * `ALLOWED_HOSTS` and refuse the others. Unsafe: the allowlist is the user's to write; when the
 * module has none, an empty one is added, which refuses every host until it is filled in.
 */
import type { SinkHit } from "../../server/src/engine/dataflow";
import type { Expr } from "../../server/src/engine/ir";
import type { FixKit, FixProposal, SpanEdit } from "../../server/src/engine/fixes/kit";
import { afterImports, hoistable, insertBefore, topLevelValue } from "../../server/src/engine/fixes/shapes";

const ALLOWLIST = "ALLOWED_HOSTS";

export function urlFixes(kit: FixKit, hit: SinkHit): FixProposal[] {
  const located = kit.at(hit.span);
  const url = located?.expr;
  // The check names the variable itself: a variable holds one value for the check and the request.
  if (!located || url?.kind !== "name" || !hoistable(located.ancestors)) return [];
  const existing = topLevelValue(kit, ALLOWLIST);
  const contains = existing ? membership(kit, existing) : kit.isPython ? "in" : "has";
  if (!contains) return [];
  const check = kit.isPython
    ? [`if urlparse(${url.name}).hostname not in ${ALLOWLIST}:`, `    raise PermissionError(f"request to a host outside ${ALLOWLIST}: {${url.name}}")`]
    : [`if (!${ALLOWLIST}.${contains}(new URL(${url.name}).hostname)) throw new Error(\`request to a host outside ${ALLOWLIST}: \${${url.name}}\`);`];
  const guard = insertBefore(kit, located.statement, check);
  if (!guard) return [];
  const importUrlparse = kit.isPython && !kit.ir?.imports.some((i) => i.local === "urlparse") ? kit.ensureImport("urllib.parse", "urlparse") : undefined;
  const edits: SpanEdit[] = [...afterImports(kit, [importUrlparse], existing ? [] : allowlistDeclaration(kit)), guard];
  return [{ title: `Refuse hosts outside ${ALLOWLIST} before the request`, safe: false, edits }];
}

/** How to test membership in the module's existing allowlist: `in` (Python), `.has` (a JS Set) or `.includes` (a JS array). */
function membership(kit: FixKit, allowlist: Expr): string | undefined {
  if (kit.isPython) return "in";
  if (allowlist.kind === "array") return "includes";
  if (allowlist.kind === "call" && allowlist.isNew && allowlist.callee.kind === "name" && allowlist.callee.name === "Set") return "has";
  return undefined;
}

function allowlistDeclaration(kit: FixKit): string[] {
  if (kit.isPython) return ["# Hosts the model may send requests to; any other host is refused.", `${ALLOWLIST}: tuple[str, ...] = ()`];
  const type = kit.language === "typescript" ? ": ReadonlySet<string>" : "";
  return ["/** Hosts the model may send requests to; any other host is refused. */", `const ${ALLOWLIST}${type} = new Set([]);`];
}
