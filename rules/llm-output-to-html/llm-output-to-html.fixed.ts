// Help-centre assistant: the answer widget, its server routes and the React answer card.
import Anthropic from "@anthropic-ai/sdk";
import { openai } from "@ai-sdk/openai";
import { GoogleGenAI } from "@google/genai";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { ChatOpenAI } from "@langchain/openai";
import { generateObject, generateText, streamText } from "ai";
import DOMPurify from "dompurify";
import escapeHtml from "escape-html";
import express from "express";
import $ from "jquery";
import { Document, VectorStoreIndex } from "llamaindex";
import MarkdownIt from "markdown-it";
import { marked } from "marked";
import OpenAI from "openai";
import { createElement } from "react";
import sanitizeHtml from "sanitize-html";
import { z } from "zod";

const genai = new GoogleGenAI({});
const chatModel = new ChatOpenAI({ model: "gpt-4.1-mini", temperature: 0 });
const app = express();
app.use(express.json());

const HTML_STYLE = "Answer as an HTML fragment using <p>, <ul> and <a> only.";
const MARKDOWN_STYLE = "Answer in GitHub-flavoured Markdown.";
const CARD_TEMPLATE = '<h3 class="card-title">Answer</h3><p class="card-body"></p>';

const ReleaseNote = z.object({
  title: z.string(),
  body: z.string(),
});

async function draftAnswer(question: string): Promise<string> {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    system: HTML_STYLE,
    prompt: question,
  });
  return text;
}

// ---- Server routes ----

app.post("/answer", async (req, res) => {
  const answer = await draftAnswer(req.body.question);
  // case: same-file helper returns model text; res.send of a string is text/html
  // ruleid: llm-output-to-html
  res.send(`<div class="answer">${answer}</div>`);
});

app.get("/status-page", async (req, res) => {
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `Write a one-paragraph status update for: ${req.query.service}`,
  });
  const page = "<!doctype html><html><body><main>" + (response.text ?? "") + "</main></body></html>";
  res.type("html");
  // case: Gemini text concatenated into a whole page
  // ruleid: llm-output-to-html
  res.send(page);
});

app.post("/api/answer", async (req, res) => {
  const text = await draftAnswer(req.body.question);
  // case: JSON response, rendered as text by the client
  // ok: llm-output-to-html
  res.json({ text });
});

app.post("/answer-escaped", async (req, res) => {
  const answer = await draftAnswer(req.body.question);
  // case: escape-html before the reply is placed in the page
  // ok: llm-output-to-html
  res.send(`<div class="answer">${escapeHtml(answer)}</div>`);
});

app.post("/answer-page", async (req, res) => {
  const answer = await draftAnswer(req.body.question);
  // case: a view template variable, escaped by the view engine (EJS <%= %>, Pug #{})
  // ok: llm-output-to-html
  res.render("answer", { answer });
});

app.post("/answer-rich", async (req, res) => {
  const answer = await draftAnswer(req.body.question);
  const safe = sanitizeHtml(answer, { allowedTags: ["p", "ul", "li", "a"], allowedAttributes: { a: ["href"] } });
  // case: sanitize-html keeps only the allowed tags and attributes
  // ok: llm-output-to-html
  res.send(`<div class="answer">${safe}</div>`);
});

// ---- React server components ----

export async function AnswerCard({ question }: { question: string }) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    system: HTML_STYLE,
    prompt: question,
  });
  return createElement("article", {
    className: "answer-card",
    // case: generateText output as __html (JSX: <article dangerouslySetInnerHTML={{ __html: text }} />)
    // ruleid: llm-output-to-html
    dangerouslySetInnerHTML: { __html: DOMPurify.sanitize(text) },
  });
}

export async function KnowledgeBaseAnswer({ docs, question }: { docs: Document[]; question: string }) {
  const index = await VectorStoreIndex.fromDocuments(docs);
  const answer = await index.asQueryEngine().query({ query: question });
  const html = marked(answer.response) as string;
  return createElement("section", {
    className: "kb-answer",
    // case: LlamaIndex answer rendered by marked, which does not sanitise
    // ruleid: llm-output-to-html
    dangerouslySetInnerHTML: { __html: DOMPurify.sanitize(html) },
  });
}

