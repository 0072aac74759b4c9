// Dashboard builder: the model drafts widget configs and relays saved widget state between tools.
import { readFileSync } from "node:fs";

import Anthropic from "@anthropic-ai/sdk";
import { openai } from "@ai-sdk/openai";
import { GoogleGenAI } from "@google/genai";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { ChatOpenAI } from "@langchain/openai";
import { generateObject, generateText, streamText } from "ai";
import Cryo from "cryo";
import express from "express";
import yaml from "js-yaml";
import jsTypes from "js-yaml-js-types";
import { Document, VectorStoreIndex } from "llamaindex";
import serialize, { unserialize } from "node-serialize";
import OpenAI from "openai";
import { createClient } from "redis";
import serializeJavascript from "serialize-javascript";
import YAML from "yaml";
import { z } from "zod";

const client = new OpenAI();
const anthropic = new Anthropic();
const genai = new GoogleGenAI({});
const chatModel = new ChatOpenAI({ model: "gpt-4.1-mini", temperature: 0 });
const redis = createClient();
const app = express();
app.use(express.json());

const RELAY = "Copy the `state` field of the last tool result verbatim.";
const YAML_ONLY = "Answer with one YAML document only, no prose and no code fences.";
// Adds !!js/function, !!js/regexp and !!js/undefined to js-yaml 4's safe default schema.
const SCRIPTABLE_SCHEMA = yaml.DEFAULT_SCHEMA.extend(jsTypes.all);

const WidgetConfig = z.object({
  title: z.string(),
  kind: z.enum(["chart", "table", "counter"]),
  query: z.string(),
});

export async function restoreWidget(widgetId: string, transcript: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      { role: "system", content: RELAY },
      { role: "user", content: `Widget ${widgetId}:\n${transcript}` },
    ],
  });
  const saved = completion.choices[0].message.content ?? "{}";
  // case: chat completion content into node-serialize
  // ruleid: llm-output-to-deserialization
  return JSON.parse(saved);
}

export async function applyToolCall(question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: question }],
    tools: [
      {
        type: "function",
        function: {
          name: "restore_widget",
          parameters: {
            type: "object",
            properties: { state: { type: "string" } },
            required: ["state"],
          },
        },
      },
    ],
  });
  const call = completion.choices[0].message.tool_calls?.[0];
  if (call?.type !== "function") return null;
  const args = JSON.parse(call.function.arguments);
  // case: a field of parsed tool-call arguments, through the named import
  // ruleid: llm-output-to-deserialization
  return unserialize(args.state);
}

export async function thawLayout(dashboardId: string) {
  const response = await client.responses.create({
    model: "gpt-4.1-mini",
    instructions: RELAY,
    input: `Layout of dashboard ${dashboardId}`,
  });
  // case: Responses output_text into Cryo, which rebuilds functions
  // ruleid: llm-output-to-deserialization
  return Cryo.parse(response.output_text);
}

export async function draftWidgetYaml(request: string) {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 2048,
    messages: [{ role: "user", content: `${YAML_ONLY}\nWidget for: ${request}` }],
  });
  const block = msg.content[0];
  const text = block.type === "text" ? block.text : "";
  // case: Anthropic text loaded with a schema that builds functions
  // ruleid: llm-output-to-deserialization
  return yaml.load(text);
}

export async function geminiPreset(description: string) {
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `${RELAY}\n${description}`,
  });
  const preset = (response.text ?? "{}").trim();
  // case: Gemini text, trimmed, into node-serialize
  // ruleid: llm-output-to-deserialization
  return JSON.parse(preset);
}

export async function langchainFormatter(spec: string) {
  const reply = await chatModel.invoke(`${RELAY}\nFormatter for: ${spec}`);
  // case: LangChain message content into Cryo
  // ruleid: llm-output-to-deserialization
  return Cryo.parse(reply.content as string);
}

export async function chainedManifests(request: string) {
  const prompt = ChatPromptTemplate.fromMessages([
    ["system", YAML_ONLY],
    ["human", "{request}"],
  ]);
  const chain = prompt.pipe(chatModel).pipe(new StringOutputParser());
  const source = await chain.invoke({ request });
  const docs: unknown[] = [];
  // case: LCEL chain output through loadAll with the scriptable schema
  // ruleid: llm-output-to-deserialization
  yaml.loadAll(source, (doc) => docs.push(doc));
  return docs;
}

export async function presetFromDocs(docs: Document[], task: string) {
  const index = await VectorStoreIndex.fromDocuments(docs);
  const queryEngine = index.asQueryEngine();
  const answer = await queryEngine.query({ query: `${RELAY}\nPreset for: ${task}` });
  // case: LlamaIndex query answer into node-serialize
  // ruleid: llm-output-to-deserialization
  return JSON.parse(answer.response);
}

async function fetchSavedState(widgetId: string): Promise<string> {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    system: RELAY,
    prompt: `Saved state of widget ${widgetId}`,
  });
  return text;
}

export async function reopenWidget(widgetId: string) {
  const frozen = await fetchSavedState(widgetId);
  // case: same-file helper returns generateText output
  // ruleid: llm-output-to-deserialization
  return Cryo.parse(frozen);
}

