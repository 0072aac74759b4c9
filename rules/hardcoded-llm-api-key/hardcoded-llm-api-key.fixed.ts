// Model gateway: one client per provider, plus the admin jobs that report on usage.
import Anthropic from "@anthropic-ai/sdk";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GoogleGenAI } from "@google/genai";
import { InferenceClient } from "@huggingface/inference";
import { password } from "@inquirer/prompts";
import { ChatAnthropic } from "@langchain/anthropic";
import { createXai } from "@ai-sdk/xai";
import { generateText } from "ai";
import Groq from "groq-sdk";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import Replicate from "replicate";

// case: a module constant passed to the client later
// ruleid: hardcoded-llm-api-key
const GROQ_API_KEY = process.env.GROQ_API_KEY;

// case: a key inside a config object
export const llmConfig = {
  huggingface: {
    model: "meta-llama/Llama-3.1-8B-Instruct",
    // ruleid: hardcoded-llm-api-key
    token: process.env.HF_TOKEN,
  },
  perplexity: { model: "sonar" },
};

// case: values that mean "not configured yet"
// ok: hardcoded-llm-api-key
const PLACEHOLDER_KEYS = new Set(["YOUR_API_KEY", "sk-...", "sk-your-key-here", ""]);

// case: a pattern that redacts Anthropic keys from logs is not itself a key
// ok: hardcoded-llm-api-key
const ANTHROPIC_KEY_PATTERN = /sk-ant-api\d{2}-[\w-]{80,}/g;

export function redact(line: string): string {
  return line.replace(ANTHROPIC_KEY_PATTERN, "sk-ant-[redacted]");
}

export function openaiClient(): OpenAI {
  // case: a literal key passed to the constructor
  return new OpenAI({
    // ruleid: hardcoded-llm-api-key
    apiKey: process.env.OPENAI_API_KEY,
  });
}

export function openaiClientFromEnv(): OpenAI {
  // case: the key read from the environment
  // ok: hardcoded-llm-api-key
  return new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
}

export function claudeClient(): Anthropic {
  // case: an Anthropic key passed to the constructor
  // ruleid: hardcoded-llm-api-key
  return new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });
}

export function claudeClientChecked(): Anthropic {
  const apiKey = process.env.ANTHROPIC_API_KEY ?? "";
  // case: only the prefix, to check the key's shape
  // ok: hardcoded-llm-api-key
  if (!apiKey.startsWith("sk-ant-")) {
    throw new Error("ANTHROPIC_API_KEY is missing or is not an Anthropic API key");
  }
  return new Anthropic({ apiKey });
}

export function geminiClient(): GoogleGenAI {
  // case: a Google AI key passed to the constructor
  // ruleid: hardcoded-llm-api-key
  return new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });
}

export function geminiClientConfigured(): GoogleGenAI {
  const apiKey = process.env.GEMINI_API_KEY ?? "";
  if (PLACEHOLDER_KEYS.has(apiKey)) throw new Error("Set GEMINI_API_KEY to a real key");
  return new GoogleGenAI({ apiKey });
}

export function groqClient(): Groq {
  return new Groq({ apiKey: GROQ_API_KEY });
}

export async function groqClientInteractive(): Promise<Groq> {
  // case: the key typed in by the operator
  // ok: hardcoded-llm-api-key
  const apiKey = await password({ message: "Groq API key", mask: "*" });
  return new Groq({ apiKey });
}

export function hfClient(): InferenceClient {
  return new InferenceClient(llmConfig.huggingface.token);
}

export function hfClientFromEnv(): InferenceClient {
  // case: the token from the environment
  // ok: hardcoded-llm-api-key
  return new InferenceClient(process.env.HF_TOKEN);
}

export async function askGrok(prompt: string): Promise<string> {
  // case: a key written into the process environment
  // ruleid: hardcoded-llm-api-key
  const xai = createXai({ apiKey: process.env.XAI_API_KEY });
  const { text } = await generateText({ model: xai("grok-4"), prompt });
  return text;
}

// case: a token as a default parameter value
// ruleid: hardcoded-llm-api-key
export function replicateClient(auth = process.env.REPLICATE_API_TOKEN): Replicate {
  return new Replicate({ auth });
}

export async function replicateClientFromSecrets(): Promise<Replicate> {
  const secrets = new SecretsManagerClient({});
  // case: the token fetched from a secret manager
  // ok: hardcoded-llm-api-key
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: "prod/replicate-api-token" }));
  return new Replicate({ auth: SecretString });
}

