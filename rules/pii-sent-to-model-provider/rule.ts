import { reportFlows, sinkLabel, type Rule } from "../../server/src/engine/rule";
import { piiRedactionFixes } from "./fix";

/** A client pointed at this machine (`base_url="http://localhost:11434/v1"`): a local model, not a third party. */
const LOOPBACK_CLIENT = /\b(?:base_?url|baseURL|api_base|apiBase|host|endpoint)\s*[=:]\s*(?:f?["'`])https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|host\.docker\.internal)\b/;

const rule: Rule = {
  meta: {
    id: "pii-sent-to-model-provider",
    title: "Personal data sent to a third-party model provider",
    summary: "Personal data (email, phone, card, health or identity fields) is sent to a third-party model provider; send an id or a redacted value, or check that your agreement with the provider covers it.",
    severity: "info",
    confidence: "audit",
    owasp: ["LLM02:2025"],
    cwe: ["CWE-359"],
    atlas: ["AML.T0057"],
  },
  check(ctx) {
    // Ollama serves models on this machine by default; a file that points its clients at localhost does too.
    const local = LOOPBACK_CLIENT.test(ctx.text);
    reportFlows(ctx, {
      sinks: ["llm-input"],
      taints: ["pii"],
      accept: (hit) => !local && !hit.callee.startsWith("ollama."),
      severity: () => "info",
      message: (t, hit) =>
        `Personal data (${t.label}) is sent to the model provider in ${sinkLabel(hit)}, which may keep or review it. Send an id or a redacted value, or check that your data-processing agreement with the provider covers this data.`,
      fixes: (hit) => piiRedactionFixes(ctx.fix, hit),
    });
  },
};

export default rule;
