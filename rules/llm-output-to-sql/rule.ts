import { reportFlows, sinkLabel, type Rule } from "../../server/src/engine/rule";
import { sqlFixes } from "./fix";

const rule: Rule = {
  meta: {
    id: "llm-output-to-sql",
    title: "Model output in an executed SQL query",
    summary: "Model output reaches a SQL query that is executed; pass the model's values as bound parameters and allow only known queries.",
    severity: "error",
    confidence: "high",
    owasp: ["LLM05:2025"],
    cwe: ["CWE-89"],
    atlas: ["AML.T0102", "AML.T0053"],
  },
  check(ctx) {
    reportFlows(ctx, {
      sinks: ["sql"],
      taints: ["model"],
      severity: () => "error",
      fixes: (hit) => sqlFixes(ctx.fix, hit),
      message: (t, hit) =>
        `Model output from ${t.label} reaches ${sinkLabel(hit)}, so whoever steers the model can read or change your database. Pass the model's values as bound parameters, or map its choice to a fixed query.`,
    });
  },
};

export default rule;