export function legacyOpenaiClient(): OpenAI {
  // case: a legacy user key as the fallback of an environment lookup
  // ruleid: hardcoded-llm-api-key
  const apiKey = process.env.OPENAI_API_KEY;
  return new OpenAI({ apiKey });
}

export function localOpenaiClient(): OpenAI {
  // case: a dummy key for a local OpenAI-compatible server, too short to be real
  // ok: hardcoded-llm-api-key
  return new OpenAI({ apiKey: "sk-local-dev", baseURL: "http://localhost:8000/v1" });
}

export async function sonarSearch(question: string): Promise<string> {
  // case: a key inside the headers of a raw HTTP call, in a template literal
  const res = await fetch("https://api.perplexity.ai/chat/completions", {
    method: "POST",
    headers: {
      // ruleid: hardcoded-llm-api-key
      Authorization: `Bearer ${process.env.PERPLEXITY_API_KEY}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({ model: llmConfig.perplexity.model, messages: [{ role: "user", content: question }] }),
  });
  const data = await res.json();
  return data.choices[0].message.content;
}

export async function sonarSearchFromEnv(question: string): Promise<string> {
  const res = await fetch("https://api.perplexity.ai/chat/completions", {
    method: "POST",
    // case: the same call with the key from the environment
    // ok: hardcoded-llm-api-key
    headers: { Authorization: `Bearer ${process.env.PERPLEXITY_API_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ model: llmConfig.perplexity.model, messages: [{ role: "user", content: question }] }),
  });
  const data = await res.json();
  return data.choices[0].message.content;
}

export async function openaiUsage(startTime: number): Promise<unknown> {
  // case: an admin key in a comment is leaked all the same
  // ruleid: hardcoded-llm-api-key
  // Debug with: curl -H "Authorization: Bearer sk-admin-FAKEKEY0123456789abcdefFAKEKEY0123456789abcdefFAKEKEY0123456789abcdefFAKEKEY0123456789abcdefFAKE" ...
  const res = await fetch(`https://api.openai.com/v1/organization/usage/completions?start_time=${startTime}`, {
    headers: { Authorization: `Bearer ${process.env.OPENAI_ADMIN_KEY}` },
  });
  return res.json();
}

export async function anthropicMembers(): Promise<unknown[]> {
  const res = await fetch("https://api.anthropic.com/v1/organizations/users", {
    headers: {
      // ruleid: hardcoded-llm-api-key
      "x-api-key": process.env.ANTHROPIC_ADMIN_KEY,
      "anthropic-version": "2023-06-01",
    },
  });
  const body = await res.json();
  return body.data;
}

export function describeKey(key: string): string {
  // case: a masked key for display
  // ok: hardcoded-llm-api-key
  return key.length > 12 ? `${key.slice(0, 8)}${"*".repeat(24)}${key.slice(-4)}` : "sk-...";
}

export class BatchRunner {
  // case: a service-account key in a class field
  // ruleid: hardcoded-llm-api-key
  private readonly apiKey = process.env.OPENAI_API_KEY;
  private readonly client = new OpenAI({ apiKey: this.apiKey });

  async submit(inputFileId: string) {
    return this.client.batches.create({ input_file_id: inputFileId, endpoint: "/v1/chat/completions", completion_window: "24h" });
  }
}

export function langchainClaude(): ChatAnthropic {
  // case: a key passed to a LangChain chat model, broken out of a longer line
  return new ChatAnthropic({
    model: "claude-sonnet-4-5",
    // ruleid: hardcoded-llm-api-key
    apiKey: process.env.ANTHROPIC_API_KEY,
  });
}

export const usage = [
  "Usage: gateway --provider <name>",
  // case: a placeholder in help text
  // ok: hardcoded-llm-api-key
  "Set OPENAI_API_KEY=<your key> before running.",
].join("\n");

export class ReplayTest {
  // case: a test reads its (revoked) key from a fixture file
  // ok: hardcoded-llm-api-key
  readonly key = readFileSync(join(__dirname, "fixtures", "openai-key.txt"), "utf8").trim();

  client(): OpenAI {
    // case: a short, obviously fake key for a mocked client
    // ok: hardcoded-llm-api-key
    return new OpenAI({ apiKey: "sk-proj-test", baseURL: "http://127.0.0.1:9/v1" });
  }
}
