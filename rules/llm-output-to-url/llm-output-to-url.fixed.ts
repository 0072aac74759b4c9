// Research assistant API: the model decides which pages and services to consult.
import * as http from "node:http";
import * as https from "node:https";

import Anthropic from "@anthropic-ai/sdk";
import { openai } from "@ai-sdk/openai";
import { GoogleGenAI } from "@google/genai";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { ChatOpenAI } from "@langchain/openai";
import { generateObject, generateText, streamText } from "ai";
import axios from "axios";
import express from "express";
import got from "got";
import ky from "ky";
import { Document, VectorStoreIndex } from "llamaindex";
import OpenAI from "openai";
import * as undici from "undici";
import { z } from "zod";

const client = new OpenAI();
const anthropic = new Anthropic();
const genai = new GoogleGenAI({});
const chatModel = new ChatOpenAI({ model: "gpt-4.1-mini", temperature: 0 });
const app = express();
app.use(express.json());

const URL_ONLY = "Reply with one absolute URL and nothing else.";
const DOCS_BASE = "https://docs.example.com";
const STATUS_URL = "https://status.example.com/api/v2/summary.json";
const SEARCH_URL = "https://search.example.com/api/search";
const NOTES_URL = "https://notes.internal.example.com/api/notes";
const DEPLOY_HOOK = "https://ci.internal.example.com/hooks/deploy";
const ISSUES_API = "https://tracker.example.com/api/issues";
const API_ROOT = "https://api.example.com";
const ENDPOINTS = {
  weather: "https://api.weather.example.com/v1/today",
  news: "https://api.news.example.com/v1/headlines",
  fx: "https://api.fx.example.com/v1/rates",
} as const;
const ALLOWED_HOSTS = new Set(["api.github.com", "api.atlassian.com", "docs.example.com"]);
const DOC_TOPICS = ["install", "configuration", "upgrading", "faq"];
const TrackerHost = z.enum(["api.github.com", "api.atlassian.com"]);

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => (body += chunk));
    res.on("end", () => resolve(body));
    res.on("error", reject);
  });
}

export async function readSuggestedPage(question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      { role: "system", content: URL_ONLY },
      { role: "user", content: `Which page answers: ${question}` },
    ],
  });
  const url = completion.choices[0].message.content?.trim() ?? "";
  // case: chat completion content is the URL of a fetch
  // ruleid: llm-output-to-url
  if (!ALLOWED_HOSTS.has(new URL(url).hostname)) throw new Error(`request to a host outside ALLOWED_HOSTS: ${url}`);
  const res = await fetch(url);
  return res.text();
}

export async function runFetchTool(task: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: task }],
    tools: [
      {
        type: "function",
        function: {
          name: "fetch_url",
          parameters: {
            type: "object",
            properties: { url: { type: "string" } },
            required: ["url"],
          },
        },
      },
    ],
  });
  const call = completion.choices[0].message.tool_calls?.[0];
  if (call?.type !== "function") return null;
  const { url } = JSON.parse(call.function.arguments);
  // case: a destructured field of parsed tool-call arguments is a full URL
  // ruleid: llm-output-to-url
  if (!ALLOWED_HOSTS.has(new URL(url).hostname)) throw new Error(`request to a host outside ALLOWED_HOSTS: ${url}`);
  const { data } = await axios.get(url, { timeout: 10_000 });
  return data;
}

export async function fetchReference(topic: string) {
  const response = await client.responses.create({
    model: "gpt-4.1-mini",
    instructions: URL_ONLY,
    input: `The canonical reference page for ${topic}`,
  });
  // case: Responses output_text fetched with got
  // ruleid: llm-output-to-url
  return got(response.output_text.trim()).text();
}

export async function checkVendorHealth(vendor: string) {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 100,
    messages: [{ role: "user", content: `Reply with the API host name of ${vendor}.` }],
  });
  const block = msg.content[0];
  const host = block.type === "text" ? block.text.trim() : "";
  return new Promise<number>((resolve, reject) => {
    // case: Anthropic reply picks the host inside a template literal for https.get
    // ruleid: llm-output-to-url
    https.get(`https://${host}/health`, (res) => resolve(res.statusCode ?? 0)).on("error", reject);
  });
}

