// Knowledge-base assistant: the model finds, files and serves documents from a shared folder.
import { createHash, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import { readFile } from "node:fs/promises";
import * as path from "node:path";

import Anthropic from "@anthropic-ai/sdk";
import { openai } from "@ai-sdk/openai";
import { GoogleGenAI } from "@google/genai";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { ChatOpenAI } from "@langchain/openai";
import { generateObject, generateText, streamText } from "ai";
import express from "express";
import { Document, VectorStoreIndex } from "llamaindex";
import OpenAI from "openai";
import { z } from "zod";

const client = new OpenAI();
const anthropic = new Anthropic();
const genai = new GoogleGenAI({});
const chatModel = new ChatOpenAI({ model: "gpt-4.1-mini", temperature: 0 });
const app = express();
app.use(express.json());

const ROOT = "/srv/kb";
const DOCS_DIR = path.join(ROOT, "docs");
const UPLOAD_DIR = path.join(ROOT, "uploads");
const EXPORT_DIR = path.join(ROOT, "exports");
const PICK_FILE = "Reply with the relative path of one document and nothing else.";
const ALLOWED_TEMPLATES = new Set(["meeting.md", "standup.md", "retro.md"]);
const REPORTS: Record<string, string> = {
  weekly: "/srv/kb/reports/weekly.md",
  monthly: "/srv/kb/reports/monthly.md",
};

export async function readDocument(question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      { role: "system", content: PICK_FILE },
      { role: "user", content: question },
    ],
  });
  const name = completion.choices[0].message.content?.trim() ?? "";
  // case: chat completion picks the file; path.join does not stop ../ or an absolute path
  // ruleid: llm-output-to-path
  const resolvedPath = path.resolve(path.join(DOCS_DIR, name));
  if (!resolvedPath.startsWith(path.resolve(DOCS_DIR) + path.sep)) throw new Error(`path outside ${DOCS_DIR}: ${resolvedPath}`);
  return fs.readFileSync(resolvedPath, "utf8");
}

export async function saveDocumentTool(instruction: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: instruction }],
    tools: [
      {
        type: "function",
        function: {
          name: "save_document",
          parameters: {
            type: "object",
            properties: { path: { type: "string" }, content: { type: "string" } },
            required: ["path", "content"],
          },
        },
      },
    ],
  });
  const call = completion.choices[0].message.tool_calls?.[0];
  if (call?.type !== "function") return;
  const args = JSON.parse(call.function.arguments);
  // case: the path field of parsed tool-call arguments, written to
  // ruleid: llm-output-to-path
  fs.writeFileSync(args.path, args.content);
}

export async function openWithResponses(question: string) {
  const response = await client.responses.create({
    model: "gpt-4.1-mini",
    instructions: PICK_FILE,
    input: question,
  });
  // case: Responses output_text read through fs.promises
  // ruleid: llm-output-to-path
  return fs.promises.readFile(response.output_text.trim(), "utf8");
}

export async function deleteStaleUpload(listing: string) {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 256,
    messages: [{ role: "user", content: `Which upload here is stale? Reply with its path only.\n${listing}` }],
  });
  const block = msg.content[0];
  const stale = block.type === "text" ? block.text.trim() : "";
  // case: Anthropic text chooses the file unlinkSync deletes
  // ruleid: llm-output-to-path
  const resolvedPath = path.resolve(path.join(UPLOAD_DIR, stale));
  if (!resolvedPath.startsWith(path.resolve(UPLOAD_DIR) + path.sep)) throw new Error(`path outside ${UPLOAD_DIR}: ${resolvedPath}`);
  fs.unlinkSync(resolvedPath);
}

export async function dropProject(description: string) {
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `Which project folder is finished? Folder name only.\n${description}`,
  });
  const folder = response.text?.trim() ?? "";
  // case: Gemini text in a template literal, removed recursively
  // ruleid: llm-output-to-path
  const resolvedPath = path.resolve(`${ROOT}/projects/${folder}`);
  if (!resolvedPath.startsWith(path.resolve(ROOT) + path.sep)) throw new Error(`path outside ${ROOT}: ${resolvedPath}`);
  fs.rmSync(resolvedPath, { recursive: true, force: true });
}

app.get("/api/preview", async (req, res) => {
  const reply = await chatModel.invoke(`${PICK_FILE}\n${req.query.q}`);
  const relative = reply.content as string;
  // case: LangChain message content streamed back to the client
  // ruleid: llm-output-to-path
  const resolvedPath = path.resolve(path.join(DOCS_DIR, relative));
  if (!resolvedPath.startsWith(path.resolve(DOCS_DIR) + path.sep)) throw new Error(`path outside ${DOCS_DIR}: ${resolvedPath}`);
  fs.createReadStream(resolvedPath).pipe(res);
});

