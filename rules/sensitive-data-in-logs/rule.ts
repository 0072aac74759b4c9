import type { SinkHit } from "../../server/src/engine/dataflow";
import { reportFlows, sinkLabel, type Rule } from "../../server/src/engine/rule";
import { isWholePrompt } from "../../server/src/engine/dataflow/sensitive";
import { stepsToArray, type Taint } from "../../server/src/engine/values";
import { logRedactionFixes } from "./fix";

function what(t: Taint): string {
  return t.kind === "secret" ? `A secret (${t.label})` : `Personal data (${t.label})`;
}

function remedy(t: Taint): string {
  return t.kind === "secret"
    ? "Log that it is set, or an id for it, never the value."
    : "Log an id or a redacted value instead.";
}

function sensitiveTaints(hit: SinkHit): Taint[] {
  return hit.taints.filter((t) => t.kind === "pii" || t.kind === "secret");
}

const rule: Rule = {
  meta: {
    id: "sensitive-data-in-logs",
    title: "Personal data, secrets or whole prompts written to logs",
    summary: "Personal data, a secret or a whole prompt with the user's text reaches a log, error report or trace; log an id or a redacted value instead.",
    severity: "warning",
    confidence: "high",
    owasp: ["LLM02:2025"],
    cwe: ["CWE-532"],
    atlas: ["AML.T0057"],
  },
  check(ctx) {
    reportFlows(ctx, {
      sinks: ["log"],
      taints: ["pii", "secret"],
      severity: () => "warning",
      message: (t, hit) => `${what(t)} reaches ${sinkLabel(hit)}, and logs are kept, copied and read by people who should not see it. ${remedy(t)}`,
      fixes: (hit) => logRedactionFixes(ctx.fix, hit, sensitiveTaints(hit)),
    });
    // A whole prompt with the user's text: users paste personal data and secrets into chats.
    const reported = new Set(ctx.hits.filter((h) => h.spec.kind === "log" && h.taints.some((t) => t.kind === "pii" || t.kind === "secret")).map((h) => `${h.span.start}:${h.span.end}`));
    for (const hit of ctx.hits) {
      const key = `${hit.span.start}:${hit.span.end}`;
      const user = hit.taints.find((t) => t.kind === "untrusted");
      if (hit.spec.kind !== "log" || !user || reported.has(key) || !hit.value || !isWholePrompt(hit.value)) continue;
      reported.add(key);
      ctx.report({
        message: `The whole prompt, including the user's text from ${user.label}, reaches ${sinkLabel(hit)}; people type personal data and secrets into prompts, and logs keep them. Log the message count, ids or a redacted copy instead.`,
        span: hit.span,
        path: [user.origin, ...stepsToArray(user.steps), { span: hit.span, message: `reaches ${sinkLabel(hit)}` }],
        fixes: logRedactionFixes(ctx.fix, hit, hit.taints.filter((t) => t.kind === "untrusted")),
      });
    }
  },
};

export default rule;
