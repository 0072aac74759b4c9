/** The rule registry: every rule with its doc. Adding a rule means adding its folder and one entry here. */
import type { Rule } from "../server/src/engine/rule";
import type { RuleMeta } from "../server/src/engine/types";
import llmOutputToEval from "./llm-output-to-eval/rule";
import llmOutputToEvalDocs from "./llm-output-to-eval/README.md";
import llmOutputToShell from "./llm-output-to-shell/rule";
import llmOutputToShellDocs from "./llm-output-to-shell/README.md";
import untrustedInputInSystemPrompt from "./untrusted-input-in-system-prompt/rule";
import untrustedInputInSystemPromptDocs from "./untrusted-input-in-system-prompt/README.md";

export interface RegisteredRule {
  rule: Rule;
  meta: RuleMeta;
}

function register(rule: Rule, docs: string): RegisteredRule {
  return { rule, meta: { ...rule.meta, docs } };
}

export const RULES: readonly RegisteredRule[] = [
  register(untrustedInputInSystemPrompt, untrustedInputInSystemPromptDocs),
  register(llmOutputToEval, llmOutputToEvalDocs),
  register(llmOutputToShell, llmOutputToShellDocs),
];
