/**
 * What a secret written into the source looks like: provider key formats specific enough
 * that a match is a real key, and connection strings that carry a password.
 */

/**
 * Key formats of LLM providers: a fixed prefix followed by a long run of key characters.
 * Placeholders ("sk-...", "sk-your-key") do not match.
 */
export const PROVIDER_KEYS: ReadonlyArray<{ provider: string; pattern: RegExp }> = [
  { provider: "Anthropic", pattern: /sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,}/ },
  { provider: "OpenAI", pattern: /sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}/ },
  { provider: "Google AI", pattern: /AIza[0-9A-Za-z_-]{35}/ },
  { provider: "Hugging Face", pattern: /hf_[A-Za-z]{34}/ },
  { provider: "Groq", pattern: /gsk_[A-Za-z0-9]{52}/ },
  { provider: "xAI", pattern: /xai-[A-Za-z0-9]{80}/ },
  { provider: "Replicate", pattern: /r8_[A-Za-z0-9]{37}/ },
  { provider: "Perplexity", pattern: /pplx-[A-Za-z0-9]{48}/ },
];

/** Any provider key, for scanning a whole text (global: use with matchAll). */
export const ANY_PROVIDER_KEY = new RegExp(PROVIDER_KEYS.map((k) => `(?:${k.pattern.source})`).join("|"), "g");
const ANY_PROVIDER_KEY_ONCE = new RegExp(ANY_PROVIDER_KEY.source);

/** "sk-proj-xxxxxxxx…" and similar fillers are placeholders, not keys. */
export function isPlaceholderKey(match: string): boolean {
  return new Set(match).size < 12;
}

export function providerOfKey(key: string): string {
  return PROVIDER_KEYS.find((k) => k.pattern.test(key))?.provider ?? "LLM provider";
}

/** `scheme://user:password@host`: the password part is neither empty nor a template or filler. */
const CONNECTION_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s/@]+)@[^\s/]/i;
const PASSWORD_PLACEHOLDER = /^(?:\$\{.*\}|\{.*\}|<.*>|\*+|x+|\.+|password|passwd|pass|pwd|secret|changeme|your[-_]?password)$/i;

/** Why a string literal is a secret ("an OpenAI API key", "a connection string with a password"), or undefined. */
export function secretInLiteral(text: string): string | undefined {
  // Keys are 30+ characters; most literals are shorter and need no regular expression at all.
  if (text.length < 20) return undefined;
  const key = ANY_PROVIDER_KEY_ONCE.exec(text);
  if (key && !isPlaceholderKey(key[0])) return `a ${providerOfKey(key[0])} API key`;
  const conn = CONNECTION_WITH_PASSWORD.exec(text);
  if (conn && !PASSWORD_PLACEHOLDER.test(conn[1])) return "a connection string with a password";
  return undefined;
}
