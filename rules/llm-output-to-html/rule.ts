import { reportFlows, sinkLabel, type Rule } from "../../server/src/engine/rule";
import { htmlFixes } from "./fix";

const rule: Rule = {
  meta: {
    id: "llm-output-to-html",
    title: "Model output rendered as HTML",
    summary: "Model output is rendered as HTML without sanitising; render it as text or sanitise it (DOMPurify, bleach) first.",
    severity: "error",
    confidence: "high",
    owasp: ["LLM05:2025"],
    cwe: ["CWE-79", "CWE-1336"],
    atlas: ["AML.T0077"],
  },
  check(ctx) {
    reportFlows(ctx, {
      sinks: ["html"],
      taints: ["model"],
      severity: () => "error",
      fixes: (hit) => htmlFixes(ctx.fix, hit),
      message: (t, hit) =>
        `Model output from ${t.label} is rendered as HTML through ${sinkLabel(hit)}, so a prompt-injected reply can run script or exfiltrate data in the user's browser. Render it as text, or sanitise it (DOMPurify, sanitize-html, bleach) first.`,
    });
  },
};

export default rule;
