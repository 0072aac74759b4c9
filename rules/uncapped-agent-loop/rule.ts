import { checkLabel, reportChecks, type Rule } from "../../server/src/engine/rule";
import { uncappedLoopFixes } from "./fix";

const rule: Rule = {
  meta: {
    id: "uncapped-agent-loop",
    title: "Agent loop with no iteration cap",
    summary: "A loop keeps calling the model until the model says it is done, with no limit on the number of turns; cap the iterations.",
    severity: "info",
    confidence: "audit",
    owasp: ["LLM10:2025", "LLM06:2025"],
    cwe: ["CWE-834"],
    atlas: ["AML.T0029", "AML.T0034"],
  },
  check(ctx) {
    reportChecks(
      ctx,
      ["uncapped-agent-loop"],
      (hit) =>
        `${checkLabel(hit)} calls the model again and again and only the model's answer ends it: a confused or manipulated model (or a tool that keeps failing) loops forever, spending tokens and repeating tool calls. Cap the iterations (for example \`for step in range(MAX_STEPS)\`) and stop with an error when the cap is reached.`,
      undefined,
      (hit) => uncappedLoopFixes(ctx.fix, hit),
    );
  },
};

export default rule;
