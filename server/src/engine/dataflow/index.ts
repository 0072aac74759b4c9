/** Runs the dataflow over one file: module body first, then every function as an entry point. */
import type { IRFile } from "../ir";
import type { Knowledge } from "../models/knowledge";
import { analyzeEntry, newFrame } from "./functions";
import { Interpreter } from "./interpreter";
import type { CheckHit, SinkHit } from "./sinks";

export { AnalysisTimeout } from "./interpreter";
export type { CheckHit, SinkHit } from "./sinks";

export interface DataflowResult {
  hits: SinkHit[];
  checks: CheckHit[];
}

export function runDataflow(file: IRFile, kb: Knowledge, deadline: number): DataflowResult {
  const interp = new Interpreter(file, kb, deadline);
  const moduleFrame = newFrame(file.module, interp.moduleScope);
  moduleFrame.scope = interp.moduleScope;
  interp.execBlock(file.module.body, moduleFrame);
  const analysed = interp.analysedRoots;
  for (let i = 0; i < interp.pendingRoots.length; i++) {
    const root = interp.pendingRoots[i];
    // A function registered as a handler after it was analysed (`Tool(func=f)` in a later function) is analysed again.
    const registrations = interp.handlerOf.get(root.def)?.length ?? 0;
    if (analysed.get(root.def) === registrations) continue;
    analysed.set(root.def, registrations);
    analyzeEntry(interp, { def: root.def, scope: root.scope, owner: root.owner });
  }
  const seen = new Set<string>();
  const checks = interp.checkHits.filter((c) => {
    const key = `${c.check.id}:${c.span.start}`;
    return !seen.has(key) && seen.add(key) !== undefined;
  });
  return { hits: dedupe(interp.hits), checks };
}

/** One hit per sink location, sink kind and source: the same flow is found by several entry points. */
function dedupe(hits: SinkHit[]): SinkHit[] {
  const byKey = new Map<string, SinkHit>();
  for (const h of hits) {
    for (const t of h.taints) {
      const key = `${h.spec.kind}:${h.span.start}:${h.span.end}:${t.kind}:${t.origin.span.start}:${t.label}`;
      const prev = byKey.get(key);
      if (!prev || (t.steps?.length ?? 0) < (prev.taints[0].steps?.length ?? 0)) byKey.set(key, { ...h, taints: [t] });
    }
  }
  return [...byKey.values()];
}