export async function exportNotes(notes: string) {
  const prompt = ChatPromptTemplate.fromMessages([
    ["system", "Suggest a file name for this export."],
    ["human", "{notes}"],
  ]);
  const chain = prompt.pipe(chatModel).pipe(new StringOutputParser());
  const fileName = await chain.invoke({ notes });
  // case: LCEL chain output is the destination; path.resolve returns an absolute answer as is
  // ruleid: llm-output-to-path
  const resolvedPath = path.resolve(EXPORT_DIR, fileName);
  if (!resolvedPath.startsWith(path.resolve(EXPORT_DIR) + path.sep)) throw new Error(`path outside ${EXPORT_DIR}: ${resolvedPath}`);
  const out = fs.createWriteStream(resolvedPath);
  out.end(notes);
}

export async function browseFolder(docs: Document[], question: string) {
  const index = await VectorStoreIndex.fromDocuments(docs);
  const queryEngine = index.asQueryEngine();
  const answer = await queryEngine.query({ query: `Which folder holds documents about: ${question}` });
  // case: LlamaIndex query answer lists any directory
  // ruleid: llm-output-to-path
  const resolvedPath = path.resolve(path.join(DOCS_DIR, answer.response.trim()));
  if (!resolvedPath.startsWith(path.resolve(DOCS_DIR) + path.sep)) throw new Error(`path outside ${DOCS_DIR}: ${resolvedPath}`);
  return fs.readdirSync(resolvedPath);
}

app.get("/api/document", async (req, res) => {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    system: PICK_FILE,
    prompt: String(req.query.q),
  });
  // case: destructured generateText output served by res.sendFile
  // ruleid: llm-output-to-path
  const resolvedPath = path.resolve(path.join(DOCS_DIR, text.trim()));
  if (!resolvedPath.startsWith(path.resolve(DOCS_DIR) + path.sep)) throw new Error(`path outside ${DOCS_DIR}: ${resolvedPath}`);
  res.sendFile(resolvedPath);
});

app.get("/api/attachment", async (req, res) => {
  const { object } = await generateObject({
    model: openai("gpt-4.1-mini"),
    schema: z.object({ file: z.string(), reason: z.string() }),
    prompt: `Which attachment answers: ${req.query.q}`,
  });
  // case: a free-form string field of generateObject output, sent by res.download
  // ruleid: llm-output-to-path
  res.download(object.file);
});

export async function streamReport(topic: string) {
  const result = streamText({
    model: openai("gpt-4.1-mini"),
    prompt: `Reply with a file name for the ${topic} report.`,
  });
  let target = "";
  for await (const delta of result.textStream) {
    target += delta;
  }
  // case: streamed deltas accumulated into the path of a callback-style writeFile
  // ruleid: llm-output-to-path
  const resolvedPath = path.resolve(path.join(EXPORT_DIR, target));
  if (!resolvedPath.startsWith(path.resolve(EXPORT_DIR) + path.sep)) throw new Error(`path outside ${EXPORT_DIR}: ${resolvedPath}`);
  fs.writeFile(resolvedPath, `# ${topic}\n`, (err) => {
    if (err) console.error(err);
  });
}

async function pickDocument(question: string): Promise<string> {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      { role: "system", content: PICK_FILE },
      { role: "user", content: question },
    ],
  });
  return completion.choices[0].message.content?.trim() ?? "";
}

export async function quoteDocument(question: string) {
  const relative = await pickDocument(question);
  // case: same-file helper returns the model's choice, read with a named fs/promises import
  // ruleid: llm-output-to-path
  const body = await readFile(DOCS_DIR + "/" + relative, "utf8");
  return body.slice(0, 500);
}

export async function readUploadCallback(question: string, done: (body: string) => void) {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 128,
    messages: [{ role: "user", content: `${PICK_FILE}\n${question}` }],
  });
  const block = msg.content[0];
  if (block.type !== "text") return;
  // case: Anthropic text in a template literal, read with callback-style fs.readFile
  // ruleid: llm-output-to-path
  const resolvedPath = path.resolve(`${UPLOAD_DIR}/${block.text}`);
  if (!resolvedPath.startsWith(path.resolve(UPLOAD_DIR) + path.sep)) throw new Error(`path outside ${UPLOAD_DIR}: ${resolvedPath}`);
  fs.readFile(resolvedPath, "utf8", (err, body) => done(err ? "" : body));
}

export class DocumentFiler {
  private client: OpenAI;

  constructor() {
    this.client = new OpenAI();
  }

