// Spreadsheet formula assistant: the model writes formulas and row transforms.
import { readFileSync } from "node:fs";
import * as vm from "node:vm";

import Anthropic from "@anthropic-ai/sdk";
import { BedrockRuntimeClient, ConverseCommand, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { openai } from "@ai-sdk/openai";
import { GoogleGenAI } from "@google/genai";
import { InferenceClient } from "@huggingface/inference";
import { pipeline } from "@huggingface/transformers";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { ChatOpenAI } from "@langchain/openai";
import { OpenAI as LlamaOpenAI } from "@llamaindex/openai";
import { Mistral } from "@mistralai/mistralai";
import { generateText, streamText } from "ai";
import { CohereClientV2 } from "cohere-ai";
import express from "express";
import { Document, VectorStoreIndex } from "llamaindex";
import ollama from "ollama";
import OpenAI from "openai";
import { z } from "zod";

const client = new OpenAI();
const anthropic = new Anthropic();
const genai = new GoogleGenAI({});
const chatModel = new ChatOpenAI({ model: "gpt-4.1-mini", temperature: 0 });
const llamaLlm = new LlamaOpenAI({ model: "gpt-4.1-mini" });
const mistral = new Mistral({ apiKey: process.env.MISTRAL_API_KEY ?? "" });
const cohere = new CohereClientV2({ token: process.env.COHERE_API_KEY });
const bedrock = new BedrockRuntimeClient({ region: "us-east-1" });
const hf = new InferenceClient(process.env.HF_TOKEN);
const app = express();
app.use(express.json());

const CODE_ONLY = "Answer with JavaScript only. The rows are in `rows`.";
const FORMULA_PRELUDE = "const sum = (xs) => xs.reduce((a, b) => a + b, 0);";
const APPROVED_NORMALISER = "rows = rows.filter((r) => r.amount != null);";

const ChartSpec = z.object({
  kind: z.enum(["bar", "line", "pie"]),
  x: z.string(),
  y: z.string(),
});

type Row = Record<string, unknown>;

export async function computeColumn(rows: Row[], question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      { role: "system", content: CODE_ONLY },
      { role: "user", content: question },
    ],
  });
  const code = completion.choices[0].message.content ?? "";
  // case: chat completion content straight into eval
  // ruleid: llm-output-to-eval
  return JSON.parse(code);
}

export async function buildRowFilter(question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: question }],
    tools: [
      {
        type: "function",
        function: {
          name: "define_filter",
          parameters: {
            type: "object",
            properties: { body: { type: "string" } },
            required: ["body"],
          },
        },
      },
    ],
  });
  const call = completion.choices[0].message.tool_calls?.[0];
  if (call?.type !== "function") return null;
  const args = JSON.parse(call.function.arguments);
  // case: a field of parsed tool-call arguments is still model output
  // ruleid: llm-output-to-eval
  return new Function("row", args.body);
}

export async function runFormula(rows: Row[], formula: string) {
  const response = await client.responses.create({
    model: "gpt-4.1-mini",
    instructions: CODE_ONLY,
    input: `Translate this spreadsheet formula to JavaScript: ${formula}`,
  });
  const sandbox = { rows, result: undefined };
  // case: Responses output_text in a vm context (vm is not a sandbox)
  // ruleid: llm-output-to-eval
  vm.runInNewContext(response.output_text, sandbox);
  return sandbox.result;
}

export async function runFencedSnippet(question: string) {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    messages: [{ role: "user", content: `${CODE_ONLY}\n${question}` }],
  });
  const block = msg.content[0];
  const text = block.type === "text" ? block.text : "";
  const snippet = text.match(/```(?:js)?\n([\s\S]*?)```/)?.[1] ?? "";
  // case: code block pulled out of an Anthropic reply with a regex
  // ruleid: llm-output-to-eval
  return vm.runInThisContext(snippet);
}

export async function geminiTransform(rows: Row[], question: string) {
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `${CODE_ONLY}\n${question}`,
  });
  const code = response.text ?? "";
  const context = vm.createContext({ rows });
  // case: Gemini text compiled as a vm.Script
  // ruleid: llm-output-to-eval
  return new vm.Script(code).runInContext(context);
}

