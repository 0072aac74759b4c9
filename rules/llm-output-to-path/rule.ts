import { reportFlows, sinkLabel, type Rule } from "../../server/src/engine/rule";
import { pathFixes } from "./fix";

const rule: Rule = {
  meta: {
    id: "llm-output-to-path",
    title: "Model output chooses a file path",
    summary: "Model output chooses a file-system path that is read, written or deleted; resolve it and check it stays inside an allowed directory.",
    severity: "error",
    confidence: "high",
    owasp: ["LLM05:2025"],
    cwe: ["CWE-22", "CWE-73"],
    atlas: ["AML.T0053"],
  },
  check(ctx) {
    reportFlows(ctx, {
      sinks: ["path"],
      taints: ["model"],
      severity: () => "error",
      fixes: (hit) => pathFixes(ctx.fix, hit),
      message: (t, hit) =>
        `Model output from ${t.label} chooses the path used by ${sinkLabel(hit)}, so whoever steers the model can read, overwrite or delete files outside the intended folder. Resolve the path and check it stays inside an allowed directory, or map the model's choice through an allowlist.`,
    });
  },
};

export default rule;
