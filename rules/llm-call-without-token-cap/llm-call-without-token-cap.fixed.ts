// Help-desk backend: chat endpoints, batch jobs and agent tools over several LLM SDKs.
import Anthropic from "@anthropic-ai/sdk";
import { BedrockRuntime } from "@aws-sdk/client-bedrock-runtime";
import { openai } from "@ai-sdk/openai";
import { GoogleGenAI } from "@google/genai";
import { Mistral } from "@mistralai/mistralai";
import { convertToModelMessages, generateObject, generateText, streamText, tool, type UIMessage } from "ai";
import { CohereClientV2 } from "cohere-ai";
import express from "express";
import { Hono } from "hono";
import ollama from "ollama";
import OpenAI from "openai";
import { z } from "zod";

const client = new OpenAI();
const anthropic = new Anthropic();
const genai = new GoogleGenAI({});
const mistral = new Mistral({ apiKey: process.env.MISTRAL_API_KEY ?? "" });
const cohere = new CohereClientV2({ token: process.env.COHERE_API_KEY });
const bedrock = new BedrockRuntime({ region: "us-east-1" });
const app = express();
app.use(express.json());
const edge = new Hono();

const SYSTEM = "You are the help-desk assistant. Answer briefly.";

app.post("/api/chat", async (req, res) => {
  // case: Express route, chat completion with no output cap
  // ruleid: llm-call-without-token-cap
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: String(req.body.question) },
    ],
    max_completion_tokens: 1024,
  });
  res.json({ answer: completion.choices[0].message.content });
});

app.post("/api/chat/capped", async (req, res) => {
  // case: the same route with max_completion_tokens
  // ok: llm-call-without-token-cap
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: String(req.body.question) },
    ],
    max_completion_tokens: 500,
  });
  res.json({ answer: completion.choices[0].message.content });
});

app.post("/api/ask", async (req, res) => {
  // case: Responses API in a route, no max_output_tokens
  // ruleid: llm-call-without-token-cap
  const response = await client.responses.create({ model: "gpt-4.1-mini", instructions: SYSTEM, input: String(req.body.question), max_output_tokens: 1024 });
  res.json({ answer: response.output_text });
});

app.post("/api/ask/claude", async (req, res) => {
  // case: Anthropic requires max_tokens on every call
  // ok: llm-call-without-token-cap
  const message = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    system: SYSTEM,
    messages: [{ role: "user", content: String(req.body.question) }],
  });
  res.json({ answer: message.content });
});

app.post("/api/label", async (req, res) => {
  // case: Mistral chat in a route, no maxTokens
  // ruleid: llm-call-without-token-cap
  const result = await mistral.chat.complete({ model: "mistral-small-latest", messages: [{ role: "user", content: String(req.body.text) }], maxTokens: 1024 });
  res.json({ label: result.choices?.[0]?.message?.content });
});

app.post("/api/label/capped", async (req, res) => {
  // case: maxTokens caps the label
  // ok: llm-call-without-token-cap
  const result = await mistral.chat.complete({ model: "mistral-small-latest", messages: [{ role: "user", content: String(req.body.text) }], maxTokens: 10 });
  res.json({ label: result.choices?.[0]?.message?.content });
});

edge.post("/edge/suggest", async (c) => {
  const { draft } = await c.req.json<{ draft: string }>();
  // case: Hono route, AI SDK call with only a temperature
  // ruleid: llm-call-without-token-cap
  const { text } = await generateText({ model: openai("gpt-4.1-mini"), prompt: `Suggest an edit:\n${draft}`, temperature: 0.3, maxOutputTokens: 1024 });
  return c.json({ suggestion: text });
});

// Next.js route handler (app/api/chat/route.ts)
export async function POST(req: Request) {
  const { messages }: { messages: UIMessage[] } = await req.json();
  // case: Next.js route handler streams a reply with no maxOutputTokens
  // ruleid: llm-call-without-token-cap
  const result = streamText({ model: openai("gpt-4.1-mini"), system: SYSTEM, messages: convertToModelMessages(messages), maxOutputTokens: 1024 });
  return result.toUIMessageStreamResponse();
}

export async function PUT(req: Request) {
  const { messages }: { messages: UIMessage[] } = await req.json();
  // case: the same handler with maxOutputTokens
  // ok: llm-call-without-token-cap
  const result = streamText({ model: openai("gpt-4.1-mini"), system: SYSTEM, messages: convertToModelMessages(messages), maxOutputTokens: 800 });
  return result.toUIMessageStreamResponse();
}

export async function summarizeTickets(tickets: string[]) {
  const summaries: string[] = [];
  for (const ticket of tickets) {
    // case: AI SDK generateText once per ticket
    // ruleid: llm-call-without-token-cap
    const { text } = await generateText({ model: openai("gpt-4.1-mini"), prompt: `Summarise:\n${ticket}`, maxOutputTokens: 1024 });
    summaries.push(text);
  }
  return summaries;
}