app.post("/api/widgets/import", async (req, res) => {
  const { object } = await generateObject({
    model: openai("gpt-4.1-mini"),
    schema: z.object({ title: z.string(), state: z.string() }),
    prompt: `${RELAY}\n${req.body.notes}`,
  });
  // case: a schema-checked string field of generateObject is still free text
  // ruleid: llm-output-to-deserialization
  const widget = unserialize(object.state);
  res.json({ title: object.title, widget });
});

export async function streamedTheme(request: string) {
  const result = streamText({
    model: openai("gpt-4.1-mini"),
    prompt: `${YAML_ONLY}\nDashboard theme for: ${request}`,
  });
  let document = "";
  for await (const delta of result.textStream) {
    document += delta;
  }
  // case: streamText deltas accumulated into one string
  // ruleid: llm-output-to-deserialization
  return yaml.load(document);
}

export class WidgetSync {
  private client: OpenAI;

  constructor(apiKey: string) {
    this.client = new OpenAI({ apiKey });
  }

  async pull(widgetId: string) {
    const completion = await this.client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [{ role: "user", content: `${RELAY}\nWidget ${widgetId}` }],
    });
    const [choice] = completion.choices;
    const { content } = choice.message;
    // case: destructured reply read through this.client
    // ruleid: llm-output-to-deserialization
    return Cryo.parse(content ?? "{}");
  }

  async pullConfig(widgetId: string) {
    const completion = await this.client.chat.completions.create({
      model: "gpt-4.1-mini",
      response_format: { type: "json_object" },
      messages: [{ role: "user", content: `Config of widget ${widgetId} as JSON` }],
    });
    // case: JSON.parse builds plain data only
    // ok: llm-output-to-deserialization
    return JSON.parse(completion.choices[0].message.content ?? "{}");
  }
}

export async function validatedWidget(request: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Widget config as JSON with title, kind, query: ${request}`,
  });
  // case: parsed as JSON and validated with zod
  // ok: llm-output-to-deserialization
  return WidgetConfig.parse(JSON.parse(text));
}

export async function plainYamlWidget(request: string) {
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `${YAML_ONLY}\nWidget for: ${request}`,
  });
  // case: js-yaml 4 load with its default schema has no JavaScript types
  // ok: llm-output-to-deserialization
  return yaml.load(response.text ?? "");
}

export async function jsonSchemaYaml(docs: Document[], task: string) {
  const index = await VectorStoreIndex.fromDocuments(docs);
  const answer = await index.asQueryEngine().query({ query: `${YAML_ONLY}\nWidget for: ${task}` });
  // case: an explicit safe schema
  // ok: llm-output-to-deserialization
  return yaml.load(answer.response, { schema: yaml.JSON_SCHEMA });
}

export async function yamlPackageWidget(request: string) {
  const reply = await chatModel.invoke(`${YAML_ONLY}\nWidget for: ${request}`);
  // case: the `yaml` package parses plain data unless custom tags are registered
  // ok: llm-output-to-deserialization
  return YAML.parse(reply.content as string);
}

export async function loadPreferences(userId: string, question: string) {
  // case: the application's own store, written by this service, not model output
  // ok: llm-output-to-deserialization
  const prefs = serialize.unserialize((await redis.get(`prefs:${userId}`)) ?? "{}");
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Preferences ${JSON.stringify(prefs)}. Question: ${question}`,
  });
  return text;
}

export async function savePreferences(userId: string, request: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Suggest a dashboard title for: ${request}`,
  });
  // case: serialising model text stores a string; nothing is rebuilt from it
  // ok: llm-output-to-deserialization
  await redis.set(`prefs:${userId}`, serialize.serialize({ title: text }));
}

export async function snapshotLayout(dashboardId: string) {
  const response = await client.responses.create({
    model: "gpt-4.1-mini",
    input: `Suggest a layout name for dashboard ${dashboardId}`,
  });
  // case: Cryo.stringify writes; only Cryo.parse reads functions back
  // ok: llm-output-to-deserialization
  return Cryo.stringify({ name: response.output_text, savedAt: new Date() });
}

export function defaultLayout() {
  // case: a preset shipped with the application, at a fixed path
  // ok: llm-output-to-deserialization
  return Cryo.parse(readFileSync("./presets/default-layout.cryo", "utf8"));
}

export async function hydrationScript(request: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Summarise the dashboard request: ${request}`,
  });
  // case: serialize-javascript only serialises, escaping HTML-significant characters
  // ok: llm-output-to-deserialization
  return `window.__SUMMARY__ = ${serializeJavascript({ summary: text })};`;
}

export async function cloneDraft(request: string) {
  const { object } = await generateObject({
    model: openai("gpt-4.1-mini"),
    schema: WidgetConfig,
    prompt: `Widget config for: ${request}`,
  });
  // case: structured clone copies plain data
  // ok: llm-output-to-deserialization
  return structuredClone(object);
}

app.post("/api/widgets/draft", async (req, res) => {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `${YAML_ONLY}\nWidget for: ${req.body.request}`,
  });
  // case: logged for the operator, never parsed
  // ok: llm-output-to-deserialization
  console.info("widget draft", text);
  // case: returned to the UI as text
  // ok: llm-output-to-deserialization
  res.json({ draft: text });
});
