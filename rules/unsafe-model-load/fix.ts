/**
 * `torch.load` gets `weights_only=True`, PyTorch's own default since 2.6: it loads tensors,
 * state dicts and plain containers of them, and refuses any other pickled object. Safe when the
 * result goes straight into `load_state_dict` (a state dict is what it must be); unsafe otherwise,
 * since a file that pickles a whole module no longer loads. `allow_dangerous_deserialization=True`
 * is dropped: unsafe, the index then refuses to load, and has to be rebuilt or stored another way.
 */
import type { CheckHit } from "../../server/src/engine/dataflow";
import { addKeywordArgument, removeArgumentWithValue } from "../../server/src/engine/fixes/edits";
import type { FixKit, FixProposal, SpanEdit } from "../../server/src/engine/fixes/kit";

export function unsafeModelLoadFixes(kit: FixKit, hit: CheckHit): FixProposal[] {
  if (hit.check.id === "dangerous-deserialization-enabled") {
    const removal = removeArgumentWithValue(kit, hit.span);
    return removal ? [{ title: "Remove allow_dangerous_deserialization (the index then refuses to load)", safe: false, edits: [removal] }] : [];
  }
  if (hit.check.id === "torch-load-without-weights-only") return weightsOnlyFixes(kit, hit);
  return [];
}

function weightsOnlyFixes(kit: FixKit, hit: CheckHit): FixProposal[] {
  const located = kit.callAt(hit.span);
  if (!located) return [];
  const { expr: call, ancestors } = located;
  const given = call.kwargs.find((k) => k.name === "weights_only");
  const edit: SpanEdit | undefined = given ? { span: given.value.span, newText: "True" } : addKeywordArgument(kit, call, "weights_only", "True");
  if (!edit) return [];
  const parent = ancestors[0];
  const intoStateDict = !given && parent?.kind === "call" && parent.callee.kind === "attr" && parent.callee.name === "load_state_dict" && parent.args[0]?.value === call;
  return [
    intoStateDict
      ? { title: "Load the state dict with weights_only=True", safe: true, edits: [edit] }
      : { title: "Load with weights_only=True (files that pickle whole objects then fail to load)", safe: false, edits: [edit] },
  ];
}
