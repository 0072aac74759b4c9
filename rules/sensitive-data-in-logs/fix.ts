/**
 * The personal data, secret or whole prompt in the logged value is wrapped in `redact(…)`, a
 * helper the fix adds: an email keeps its first letter and domain, anything else is logged as
 * `[redacted]`. Safe: only the text of the log changes, nothing the program computes.
 */
import type { SinkHit } from "../../server/src/engine/dataflow";
import type { FixKit, FixProposal } from "../../server/src/engine/fixes/kit";
import { redactionEdits } from "../../server/src/engine/fixes/redact";
import type { Taint } from "../../server/src/engine/values";

export function logRedactionFixes(kit: FixKit, hit: SinkHit, taints: readonly Taint[]): FixProposal[] {
  const edits = redactionEdits(kit, hit, taints);
  return edits ? [{ title: "Log a redacted value instead", safe: true, edits }] : [];
}
