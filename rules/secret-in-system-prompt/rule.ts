import { reportFlows, sinkLabel, type Rule } from "../../server/src/engine/rule";

const rule: Rule = {
  meta: {
    id: "secret-in-system-prompt",
    title: "Secret in a system prompt",
    summary: "An API key, password, token or connection string is placed in a system prompt, where users can make the model repeat it; keep secrets in the code that calls the service, never in the prompt.",
    severity: "error",
    confidence: "high",
    owasp: ["LLM07:2025"],
    cwe: ["CWE-200"],
    atlas: ["AML.T0056", "AML.T0057"],
  },
  check(ctx) {
    reportFlows(ctx, {
      sinks: ["system-prompt"],
      taints: ["secret"],
      severity: () => "error",
      message: (t, hit) =>
        `A secret (${t.label}) is placed in ${sinkLabel(hit)}; system prompts leak, since users can ask the model to repeat them. Keep the secret in the code that calls the service (a tool), and give the model only what it may reveal.`,
    });
  },
};

export default rule;
