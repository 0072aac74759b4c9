import type { Rule } from "../../server/src/engine/rule";
import { ANY_PROVIDER_KEY, isPlaceholderKey, providerOfKey } from "../../server/src/engine/secrets";
import { hardcodedKeyFixes } from "./fix";

const rule: Rule = {
  meta: {
    id: "hardcoded-llm-api-key",
    title: "LLM provider API key in source code",
    summary: "An LLM provider's API key is written in the source; read it from the environment or a secret manager, and revoke the exposed key.",
    severity: "error",
    confidence: "high",
    owasp: ["LLM02:2025"],
    cwe: ["CWE-798"],
    atlas: ["AML.T0055"],
  },
  textTrigger: new RegExp(ANY_PROVIDER_KEY.source),
  check(ctx) {
    for (const m of ctx.text.matchAll(ANY_PROVIDER_KEY)) {
      if (isPlaceholderKey(m[0])) continue;
      const provider = providerOfKey(m[0]);
      const span = { start: m.index!, end: m.index! + m[0].length };
      ctx.report({
        message: `This is ${/^[AEIOU]/.test(provider) ? "an" : "a"} ${provider} API key in source code, readable by anyone with the code and its history. Revoke it, then read the key from the environment or a secret manager.`,
        span,
        path: [],
        fixes: hardcodedKeyFixes(ctx.fix, span),
      });
    }
  },
};

export default rule;
