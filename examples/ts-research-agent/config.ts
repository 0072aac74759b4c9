// Settings shared by the research agent's entry points, read from the environment.
import path from "node:path";

export const MODEL = process.env.RESEARCH_MODEL ?? "gpt-5.4-mini";
export const CLAUDE_MODEL = process.env.RESEARCH_CLAUDE_MODEL ?? "claude-sonnet-4-6";
export const WORKDIR = process.env.RESEARCH_WORKDIR ?? "/srv/research";
export const NOTES_DIR = path.join(WORKDIR, "notes");
export const DATASETS_DIR = path.join(WORKDIR, "datasets");
export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://localhost/research";

// DELIBERATELY PLANTED SAMPLE SECRET. The fallback below is a FAKE key, made up so that
// `secure-ai-lint scan examples` has a hardcoded-llm-api-key finding to show; it was never valid.
// The fix is to drop the fallback, so that a missing ANTHROPIC_API_KEY fails loudly.
export const ANTHROPIC_API_KEY =
  process.env.ANTHROPIC_API_KEY ??
  "sk-ant-api03-FAKE-EXAMPLE-KEY-x8MAB5ynBYsOn5meR1kz3js7RxAeWm1IjfaZMXNwYQUzspTeQ4I2W5klSNZHUCxxoP2UykMsdYj25un64KRHn6ht07AA";