export async function langchainMapper(question: string) {
  const reply = await chatModel.invoke(`${CODE_ONLY}\nWrite the body of map(row): ${question}`);
  const body = reply.content as string;
  // case: LangChain message content as a Function body, called without `new`
  // ruleid: llm-output-to-eval
  return Function("row", body);
}

export async function chainedAggregate(rows: Row[], question: string) {
  const prompt = ChatPromptTemplate.fromMessages([
    ["system", CODE_ONLY],
    ["human", "{question}"],
  ]);
  const chain = prompt.pipe(chatModel).pipe(new StringOutputParser());
  const source = await chain.invoke({ question });
  const context = vm.createContext({ rows });
  // case: LCEL chain output run in an existing context
  // ruleid: llm-output-to-eval
  return vm.runInContext(source, context);
}

export async function runbookFormula(docs: Document[], task: string) {
  const index = await VectorStoreIndex.fromDocuments(docs);
  const queryEngine = index.asQueryEngine();
  const answer = await queryEngine.query({ query: `Which JavaScript expression computes: ${task}` });
  // case: LlamaIndex query answer evaluated
  // ruleid: llm-output-to-eval
  return JSON.parse(answer.response);
}

export async function completeAndWrap(rows: Row[], task: string) {
  const { text } = await llamaLlm.complete({ prompt: `${CODE_ONLY}\n${task}` });
  const sandbox = { rows, result: undefined };
  // case: LlamaIndex completion wrapped in a template literal
  // ruleid: llm-output-to-eval
  vm.runInNewContext(`result = (() => { ${text} })();`, sandbox);
  return sandbox.result;
}

async function draftTransform(spec: string): Promise<string> {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    system: CODE_ONLY,
    prompt: `Write the body of transform(row) that ${spec}`,
  });
  return text;
}

export async function compileTransform(spec: string) {
  const body = await draftTransform(spec);
  // case: same-file helper returns generateText output
  // ruleid: llm-output-to-eval
  return new Function("row", FORMULA_PRELUDE + "\n" + body);
}

export async function streamedFormula(rows: Row[], question: string) {
  const result = streamText({
    model: openai("gpt-4.1-mini"),
    prompt: `${CODE_ONLY}\n${question}`,
  });
  let code = "";
  for await (const delta of result.textStream) {
    code += delta;
  }
  // case: streamText deltas accumulated into one string
  // ruleid: llm-output-to-eval
  return JSON.parse(code);
}

// Runs in the browser build: a macro recorder that asks the model for the next step.
export class MacroPlayer {
  private client: OpenAI;

  constructor(apiKey: string) {
    this.client = new OpenAI({ apiKey, dangerouslyAllowBrowser: true });
  }

  async playNext(goal: string) {
    const completion = await this.client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [{ role: "user", content: `Next macro step as JavaScript for: ${goal}` }],
    });
    const macro = completion.choices[0].message.content ?? "";
    // case: a string handler makes setTimeout evaluate it
    // ruleid: llm-output-to-eval
    setTimeout(macro, 0);
  }

  async pollWith(goal: string) {
    const completion = await this.client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [{ role: "user", content: `A JavaScript refresh statement for: ${goal}` }],
    });
    // case: string handler on setInterval, read through this.client
    // ruleid: llm-output-to-eval
    return setInterval(completion.choices[0].message.content ?? "", 5000);
  }

  async scheduleRender(goal: string, render: (text: string) => void) {
    const completion = await this.client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [{ role: "user", content: goal }],
    });
    const text = completion.choices[0].message.content ?? "";
    // case: a function handler; the model text is only data passed to it
    // ok: llm-output-to-eval
    setTimeout(() => render(text), 0);
  }
}

export async function parseFilters(question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    response_format: { type: "json_object" },
    messages: [{ role: "user", content: `Return the filters as JSON: ${question}` }],
  });
  // case: parsed as JSON data, never evaluated
  // ok: llm-output-to-eval
  return JSON.parse(completion.choices[0].message.content ?? "{}");
}

