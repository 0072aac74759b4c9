import { reportFlows, sinkLabel, type Rule } from "../../server/src/engine/rule";
import { systemPromptFixes } from "./fix";

const rule: Rule = {
  meta: {
    id: "untrusted-input-in-system-prompt",
    title: "Untrusted input in a system prompt",
    summary: "Untrusted input reaches a system or developer prompt; keep instructions constant and pass user text in a user-role message.",
    severity: "error",
    confidence: "high",
    owasp: ["LLM01:2025"],
    cwe: ["CWE-1427"],
    atlas: ["AML.T0051.000", "AML.T0051.001"],
  },
  check(ctx) {
    reportFlows(ctx, {
      sinks: ["system-prompt"],
      taints: ["untrusted", "indirect"],
      severity: (t) => (t.kind === "untrusted" ? "error" : "warning"),
      fixes: (hit) => systemPromptFixes(ctx.fix, hit),
      message: (t, hit) =>
        t.kind === "untrusted"
          ? `Untrusted input from ${t.label} reaches ${sinkLabel(hit)}, where it carries the authority of your instructions. Keep the system prompt constant and pass user text in a user-role message.`
          : `Content from ${t.label}, which an attacker may have written, reaches ${sinkLabel(hit)}. Pass it as clearly delimited data in a user-role message, not as instructions.`,
    });
  },
};

export default rule;
