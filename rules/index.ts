/** The rule registry: every rule with its doc. Adding a rule means adding its folder and one entry here. */
import type { Rule } from "../server/src/engine/rule";
import type { RuleMeta } from "../server/src/engine/types";
import llmOutputToEval from "./llm-output-to-eval/rule";
import llmOutputToEvalDocs from "./llm-output-to-eval/README.md";
import llmOutputToShell from "./llm-output-to-shell/rule";
import llmOutputToShellDocs from "./llm-output-to-shell/README.md";
import llmOutputToSql from "./llm-output-to-sql/rule";
import llmOutputToSqlDocs from "./llm-output-to-sql/README.md";
import llmOutputToHtml from "./llm-output-to-html/rule";
import llmOutputToHtmlDocs from "./llm-output-to-html/README.md";
import llmOutputToUrl from "./llm-output-to-url/rule";
import llmOutputToUrlDocs from "./llm-output-to-url/README.md";
import llmOutputToPath from "./llm-output-to-path/rule";
import llmOutputToPathDocs from "./llm-output-to-path/README.md";
import llmOutputToDeserialization from "./llm-output-to-deserialization/rule";
import llmOutputToDeserializationDocs from "./llm-output-to-deserialization/README.md";
import trustRemoteCode from "./trust-remote-code/rule";
import trustRemoteCodeDocs from "./trust-remote-code/README.md";
import unsafeModelLoad from "./unsafe-model-load/rule";
import unsafeModelLoadDocs from "./unsafe-model-load/README.md";
import unpinnedModelRevision from "./unpinned-model-revision/rule";
import unpinnedModelRevisionDocs from "./unpinned-model-revision/README.md";
import hardcodedLlmApiKey from "./hardcoded-llm-api-key/rule";
import hardcodedLlmApiKeyDocs from "./hardcoded-llm-api-key/README.md";
import sensitiveDataInLogs from "./sensitive-data-in-logs/rule";
import sensitiveDataInLogsDocs from "./sensitive-data-in-logs/README.md";
import secretInSystemPrompt from "./secret-in-system-prompt/rule";
import secretInSystemPromptDocs from "./secret-in-system-prompt/README.md";
import piiSentToModelProvider from "./pii-sent-to-model-provider/rule";
import piiSentToModelProviderDocs from "./pii-sent-to-model-provider/README.md";
import unscopedAgentTool from "./unscoped-agent-tool/rule";
import unscopedAgentToolDocs from "./unscoped-agent-tool/README.md";
import uncappedAgentLoop from "./uncapped-agent-loop/rule";
import uncappedAgentLoopDocs from "./uncapped-agent-loop/README.md";
import llmCallWithoutTokenCap from "./llm-call-without-token-cap/rule";
import llmCallWithoutTokenCapDocs from "./llm-call-without-token-cap/README.md";
import untrustedInputInSystemPrompt from "./untrusted-input-in-system-prompt/rule";
import untrustedInputInSystemPromptDocs from "./untrusted-input-in-system-prompt/README.md";
import untrustedInputInPromptFile from "./untrusted-input-in-prompt-file/rule";
import untrustedInputInPromptFileDocs from "./untrusted-input-in-prompt-file/README.md";
import invalidSuppression from "./invalid-suppression/rule";
import invalidSuppressionDocs from "./invalid-suppression/README.md";

export interface RegisteredRule {
  rule: Rule;
  meta: RuleMeta;
}

function register(rule: Rule, docs: string): RegisteredRule {
  return { rule, meta: { ...rule.meta, docs } };
}

export const RULES: readonly RegisteredRule[] = [
  register(untrustedInputInSystemPrompt, untrustedInputInSystemPromptDocs),
  register(untrustedInputInPromptFile, untrustedInputInPromptFileDocs),
  register(llmOutputToEval, llmOutputToEvalDocs),
  register(llmOutputToShell, llmOutputToShellDocs),
  register(llmOutputToSql, llmOutputToSqlDocs),
  register(llmOutputToHtml, llmOutputToHtmlDocs),
  register(llmOutputToUrl, llmOutputToUrlDocs),
  register(llmOutputToPath, llmOutputToPathDocs),
  register(llmOutputToDeserialization, llmOutputToDeserializationDocs),
  register(unscopedAgentTool, unscopedAgentToolDocs),
  register(uncappedAgentLoop, uncappedAgentLoopDocs),
  register(llmCallWithoutTokenCap, llmCallWithoutTokenCapDocs),
  register(trustRemoteCode, trustRemoteCodeDocs),
  register(unsafeModelLoad, unsafeModelLoadDocs),
  register(unpinnedModelRevision, unpinnedModelRevisionDocs),
  register(hardcodedLlmApiKey, hardcodedLlmApiKeyDocs),
  register(sensitiveDataInLogs, sensitiveDataInLogsDocs),
  register(secretInSystemPrompt, secretInSystemPromptDocs),
  register(piiSentToModelProvider, piiSentToModelProviderDocs),
  register(invalidSuppression, invalidSuppressionDocs),
];