export async function chartSpec(question: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Describe the chart as JSON with kind, x, y: ${question}`,
  });
  // case: schema-validated with zod
  // ok: llm-output-to-eval
  return ChartSpec.parse(JSON.parse(text));
}

export async function discountedTotal(price: number, question: string) {
  const applyDiscount = new Function("price", "pct", "return price * (1 - pct / 100);");
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `Reply with the discount percentage only: ${question}`,
  });
  // case: constant Function body; the model only supplies a numeric argument
  // ok: llm-output-to-eval
  return applyDiscount(price, Number(response.text));
}

export async function applyHouseRules(rows: Row[]) {
  const sandbox = { rows };
  // case: code from a file shipped with the application
  // ok: llm-output-to-eval
  vm.runInNewContext(readFileSync("./rules/pricing.js", "utf8"), sandbox);
  return sandbox.rows;
}

export async function explainFormula(question: string) {
  const reply = await chatModel.invoke(`${CODE_ONLY}\n${question}`);
  // case: shown to the developer, not run
  // ok: llm-output-to-eval
  console.log(reply.content);
  return reply.content;
}

app.post("/api/suggest-formula", async (req, res) => {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `${CODE_ONLY}\n${req.body.question}`,
  });
  // case: returned to the UI as JSON for the user to copy
  // ok: llm-output-to-eval
  res.json({ suggestion: text });
});

export async function reviewFormula(question: string) {
  const draft = await llamaLlm.complete({ prompt: `${CODE_ONLY}\n${question}` });
  const review = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    system: "You review JavaScript for bugs.",
    messages: [
      // case: model text goes into a user message of a second call
      // ok: llm-output-to-eval
      { role: "user", content: `Review this code:\n${draft.text}` },
    ],
  });
  return review.content;
}

export async function weightedScore(rows: Row[], question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    response_format: { type: "json_object" },
    messages: [{ role: "user", content: `JSON with numeric "weight" for: ${question}` }],
  });
  const plan = JSON.parse(completion.choices[0].message.content ?? "{}");
  const weight = Number(plan.weight);
  const sandbox = { rows, result: 0 };
  // case: only a number from the parsed reply reaches the code
  // ok: llm-output-to-eval
  vm.runInNewContext(`${FORMULA_PRELUDE} result = sum(rows.map((r) => r.score)) * ${weight};`, sandbox);
  return sandbox.result;
}

export async function normaliseIfApproved(rows: Row[], summary: string) {
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `Should empty rows be dropped? Answer yes or no.\n${summary}`,
  });
  if (response.text?.trim().toLowerCase() === "yes") {
    const sandbox = { rows };
    // case: the model only picks a branch; the code run is constant
    // ok: llm-output-to-eval
    vm.runInNewContext(APPROVED_NORMALISER, sandbox);
    return sandbox.rows;
  }
  return rows;
}

export async function sortRows(rows: Row[], question: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Answer "asc" or "desc": how should the rows be sorted for ${question}?`,
  });
  const descending = text.trim() === "desc";
  const sandbox = { rows };
  // case: a comparison of the reply selects between two constant snippets
  // ok: llm-output-to-eval
  vm.runInNewContext(`rows.sort((a, b) => ${descending ? "b.v - a.v" : "a.v - b.v"});`, sandbox);
  return sandbox.rows;
}

export async function mistralColumn(rows: Row[], question: string) {
  const completion = await mistral.chat.complete({
    model: "codestral-latest",
    messages: [
      { role: "system", content: CODE_ONLY },
      { role: "user", content: question },
    ],
  });
  const code = String(completion.choices?.[0]?.message?.content ?? "");
  const sandbox = { rows, result: undefined };
  // case: Mistral chat completion run in a vm context
  // ruleid: llm-output-to-eval
  vm.runInNewContext(code, sandbox);
  return sandbox.result;
}

export async function mistralFilters(question: string) {
  const completion = await mistral.chat.complete({
    model: "mistral-small-latest",
    responseFormat: { type: "json_object" },
    messages: [{ role: "user", content: `Return the filters as JSON: ${question}` }],
  });
  // case: Mistral reply parsed as JSON data, never evaluated
  // ok: llm-output-to-eval
  return JSON.parse(String(completion.choices?.[0]?.message?.content ?? "{}"));
}