export async function downloadDataset(description: string) {
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `${URL_ONLY}\nWhere can I download: ${description}`,
  });
  const location = response.text ?? "";
  // case: Gemini text requested with undici
  // ruleid: llm-output-to-url
  const { body } = await undici.request(location.trim());
  return body.text();
}

export async function citeSource(claim: string) {
  const reply = await chatModel.invoke(`${URL_ONLY}\nA source for this claim: ${claim}`);
  const link = reply.content as string;
  return new Promise<string>((resolve, reject) => {
    // case: LangChain message content passed to node:http get
    // ruleid: llm-output-to-url
    if (!ALLOWED_HOSTS.has(new URL(link).hostname)) throw new Error(`request to a host outside ALLOWED_HOSTS: ${link}`);
    http.get(link, (res) => readBody(res).then(resolve, reject)).on("error", reject);
  });
}

export async function browseWithChain(question: string) {
  const prompt = ChatPromptTemplate.fromMessages([
    ["system", URL_ONLY],
    ["human", "{question}"],
  ]);
  const chain = prompt.pipe(chatModel).pipe(new StringOutputParser());
  const pageUrl = await chain.invoke({ question });
  // case: LCEL chain output fetched with ky
  // ruleid: llm-output-to-url
  if (!ALLOWED_HOSTS.has(new URL(pageUrl).hostname)) throw new Error(`request to a host outside ALLOWED_HOSTS: ${pageUrl}`);
  return ky.get(pageUrl).text();
}

export async function loadRunbookPage(docs: Document[], incident: string) {
  const index = await VectorStoreIndex.fromDocuments(docs);
  const queryEngine = index.asQueryEngine();
  const answer = await queryEngine.query({ query: `Which runbook URL covers: ${incident}` });
  // case: LlamaIndex answer is the url field of an axios request config
  // ruleid: llm-output-to-url
  const { data } = await axios.request({ url: answer.response.trim(), method: "GET" });
  return data;
}

app.post("/api/preview", async (req, res) => {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    system: URL_ONLY,
    prompt: `The page that best matches: ${req.body.question}`,
  });
  const endpoint = new URL(text.trim());
  // case: generateText output parsed with new URL, then fetched
  // ruleid: llm-output-to-url
  if (!ALLOWED_HOSTS.has(new URL(endpoint).hostname)) throw new Error(`request to a host outside ALLOWED_HOSTS: ${endpoint}`);
  const page = await fetch(endpoint);
  res.json({ preview: (await page.text()).slice(0, 500) });
});

export async function followCitation(claim: string) {
  const { object } = await generateObject({
    model: openai("gpt-4.1-mini"),
    schema: z.object({ url: z.string().url(), title: z.string() }),
    prompt: `A source for: ${claim}`,
  });
  // case: generateObject field; a URL-shaped schema does not restrict the host
  // ruleid: llm-output-to-url
  const res = await fetch(object.url, { headers: { accept: "text/html" } });
  return res.text();
}

export async function streamedLink(question: string) {
  const result = streamText({
    model: openai("gpt-4.1-mini"),
    prompt: `${URL_ONLY}\n${question}`,
  });
  let url = "";
  for await (const delta of result.textStream) {
    url += delta;
  }
  // case: streamText deltas accumulated into one string, called as axios(url)
  // ruleid: llm-output-to-url
  if (!ALLOWED_HOSTS.has(new URL(url).hostname)) throw new Error(`request to a host outside ALLOWED_HOSTS: ${url}`);
  const { data } = await axios(url);
  return data;
}

async function suggestFeed(interest: string): Promise<string> {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: `${URL_ONLY}\nAn RSS feed about ${interest}` }],
  });
  return completion.choices[0].message.content ?? "";
}

export async function readFeed(interest: string) {
  const feed = await suggestFeed(interest);
  return new Promise<string>((resolve, reject) => {
    // case: same-file helper returns model text, requested with node:http request
    // ruleid: llm-output-to-url
    const req = http.request(feed.trim(), (res) => readBody(res).then(resolve, reject));
    req.on("error", reject);
    req.end();
  });
}