export async function PlainAnswerCard({ question }: { question: string }) {
  const text = await draftAnswer(question);
  // case: a child string is escaped by React (JSX: <p>{text}</p>)
  // ok: llm-output-to-html
  return createElement("p", { className: "answer-card" }, text);
}

export async function CleanAnswerCard({ question }: { question: string }) {
  const text = await draftAnswer(question);
  return createElement("article", {
    className: "answer-card",
    // case: sanitize-html before __html
    // ok: llm-output-to-html
    dangerouslySetInnerHTML: { __html: sanitizeHtml(text) },
  });
}

// ---- Browser widget (bundled separately for the side panel) ----

const browserClient = new OpenAI({ dangerouslyAllowBrowser: true });
const browserClaude = new Anthropic({ dangerouslyAllowBrowser: true });

function panel(selector: string): HTMLElement {
  return document.querySelector<HTMLElement>(selector)!;
}

export async function showAnswer(question: string) {
  const completion = await browserClient.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      { role: "system", content: HTML_STYLE },
      { role: "user", content: question },
    ],
  });
  const text = completion.choices[0].message.content ?? "";
  // case: chat completion content assigned to innerHTML
  // ruleid: llm-output-to-html
  panel("#answer").textContent = text;
}

export async function replaceCard(question: string) {
  const msg = await browserClaude.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    messages: [{ role: "user", content: `${HTML_STYLE}\n${question}` }],
  });
  const block = msg.content[0];
  const fragment = block.type === "text" ? block.text : "";
  // case: Anthropic reply replaces the element through outerHTML
  // ruleid: llm-output-to-html
  panel("#card").outerHTML = DOMPurify.sanitize(`<div id="card">${fragment}</div>`);
}

export async function streamIntoLog(question: string) {
  const result = streamText({
    model: openai("gpt-4.1-mini"),
    system: HTML_STYLE,
    prompt: question,
  });
  let reply = "";
  for await (const delta of result.textStream) {
    reply += delta;
  }
  // case: streamText deltas accumulated, then inserted as HTML
  // ruleid: llm-output-to-html
  panel("#log").insertAdjacentText("beforeend", reply);
}

export async function streamLive(question: string) {
  const stream = await browserClient.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: question }],
    stream: true,
  });
  const out = panel("#live");
  for await (const chunk of stream) {
    // case: each streamed delta appended to innerHTML
    // ruleid: llm-output-to-html
    out.textContent += chunk.choices[0]?.delta?.content ?? "";
  }
}

export async function printableAnswer(question: string) {
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `${HTML_STYLE}\n${question}`,
  });
  const popup = window.open("", "_blank")!;
  // case: Gemini text written into a new document
  // ruleid: llm-output-to-html
  popup.document.write(response.text ?? "");
  popup.document.close();
}

export async function printableSummary(ticket: string) {
  const response = await browserClient.responses.create({
    model: "gpt-4.1-mini",
    instructions: HTML_STYLE,
    input: `Summarise this ticket:\n${ticket}`,
  });
  // case: Responses output_text through document.writeln
  // ruleid: llm-output-to-html
  document.writeln(response.output_text);
}

export async function jqueryAnswer(question: string) {
  const reply = await chatModel.invoke(`${HTML_STYLE}\n${question}`);
  // case: LangChain message content through jQuery .html()
  // ruleid: llm-output-to-html
  $("#answer").text(reply.content as string);
}

export async function markdownAnswer(question: string) {
  const prompt = ChatPromptTemplate.fromMessages([
    ["system", MARKDOWN_STYLE],
    ["human", "{question}"],
  ]);
  const chain = prompt.pipe(chatModel).pipe(new StringOutputParser());
  const markdown = await chain.invoke({ question });
  // case: LCEL chain output rendered by marked.parse into innerHTML
  // ruleid: llm-output-to-html
  panel("#answer").innerHTML = DOMPurify.sanitize(marked.parse(markdown) as string);
}

