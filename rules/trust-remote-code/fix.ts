/**
 * `trust_remote_code=True` is dropped. Unsafe: a model whose architecture lives in its
 * repository's code no longer loads.
 */
import type { CheckHit } from "../../server/src/engine/dataflow";
import { removeArgumentWithValue } from "../../server/src/engine/fixes/edits";
import type { FixKit, FixProposal } from "../../server/src/engine/fixes/kit";

export function trustRemoteCodeFixes(kit: FixKit, hit: CheckHit): FixProposal[] {
  const removal = removeArgumentWithValue(kit, hit.span);
  if (!removal) return [];
  return [{ title: "Remove trust_remote_code (models that need custom code then fail to load)", safe: false, edits: [removal] }];
}
