import type { Rule } from "../../server/src/engine/rule";

/**
 * Key formats of LLM providers, specific enough that a match is a real key: a fixed
 * prefix followed by a long run of key characters. Placeholders ("sk-...", "sk-your-key")
 * do not match.
 */
const KEYS: Array<{ provider: string; pattern: RegExp }> = [
  { provider: "Anthropic", pattern: /sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,}/ },
  { provider: "OpenAI", pattern: /sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}/ },
  { provider: "Google AI", pattern: /AIza[0-9A-Za-z_-]{35}/ },
  { provider: "Hugging Face", pattern: /hf_[A-Za-z]{34}/ },
  { provider: "Groq", pattern: /gsk_[A-Za-z0-9]{52}/ },
  { provider: "xAI", pattern: /xai-[A-Za-z0-9]{80}/ },
  { provider: "Replicate", pattern: /r8_[A-Za-z0-9]{37}/ },
  { provider: "Perplexity", pattern: /pplx-[A-Za-z0-9]{48}/ },
];

const ANY_KEY = new RegExp(KEYS.map((k) => `(?:${k.pattern.source})`).join("|"), "g");

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
  textTrigger: new RegExp(ANY_KEY.source),
  check(ctx) {
    for (const m of ctx.text.matchAll(ANY_KEY)) {
      // "sk-proj-xxxxxxxx…" and similar fillers are placeholders, not keys.
      if (new Set(m[0]).size < 12) continue;
      const provider = KEYS.find((k) => k.pattern.test(m[0]))?.provider ?? "LLM provider";
      ctx.report({
        message: `This is a ${provider} API key in source code, readable by anyone with the code and its history. Revoke it, then read the key from the environment or a secret manager.`,
        span: { start: m.index!, end: m.index! + m[0].length },
        path: [],
      });
    }
  },
};

export default rule;