export async function docsPage(question: string) {
  const reply = await chatModel.invoke(`Which docs page path answers: ${question}`);
  const path = String(reply.content).trim();
  // case: new URL keeps the base only for relative paths; an absolute reply replaces it
  // ruleid: llm-output-to-url
  const res = await fetch(new URL(path, DOCS_BASE));
  return res.text();
}

export async function tenantUsage(account: string) {
  const { text: tenant } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Reply with the tenant id of ${account}.`,
  });
  // case: the model picks a subdomain; "169.254.169.254/#" still moves the host
  // ruleid: llm-output-to-url
  const { data } = await axios.get("https://" + tenant.trim() + ".billing.example.com/usage");
  return data;
}

export async function apiCall(goal: string) {
  const reply = await chatModel.invoke(`Which API path, starting with /, achieves: ${goal}`);
  const path = String(reply.content).trim();
  // case: no slash after the constant host, so ".attacker.example/x" or "@attacker.example/" moves it
  // ruleid: llm-output-to-url
  const res = await fetch(API_ROOT + path);
  return res.json();
}

export async function partnerLookup(company: string) {
  const { text: url } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `${URL_ONLY}\nThe partner API URL for ${company}`,
  });
  if (!url.startsWith(API_ROOT)) throw new Error(`not a partner API URL: ${url}`);
  // case: the prefix check stops before the end of the host; "https://api.example.com.attacker.example/" passes
  // ruleid: llm-output-to-url
  if (!ALLOWED_HOSTS.has(new URL(url).hostname)) throw new Error(`request to a host outside ALLOWED_HOSTS: ${url}`);
  const { data } = await axios.get(url);
  return data;
}

export class IntegrationAgent {
  private client: OpenAI;

  constructor() {
    this.client = new OpenAI();
  }

  async callApi(goal: string) {
    const completion = await this.client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [{ role: "user", content: `Reply with the API host for: ${goal}` }],
    });
    const host = completion.choices[0].message.content?.trim();
    // case: client kept on this, host placed in a template literal
    // ruleid: llm-output-to-url
    const res = await fetch(`https://${host}/api/v1/search`, { method: "GET" });
    return res.json();
  }

  async fetchStatus() {
    // case: constant URL; the model only reads the response
    // ok: llm-output-to-url
    const res = await fetch(STATUS_URL);
    const completion = await this.client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [{ role: "user", content: `Summarise this status page:\n${await res.text()}` }],
    });
    return completion.choices[0].message.content;
  }
}

export async function searchFor(question: string) {
  const reply = await chatModel.invoke(`Write a web search query for: ${question}`);
  const query = String(reply.content);
  // case: model text only in the query string through URLSearchParams; the host is fixed
  // ok: llm-output-to-url
  const res = await fetch(`${SEARCH_URL}?${new URLSearchParams({ q: query, limit: "5" })}`);
  return res.json();
}

export async function searchWithAxios(question: string) {
  const { text } = await generateText({ model: openai("gpt-4.1-mini"), prompt: `Search terms for: ${question}` });
  // case: model text in axios params; the URL is constant
  // ok: llm-output-to-url
  const { data } = await axios.get(SEARCH_URL, { params: { q: text } });
  return data;
}

export async function searchWithGot(question: string) {
  const response = await client.responses.create({ model: "gpt-4.1-mini", input: `Search terms for: ${question}` });
  // case: model text in got searchParams; the URL is constant
  // ok: llm-output-to-url
  return got(SEARCH_URL, { searchParams: { q: response.output_text } }).json();
}

export async function feedFor(question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: `Answer weather, news or fx for: ${question}` }],
  });
  const choice = (completion.choices[0].message.content ?? "").trim().toLowerCase();
  // case: the model picks a key into a constant object of URLs
  // ok: llm-output-to-url
  const res = await fetch(ENDPOINTS[choice as keyof typeof ENDPOINTS]);
  return res.json();
}

export async function queryTracker(question: string) {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 50,
    messages: [{ role: "user", content: `Which API host holds the answer to: ${question}` }],
  });
  const block = msg.content[0];
  const host = block.type === "text" ? block.text.trim().toLowerCase() : "";
  if (!ALLOWED_HOSTS.has(host)) {
    throw new Error(`host outside the allowlist: ${host}`);
  }
  // case: the model's host is checked against an allowlist first
  // ok: llm-output-to-url
  const { data } = await axios.get(`https://${host}/rest/api/search`);
  return data;
}