  async file(body: string) {
    const completion = await this.client.chat.completions.create({
      model: "gpt-4.1-mini",
      response_format: { type: "json_object" },
      messages: [{ role: "user", content: `JSON with "path" under docs/ for this document:\n${body}` }],
    });
    const { path: relative } = JSON.parse(completion.choices[0].message.content ?? "{}");
    // case: this.client reply, destructured from JSON, written through fs.promises
    // ruleid: llm-output-to-path
    const resolvedPath = path.resolve(path.join(DOCS_DIR, relative));
    if (!resolvedPath.startsWith(path.resolve(DOCS_DIR) + path.sep)) throw new Error(`path outside ${DOCS_DIR}: ${resolvedPath}`);
    await fs.promises.writeFile(resolvedPath, body);
  }
}

export async function summarizeGuide(question: string) {
  // case: a constant path; the model only reads the result
  // ok: llm-output-to-path
  const guide = fs.readFileSync("/srv/kb/README.md", "utf8");
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: `${guide}\n\n${question}` }],
  });
  return completion.choices[0].message.content;
}

export async function writeDigest(notes: string) {
  const reply = await chatModel.invoke(`Write a digest of these notes:\n${notes}`);
  // case: the model's text is the file content, the path is constant
  // ok: llm-output-to-path
  fs.writeFileSync("/srv/kb/digest.md", reply.content as string);
}

export async function readByBasename(question: string) {
  const name = path.basename(await pickDocument(question));
  // case: basename leaves a bare file name, which cannot leave the folder
  // ok: llm-output-to-path
  return fs.readFileSync(path.join(DOCS_DIR, name), "utf8");
}

export async function openReport(question: string) {
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `Which report answers this, weekly or monthly? One word.\n${question}`,
  });
  const file = REPORTS[response.text?.trim().toLowerCase() ?? ""] ?? REPORTS.weekly;
  // case: the model picks a key; the path comes from a constant map
  // ok: llm-output-to-path
  return fs.readFileSync(file, "utf8");
}

export async function loadTemplate(meeting: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Which template fits, one of ${[...ALLOWED_TEMPLATES].join(", ")}?\n${meeting}`,
  });
  const template = text.trim();
  if (!ALLOWED_TEMPLATES.has(template)) throw new Error(`unknown template ${template}`);
  // case: checked against an allowlist first
  // ok: llm-output-to-path
  return readFile(path.join(ROOT, "templates", template), "utf8");
}

export async function summaryOrFull(question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: `Is a summary enough for: ${question}? yes or no` }],
  });
  const short = completion.choices[0].message.content?.trim().toLowerCase() === "yes";
  // case: a comparison of the reply selects between two constant paths
  // ok: llm-output-to-path
  return fs.readFileSync(path.join(ROOT, short ? "summary.md" : "full.md"), "utf8");
}

export async function exportAnswer(question: string) {
  const reply = await chatModel.invoke(question);
  const target = path.join(EXPORT_DIR, `${randomUUID()}.md`);
  // case: a file name from randomUUID, the model's text is only the content
  // ok: llm-output-to-path
  await fs.promises.writeFile(target, reply.content as string);
  return target;
}

export async function cacheAnswer(question: string) {
  const response = await genai.models.generateContent({ model: "gemini-2.5-flash", contents: question });
  const answer = response.text ?? "";
  const key = createHash("sha256").update(answer).digest("hex");
  // case: a file name from a hash of the reply, only hex digits
  // ok: llm-output-to-path
  fs.writeFileSync(path.join(ROOT, ".cache", `${key}.txt`), answer);
}

export async function readContained(question: string) {
  const full = path.resolve(DOCS_DIR, await pickDocument(question));
  if (!full.startsWith(DOCS_DIR + path.sep)) throw new Error(`outside the docs folder: ${full}`);
  // case: resolved and checked to stay inside the docs folder
  // ok: llm-output-to-path
  return fs.readFileSync(full, "utf8");
}

export async function logSuggestion(question: string) {
  const suggestion = await pickDocument(question);
  // case: logged for the operator, never opened
  // ok: llm-output-to-path
  console.log(`model suggested ${suggestion}`);
}

app.get("/api/suggest", async (req, res) => {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    system: PICK_FILE,
    prompt: String(req.query.q),
  });
  // case: returned to the UI as a suggestion, never opened
  // ok: llm-output-to-path
  res.json({ suggestedPath: text.trim() });
});

app.get("/api/raw", async (req, res) => {
  const name = await pickDocument(String(req.query.q));
  // case: with the root option, send refuses ".." and resolves the name under root
  // ok: llm-output-to-path
  res.sendFile(name, { root: DOCS_DIR });
});

export async function readPage(question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: `Which page number answers: ${question}? Digits only.` }],
  });
  const page = Number.parseInt(completion.choices[0].message.content ?? "", 10);
  // case: only a number from the reply reaches the path
  // ok: llm-output-to-path
  return fs.readFileSync(`${ROOT}/pages/${page}.md`, "utf8");
}