export async function classifyTickets(tickets: string[]) {
  const labels: string[] = [];
  for (const ticket of tickets) {
    // case: generateObject per ticket, capped
    // ok: llm-call-without-token-cap
    const { object } = await generateObject({
      model: openai("gpt-4.1-mini"),
      schema: z.object({ label: z.enum(["bug", "billing", "other"]) }),
      prompt: ticket,
      maxOutputTokens: 50,
    });
    labels.push(object.label);
  }
  return labels;
}

export async function translateAll(pages: string[]) {
  return Promise.all(
    pages.map(async (page) => {
      for (let attempt = 0; attempt < 2; attempt++) {
        // case: Gemini with no config, inside a retry loop
        // ruleid: llm-call-without-token-cap
        const response = await genai.models.generateContent({ model: "gemini-2.5-flash", contents: `Translate to French:\n${page}`, config: { maxOutputTokens: 1024 } });
        if (response.text) return response.text;
      }
      return page;
    }),
  );
}

export async function translateAllCapped(pages: string[]) {
  const out: string[] = [];
  for (const page of pages) {
    // case: maxOutputTokens in the config
    // ok: llm-call-without-token-cap
    const response = await genai.models.generateContent({
      model: "gemini-2.5-flash",
      contents: `Translate to French:\n${page}`,
      config: { maxOutputTokens: 2000 },
    });
    out.push(response.text ?? "");
  }
  return out;
}

export async function draftReplies(threads: Map<string, string>) {
  const drafts = new Map<string, string>();
  for (const [id, text] of threads) {
    // case: Bedrock Converse per thread without inferenceConfig
    // ruleid: llm-call-without-token-cap
    const response = await bedrock.converse({
      modelId: "anthropic.claude-3-5-haiku-20241022-v1:0",
      messages: [{ role: "user", content: [{ text: `Draft a reply:\n${text}` }] }],
      inferenceConfig: { maxTokens: 1024 },
    });
    drafts.set(id, response.output?.message?.content?.[0]?.text ?? "");
  }
  return drafts;
}

export async function draftRepliesCapped(threads: Map<string, string>) {
  const drafts = new Map<string, string>();
  for (const [id, text] of threads) {
    // case: inferenceConfig.maxTokens caps each reply
    // ok: llm-call-without-token-cap
    const response = await bedrock.converse({
      modelId: "anthropic.claude-3-5-haiku-20241022-v1:0",
      messages: [{ role: "user", content: [{ text: `Draft a reply:\n${text}` }] }],
      inferenceConfig: { maxTokens: 512 },
    });
    drafts.set(id, response.output?.message?.content?.[0]?.text ?? "");
  }
  return drafts;
}

export async function tagDocuments(docs: string[]) {
  const tags: string[] = [];
  let i = 0;
  while (i < docs.length) {
    // case: Ollama chat per document with no num_predict
    // ruleid: llm-call-without-token-cap
    const reply = await ollama.chat({ model: "llama3.2", messages: [{ role: "user", content: `Tags for: ${docs[i]}` }], options: { num_predict: 1024 } });
    tags.push(reply.message.content);
    i++;
  }
  return tags;
}

export async function tagDocumentsCapped(docs: string[]) {
  const tags: string[] = [];
  for (const doc of docs) {
    // case: num_predict in the options caps the output
    // ok: llm-call-without-token-cap
    const reply = await ollama.chat({ model: "llama3.2", messages: [{ role: "user", content: `Tags for: ${doc}` }], options: { num_predict: 64 } });
    tags.push(reply.message.content);
  }
  return tags;
}

export const explainError = tool({
  description: "Explain an error from the service logs",
  inputSchema: z.object({ excerpt: z.string() }),
  execute: async ({ excerpt }) => {
    // case: Cohere chat inside an agent tool, once per tool call
    // ruleid: llm-call-without-token-cap
    const response = await cohere.chat({ model: "command-r-plus-08-2024", messages: [{ role: "user", content: `Explain:\n${excerpt}` }], maxTokens: 1024 });
    return response.message?.content?.[0]?.text ?? "";
  },
});

export async function releaseNotes(changelog: string) {
  // case: a plain function, called once from the release script
  // ok: llm-call-without-token-cap
  const { text } = await generateText({ model: openai("gpt-4.1-mini"), prompt: `Release notes for:\n${changelog}` });
  return text;
}

// case: a one-off call when the script starts
// ok: llm-call-without-token-cap
const greeting = await client.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: "Say hello to the team." }] });
console.log(greeting.choices[0].message.content);