export async function cohereFormula(question: string) {
  const response = await cohere.chat({
    model: "command-a-03-2025",
    messages: [{ role: "user", content: `One JavaScript expression for: ${question}` }],
  });
  const block = response.message?.content?.[0];
  // case: Cohere v2 message text evaluated
  // ruleid: llm-output-to-eval
  return JSON.parse(block?.type === "text" ? block.text : "0");
}

export async function cohereChart(question: string) {
  const response = await cohere.chat({
    model: "command-a-03-2025",
    messages: [{ role: "user", content: `Describe the chart as JSON with kind, x, y: ${question}` }],
  });
  const block = response.message?.content?.[0];
  // case: Cohere reply parsed and validated with a zod schema
  // ok: llm-output-to-eval
  return ChartSpec.parse(JSON.parse(block?.type === "text" ? block.text : "{}"));
}

export async function bedrockFormula(question: string) {
  const response = await bedrock.send(
    new InvokeModelCommand({
      modelId: "anthropic.claude-3-5-haiku-20241022-v1:0",
      contentType: "application/json",
      body: JSON.stringify({
        anthropic_version: "bedrock-2023-05-31",
        max_tokens: 256,
        messages: [{ role: "user", content: `One JavaScript expression for: ${question}` }],
      }),
    }),
  );
  const payload = JSON.parse(new TextDecoder().decode(response.body));
  // case: InvokeModel body decoded, parsed and its text evaluated
  // ruleid: llm-output-to-eval
  return JSON.parse(payload.content[0].text);
}

export async function bedrockExplain(question: string) {
  const response = await bedrock.send(
    new ConverseCommand({
      modelId: "anthropic.claude-3-5-haiku-20241022-v1:0",
      messages: [{ role: "user", content: [{ text: `${CODE_ONLY}\n${question}` }] }],
    }),
  );
  // case: Bedrock Converse text shown to the developer, not run
  // ok: llm-output-to-eval
  console.log(response.output?.message?.content?.[0]?.text);
}

export async function ollamaTransform(rows: Row[], question: string) {
  const response = await ollama.chat({
    model: "qwen2.5-coder",
    messages: [{ role: "user", content: `Write the body of transform(row) for: ${question}` }],
  });
  // case: Ollama reply becomes the body of a Function
  // ruleid: llm-output-to-eval
  const transform = new Function("row", response.message.content);
  return rows.map((row) => transform(row));
}

export async function ollamaWeights(question: string) {
  const response = await ollama.generate({
    model: "qwen2.5-coder",
    format: "json",
    prompt: `JSON object of column weights for: ${question}`,
  });
  // case: Ollama JSON-mode reply parsed as data
  // ok: llm-output-to-eval
  return JSON.parse(response.response);
}

export async function localFormula(question: string) {
  const generator = await pipeline("text-generation", "onnx-community/Qwen2.5-Coder-0.5B-Instruct");
  const output = await generator(`${CODE_ONLY}\n${question}`, { max_new_tokens: 128, return_full_text: false });
  const code = (output[0] as { generated_text: string }).generated_text;
  // case: Transformers.js pipeline output evaluated
  // ruleid: llm-output-to-eval
  return JSON.parse(code);
}

export async function hfFormula(question: string) {
  const completion = await hf.chatCompletion({
    model: "Qwen/Qwen2.5-Coder-32B-Instruct",
    messages: [{ role: "user", content: `One JavaScript expression for: ${question}` }],
  });
  const sandbox = { result: 0 };
  // case: Hugging Face chat completion run in a vm context
  // ruleid: llm-output-to-eval
  vm.runInNewContext(`result = ${completion.choices[0].message.content}`, sandbox);
  return sandbox.result;
}

app.post("/api/local-suggest", async (req, res) => {
  const generator = await pipeline("text-generation", "onnx-community/Qwen2.5-Coder-0.5B-Instruct");
  const output = await generator(`${CODE_ONLY}\n${req.body.question}`, { max_new_tokens: 128 });
  // case: local pipeline output returned as JSON for the UI
  // ok: llm-output-to-eval
  res.json({ suggestion: output });
});
