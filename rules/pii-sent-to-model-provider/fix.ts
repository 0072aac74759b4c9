/**
 * The personal data in the request is wrapped in `redact(…)`, a helper the fix adds: an email
 * keeps its first letter and domain, anything else is sent as `[redacted]`. Unsafe: the model no
 * longer sees the data, so a task that needs it (write to this address) changes.
 */
import type { SinkHit } from "../../server/src/engine/dataflow";
import type { FixKit, FixProposal } from "../../server/src/engine/fixes/kit";
import { redactionEdits } from "../../server/src/engine/fixes/redact";

export function piiRedactionFixes(kit: FixKit, hit: SinkHit): FixProposal[] {
  const edits = redactionEdits(kit, hit, hit.taints.filter((t) => t.kind === "pii"));
  return edits ? [{ title: "Send a redacted value instead (the model no longer sees the data)", safe: false, edits }] : [];
}
