import type { Rule } from "../../server/src/engine/rule";

/**
 * Findings of this rule come from the engine's suppression pass (server/src/engine/suppressions.ts),
 * which runs once every other rule has reported, since only then is it known what a suppression covers.
 */
const rule: Rule = {
  meta: {
    id: "invalid-suppression",
    title: "Suppression without a reason, of an unknown rule, or unused",
    summary: "A secure-ai-lint suppression comment gives no reason, names an unknown rule or suppresses nothing; name the rule, say why after `--`, and remove suppressions that no longer apply.",
    severity: "warning",
    confidence: "high",
    owasp: ["LLM05:2025"],
    cwe: ["CWE-1164"],
    atlas: ["AML.T0102"],
  },
};

export default rule;
