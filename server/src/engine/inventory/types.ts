/**
 * The workspace inventory: what the code shows about an AI system, with evidence. Built from
 * every analysed file (per-file facts, see `FileFacts`) plus dependency manifests, and read by
 * the three generated documents (threat model, model cards, AI bill of materials). Paths are
 * workspace-relative with `/` separators; lines and columns are 1-based, as in the CLI's JSON.
 */
import type { Finding } from "../types";

export interface Evidence {
  file: string;
  line: number;
  column: number;
  /** The code at that place, trimmed to one line. */
  snippet?: string;
}

export type EntryPointKind = "http-route" | "cli" | "mcp-server" | "notebook" | "tool" | "scheduled";

export interface EntryPoint {
  kind: EntryPointKind;
  /** "POST /chat", "python agent.py", "MCP server files", "reply_drafts.ipynb". */
  name: string;
  framework?: string;
  evidence: Evidence;
}

export interface LlmCall {
  /** "openai", "anthropic", "google", "mistral", "cohere", "aws-bedrock", "ollama", "huggingface", "litellm", … */
  provider: string;
  /** The SDK or framework the call goes through: "openai (Python)", "Vercel AI SDK", "LangChain". */
  sdk: string;
  /** The API called, e.g. `chat.completions.create`. */
  api: string;
  /** The model id when the code names it with a constant (`gpt-4.1-mini`), else undefined. */
  model?: string;
  /** Constant parameters the code sets (temperature, max_tokens, …), as text. */
  parameters: Record<string, string>;
  /** True when the call runs on the local machine or a self-hosted endpoint (Ollama, localhost base URL, HF pipeline). */
  selfHosted: boolean;
  /** Where the system prompt of this call is built, when it has one. */
  systemPrompt?: Evidence;
  /** What flows into the call: categories of data (user input, retrieved documents, personal data, secrets). */
  inputs: DataCategory[];
  /** Names of the tools the call may invoke, when the code shows them. */
  tools: string[];
  evidence: Evidence;
}

export type DataCategory = "user-input" | "indirect-content" | "model-output" | "personal-data" | "secret";

export type Capability = "shell" | "code" | "files-read" | "files-write" | "network" | "database-read" | "database-write" | "none-detected";

export interface Tool {
  name: string;
  framework: string;
  capabilities: Capability[];
  /** Allowlist, containment, approval or sandbox found in the tool's code. */
  guards: string[];
  evidence: Evidence;
}

export interface Agent {
  name: string;
  framework: string;
  tools: string[];
  /** The iteration cap when the code sets one. */
  maxIterations?: number;
  evidence: Evidence;
}

export interface DataStore {
  kind: "vector-store" | "retriever" | "database" | "file-store" | "cache";
  name: string;
  technology: string;
  evidence: Evidence;
}

/** A local model (Hugging Face, PyTorch, GGUF, …) loaded by the code. */
export interface LocalModel {
  id: string;
  /** The pinned revision, when the code pins one. */
  revision?: string;
  loader: string;
  trustRemoteCode: boolean;
  evidence: Evidence;
}

export interface SensitiveFlow {
  category: "personal-data" | "secret" | "prompt";
  /** Where it goes: "log", "system-prompt", "llm-provider". */
  destination: string;
  evidence: Evidence;
  ruleId: string;
}

export interface Dependency {
  name: string;
  /** The version or range the manifest names; the lock file's resolved version when present. */
  version?: string;
  ecosystem: "pypi" | "npm";
  /** The manifest it was read from. */
  manifest: string;
  /** True for AI libraries (LLM SDKs, agent frameworks, vector stores, model runtimes). */
  ai: boolean;
}

/** What one analysed file contributes (collected by the engine, merged by `buildInventory`). */
export interface FileFacts {
  entryPoints: EntryPoint[];
  llmCalls: LlmCall[];
  tools: Tool[];
  agents: Agent[];
  dataStores: DataStore[];
  localModels: LocalModel[];
}

export interface Inventory {
  /** The workspace folder's name. */
  name: string;
  generatedAt: string;
  /** The product version that built it. */
  tool: { name: string; version: string };
  files: { analysed: number; skipped: number };
  entryPoints: EntryPoint[];
  llmCalls: LlmCall[];
  tools: Tool[];
  agents: Agent[];
  dataStores: DataStore[];
  localModels: LocalModel[];
  sensitiveFlows: SensitiveFlow[];
  dependencies: Dependency[];
  /** Findings with workspace-relative file paths. */
  findings: Array<Finding & { file: string }>;
}
