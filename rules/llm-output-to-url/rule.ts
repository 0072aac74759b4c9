import { reportFlows, sinkLabel, type Rule } from "../../server/src/engine/rule";
import { urlFixes } from "./fix";

const rule: Rule = {
  meta: {
    id: "llm-output-to-url",
    title: "Model output chooses a server-side request URL",
    summary: "Model output chooses the URL or host of a server-side request; check the host against an allowlist or keep the base URL fixed.",
    severity: "error",
    confidence: "high",
    owasp: ["LLM05:2025"],
    cwe: ["CWE-918"],
    atlas: ["AML.T0053"],
  },
  check(ctx) {
    reportFlows(ctx, {
      sinks: ["url"],
      taints: ["model"],
      severity: () => "error",
      fixes: (hit) => urlFixes(ctx.fix, hit),
      message: (t, hit) =>
        `Model output from ${t.label} chooses the URL of ${sinkLabel(hit)}, so whoever steers the model can make this server fetch internal services or leak data. Keep the scheme and host fixed, or check the parsed host against an allowlist.`,
    });
  },
};

export default rule;
