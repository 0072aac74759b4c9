import { displayCallee, reportFlows, sinkLabel, type Rule } from "../../server/src/engine/rule";
import { evalFixes } from "./fix";

const rule: Rule = {
  meta: {
    id: "llm-output-to-eval",
    title: "Model output evaluated as code",
    summary: "Model output reaches eval, exec or another code evaluator; parse it as data and validate it instead of running it.",
    severity: "error",
    confidence: "high",
    owasp: ["LLM05:2025"],
    cwe: ["CWE-94", "CWE-95"],
    atlas: ["AML.T0102", "AML.T0053"],
  },
  check(ctx) {
    reportFlows(ctx, {
      sinks: ["code-eval"],
      taints: ["model"],
      severity: () => "error",
      fixes: (hit) => evalFixes(ctx.fix, hit),
      message: (t, hit) =>
        `Model output from ${t.label} reaches ${sinkLabel(hit)}, so whoever steers the model runs code in your process. Parse the output as data (${hit.callee.startsWith("builtins.") || hit.callee.startsWith("langchain") ? "json.loads or ast.literal_eval" : "JSON.parse"}) and validate it instead of evaluating it.`.replace(
          "{callee}",
          displayCallee(hit.callee),
        ),
    });
  },
};

export default rule;