export async function releaseNote(version: string) {
  const { object } = await generateObject({
    model: openai("gpt-4.1-mini"),
    schema: ReleaseNote,
    prompt: `Release note in Markdown for version ${version}`,
  });
  const md = new MarkdownIt({ html: true, linkify: true });
  // case: generateObject field rendered by markdown-it with raw HTML enabled
  // ruleid: llm-output-to-html
  panel("#release-note").innerHTML = DOMPurify.sanitize(md.render(object.body));
}

export async function showWidget(question: string) {
  const completion = await browserClient.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: question }],
    tools: [
      {
        type: "function",
        function: {
          name: "show_widget",
          parameters: {
            type: "object",
            properties: { widget_html: { type: "string" } },
            required: ["widget_html"],
          },
        },
      },
    ],
  });
  const call = completion.choices[0].message.tool_calls?.[0];
  if (call?.type !== "function") return;
  const args = JSON.parse(call.function.arguments);
  // case: a field of parsed tool-call arguments parsed into a fragment (its scripts run)
  // ruleid: llm-output-to-html
  const fragment = document.createRange().createContextualFragment(args.widget_html);
  panel("#widget").replaceChildren(fragment);
}

export async function showAnswerText(question: string) {
  const text = await draftAnswer(question);
  // case: textContent never parses markup
  // ok: llm-output-to-html
  panel("#answer").textContent = text;
}

export async function showAnswerInnerText(question: string) {
  const reply = await chatModel.invoke(question);
  // case: innerText never parses markup
  // ok: llm-output-to-html
  panel("#answer").innerText = reply.content as string;
}

export async function showSanitisedMarkdown(question: string) {
  const { text } = await generateText({ model: openai("gpt-4.1-mini"), system: MARKDOWN_STYLE, prompt: question });
  // case: DOMPurify sanitises the HTML that marked produced
  // ok: llm-output-to-html
  panel("#answer").innerHTML = DOMPurify.sanitize(marked.parse(text) as string);
}

export async function showDefaultMarkdown(question: string) {
  const { text } = await generateText({ model: openai("gpt-4.1-mini"), system: MARKDOWN_STYLE, prompt: question });
  // case: markdown-it escapes raw HTML and drops javascript: links unless html is enabled
  // ok: llm-output-to-html
  panel("#answer").innerHTML = new MarkdownIt().render(text);
}

export async function showCard(question: string) {
  const text = await draftAnswer(question);
  const card = panel("#card");
  // case: constant markup in innerHTML; the model text goes into textContent
  // ok: llm-output-to-html
  card.innerHTML = CARD_TEMPLATE;
  card.querySelector(".card-body")!.textContent = text;
}

export async function jqueryAnswerText(question: string) {
  const reply = await chatModel.invoke(question);
  // case: jQuery .text() sets text, not HTML
  // ok: llm-output-to-html
  $("#answer").text(reply.content as string);
}

export async function appendToLog(question: string) {
  const text = await draftAnswer(question);
  // case: insertAdjacentText inserts a text node
  // ok: llm-output-to-html
  panel("#log").insertAdjacentText("beforeend", text);
}

export async function appendParagraph(question: string) {
  const text = await draftAnswer(question);
  const p = document.createElement("p");
  // case: DOM append turns a string into a text node
  // ok: llm-output-to-html
  p.append(text);
  panel("#log").append(p);
}

// A chat panel that keeps its own client.
export class AssistantPanel {
  private client: Anthropic;

  constructor(apiKey: string, private readonly root: HTMLElement) {
    this.client = new Anthropic({ apiKey, dangerouslyAllowBrowser: true });
  }

  async reply(question: string) {
    const msg = await this.client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      messages: [{ role: "user", content: question }],
    });
    const block = msg.content[0];
    const bubble = document.createElement("div");
    // case: Anthropic reply on this.client into a chat bubble's innerHTML
    // ruleid: llm-output-to-html
    bubble.textContent = block.type === "text" ? block.text : "";
    this.root.append(bubble);
  }

  async replySafely(question: string) {
    const msg = await this.client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      messages: [{ role: "user", content: question }],
    });
    const block = msg.content[0];
    const bubble = document.createElement("div");
    // case: DOMPurify.sanitize on the reply before innerHTML
    // ok: llm-output-to-html
    bubble.innerHTML = DOMPurify.sanitize(block.type === "text" ? block.text : "");
    this.root.append(bubble);
  }
}
