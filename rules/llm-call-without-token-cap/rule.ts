import { checkLabel, reportChecks, type Rule } from "../../server/src/engine/rule";
import { tokenCapFixes } from "./fix";

const rule: Rule = {
  meta: {
    id: "llm-call-without-token-cap",
    title: "LLM call with no output-token cap in a loop or request handler",
    summary: "An LLM call that runs per request or per loop iteration sets no limit on the tokens the model may generate; set one so a single request cannot run up unbounded cost and latency.",
    severity: "info",
    confidence: "audit",
    owasp: ["LLM10:2025"],
    cwe: ["CWE-770"],
    atlas: ["AML.T0034", "AML.T0029"],
  },
  check(ctx) {
    reportChecks(
      ctx,
      ["llm-call-without-token-cap"],
      (hit) =>
        `${checkLabel(hit)} runs per request or per loop iteration with no cap on the tokens the model may generate, so one prompt can run up cost and latency unchecked. Set an output-token limit that fits the answer you expect.`,
      undefined,
      (hit) => tokenCapFixes(ctx.fix, hit),
    );
  },
};

export default rule;