export async function openCitedLink(claim: string) {
  const response = await genai.models.generateContent({ model: "gemini-2.5-flash", contents: `${URL_ONLY}\n${claim}` });
  const target = new URL((response.text ?? "").trim());
  if (target.protocol !== "https:" || !ALLOWED_HOSTS.has(target.hostname)) {
    throw new Error(`link outside the allowlist: ${target.href}`);
  }
  // case: protocol and host of the parsed URL checked against an allowlist
  // ok: llm-output-to-url
  const res = await fetch(target, { redirect: "error" });
  return res.text();
}

export async function docsSection(question: string) {
  const reply = await chatModel.invoke(`Answer install, configuration, upgrading or faq: ${question}`);
  const topic = String(reply.content).trim();
  if (!DOC_TOPICS.includes(topic)) {
    throw new Error(`unknown docs topic: ${topic}`);
  }
  // case: fixed base URL, the model picks a path segment from an allowlist
  // ok: llm-output-to-url
  return ky.get(`${DOCS_BASE}/${topic}`).text();
}

export async function trackerIssues(question: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Answer api.github.com or api.atlassian.com: where are the issues for ${question}?`,
  });
  const host = TrackerHost.parse(text.trim());
  // case: a zod enum limits the host to two known names
  // ok: llm-output-to-url
  const res = await fetch(`https://${host}/issues`);
  return res.json();
}

export async function docsArticle(question: string) {
  const reply = await chatModel.invoke(`Which docs article slug answers: ${question}`);
  const slug = String(reply.content).trim();
  // case: scheme and host are constant text ending in "/"; the model only picks the path
  // ok: llm-output-to-url
  return ky.get(`${DOCS_BASE}/articles/${slug}`).text();
}

export async function partnerRecord(company: string) {
  const { text: url } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `${URL_ONLY}\nThe partner record URL for ${company}`,
  });
  if (!url.startsWith(`${API_ROOT}/`)) throw new Error(`not a partner API URL: ${url}`);
  // case: the prefix check includes the "/" after the host, so the host is fixed
  // ok: llm-output-to-url
  const res = await fetch(url, { redirect: "error" });
  return res.json();
}

export async function saveSummary(document: string) {
  const { text } = await generateText({ model: openai("gpt-4.1-mini"), prompt: `Summarise:\n${document}` });
  // case: model text is the body of a POST to a constant URL
  // ok: llm-output-to-url
  const res = await fetch(NOTES_URL, { method: "POST", body: text });
  return res.status;
}

export async function archiveAnswer(question: string) {
  const reply = await chatModel.invoke(question);
  // case: model text is the JSON payload of an axios POST to a constant URL
  // ok: llm-output-to-url
  await axios.post(NOTES_URL, { answer: reply.content });
}

export async function fetchIssue(question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    response_format: { type: "json_object" },
    messages: [{ role: "user", content: `JSON with integer "issue" for: ${question}` }],
  });
  const { issue } = JSON.parse(completion.choices[0].message.content ?? "{}");
  const id = Number(issue);
  // case: only a number from the parsed reply reaches the path
  // ok: llm-output-to-url
  const res = await fetch(`${ISSUES_API}/${id}`);
  return res.json();
}

export async function deployIfAdvised(checks: string) {
  const reply = await chatModel.invoke(`Should we deploy now? Answer yes or no.\n${checks}`);
  if (String(reply.content).trim().toLowerCase() === "yes") {
    // case: the model only picks a branch; the URL is constant
    // ok: llm-output-to-url
    await fetch(DEPLOY_HOOK, { method: "POST" });
  }
}

app.post("/api/suggest-reading", async (req, res) => {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `${URL_ONLY}\nReading about ${req.body.topic}`,
  });
  // case: the link is only returned to the user, never fetched by the server
  // ok: llm-output-to-url
  res.json({ link: text.trim() });
});

export async function logSuggestion(question: string) {
  const reply = await chatModel.invoke(`${URL_ONLY}\n${question}`);
  // case: the suggested URL is logged, not requested
  // ok: llm-output-to-url
  console.log("model suggested", reply.content);
}
