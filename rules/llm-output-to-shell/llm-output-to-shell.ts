// Ops assistant: suggests and runs maintenance commands for a small fleet.
import { exec, execFile, execFileSync, execSync, spawn, spawnSync } from "node:child_process";
import util from "node:util";

import Anthropic from "@anthropic-ai/sdk";
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { openai } from "@ai-sdk/openai";
import { GoogleGenAI } from "@google/genai";
import { InferenceClient } from "@huggingface/inference";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { ChatOpenAI } from "@langchain/openai";
import { OpenAI as LlamaOpenAI } from "@llamaindex/openai";
import { Mistral } from "@mistralai/mistralai";
import { generateText, streamText } from "ai";
import { CohereClient } from "cohere-ai";
import express from "express";
import { Document, VectorStoreIndex } from "llamaindex";
import { Ollama } from "ollama";
import OpenAI from "openai";
import { z } from "zod";

const cp = require("child_process");
const execAsync = util.promisify(exec);

const client = new OpenAI();
const anthropic = new Anthropic();
const genai = new GoogleGenAI({});
const chatModel = new ChatOpenAI({ model: "gpt-4.1-mini", temperature: 0 });
const llamaLlm = new LlamaOpenAI({ model: "gpt-4.1-mini" });
const mistral = new Mistral({ apiKey: process.env.MISTRAL_API_KEY ?? "" });
const cohereLegacy = new CohereClient({ token: process.env.COHERE_API_KEY });
const bedrock = new BedrockRuntimeClient({ region: "us-east-1" });
const localLlm = new Ollama({ host: "http://127.0.0.1:11434" });
const hf = new InferenceClient(process.env.HF_TOKEN);
const app = express();
app.use(express.json());

const SHELL_ONLY = "Reply with a single POSIX shell command and nothing else.";
const ALLOWED_COMMANDS = new Set(["uptime", "df", "free", "who"]);
const ServiceAction = z.enum(["start", "stop", "restart", "status"]);

export async function diagnose(problem: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      { role: "system", content: SHELL_ONLY },
      { role: "user", content: problem },
    ],
  });
  const command = completion.choices[0].message.content ?? "";
  // case: chat completion content run by execSync (always a shell)
  // ruleid: llm-output-to-shell
  return execSync(command, { encoding: "utf8" });
}

export async function runToolCall(task: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: task }],
    tools: [
      {
        type: "function",
        function: {
          name: "run_shell",
          parameters: {
            type: "object",
            properties: { command: { type: "string" } },
            required: ["command"],
          },
        },
      },
    ],
  });
  const call = completion.choices[0].message.tool_calls?.[0];
  if (call?.type !== "function") return;
  const args = JSON.parse(call.function.arguments);
  exec(
    // case: a field of parsed tool-call arguments is still model output
    // ruleid: llm-output-to-shell
    args.command,
    (error, stdout) => {
      if (error) console.error(error.message);
      else console.log(stdout);
    },
  );
}

export async function runPlannedProgram(goal: string) {
  const response = await client.responses.create({
    model: "gpt-4.1-mini",
    instructions: SHELL_ONLY,
    input: goal,
  });
  const [program, ...rest] = response.output_text.trim().split(/\s+/);
  // case: destructured from Responses output_text, the model picks the program
  // ruleid: llm-output-to-shell
  return spawn(program, rest, { stdio: "inherit" });
}

export async function runScript(task: string) {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    messages: [{ role: "user", content: `Write a shell script for: ${task}` }],
  });
  const block = msg.content[0];
  const script = block.type === "text" ? block.text : "";
  // case: Anthropic text as the argument of sh -c
  // ruleid: llm-output-to-shell
  return spawnSync("sh", ["-c", script], { encoding: "utf8" }).stdout;
}

export async function searchHistory(question: string) {
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `One git log --grep pattern for: ${question}`,
  });
  const pattern = response.text ?? "";
  // case: execFileSync with shell: true joins the arguments into a shell command
  // ruleid: llm-output-to-shell
  return execFileSync("git", ["log", "--oneline", `--grep=${pattern}`], { shell: true, encoding: "utf8" });
}

export async function langchainCommand(task: string) {
  const reply = await chatModel.invoke(`${SHELL_ONLY}\n${task}`);
  // case: LangChain message content through require("child_process")
  // ruleid: llm-output-to-shell
  return cp.execSync(reply.content as string).toString();
}

export async function chainedScript(task: string) {
  const prompt = ChatPromptTemplate.fromMessages([
    ["system", SHELL_ONLY],
    ["human", "{task}"],
  ]);
  const chain = prompt.pipe(chatModel).pipe(new StringOutputParser());
  const script = await chain.invoke({ task });
  // case: LCEL chain output through util.promisify(exec)
  // ruleid: llm-output-to-shell
  const { stdout } = await execAsync(script);
  return stdout;
}

export async function backupFromRunbook(docs: Document[], service: string) {
  const index = await VectorStoreIndex.fromDocuments(docs);
  const queryEngine = index.asQueryEngine();
  const answer = await queryEngine.query({ query: `Which paths hold the data of ${service}?` });
  // case: LlamaIndex query answer in a template literal, spawn with shell: true
  // ruleid: llm-output-to-shell
  return spawn(`tar -czf backup.tgz ${answer.response}`, { shell: true });
}

export async function fencedCommand(task: string) {
  const { text } = await llamaLlm.complete({ prompt: `Give the command in a \`\`\`bash block: ${task}` });
  const script = text.match(/```(?:bash|sh)?\n([\s\S]*?)```/)?.[1] ?? "";
  // case: LlamaIndex completion, code block pulled out with a regex
  // ruleid: llm-output-to-shell
  execSync(script, { stdio: "inherit" });
}

export async function commitStaged() {
  const diff = execFileSync("git", ["diff", "--staged"], { encoding: "utf8" });
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Write a commit message for:\n${diff}`,
  });
  // case: generated commit message inside a shell string
  // ruleid: llm-output-to-shell
  execSync(`git commit -m "${text}"`);
}

export async function streamedCommand(task: string) {
  const result = streamText({
    model: openai("gpt-4.1-mini"),
    prompt: `${SHELL_ONLY}\n${task}`,
  });
  let command = "";
  for await (const delta of result.textStream) {
    command += delta;
  }
  // case: streamText deltas accumulated into one command
  // ruleid: llm-output-to-shell
  exec(command);
}

async function suggestBinary(task: string): Promise<string> {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: `Name the executable for: ${task}. One word.` }],
  });
  return completion.choices[0].message.content?.trim() ?? "";
}

export async function versionOf(task: string) {
  // case: same-file helper returns the program name chosen by the model
  // ruleid: llm-output-to-shell
  return spawnSync(await suggestBinary(task), ["--version"], { encoding: "utf8" }).stdout;
}

export class FleetAgent {
  private readonly client = new OpenAI();

  constructor(private readonly hosts: string[]) {}

  private async plan(goal: string): Promise<string> {
    const completion = await this.client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [
        { role: "system", content: SHELL_ONLY },
        { role: "user", content: goal },
      ],
    });
    return completion.choices[0].message.content ?? "";
  }

  async apply(goal: string) {
    const script = ["set -eu", await this.plan(goal)].join("\n");
    for (const host of this.hosts) {
      // case: this.client method result joined into a script
      // ruleid: llm-output-to-shell
      execSync(script, { env: { ...process.env, TARGET_HOST: host } });
    }
  }
}

export async function summarizeStatus() {
  // case: constant program and arguments; the model only reads the result
  // ok: llm-output-to-shell
  const status = execFileSync("git", ["status", "--porcelain"], { encoding: "utf8" });
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Summarize:\n${status}`,
  });
  return text;
}

export async function runAllowed(question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: `Which one of ${[...ALLOWED_COMMANDS].join(", ")} answers: ${question}` }],
  });
  const cmd = completion.choices[0].message.content?.trim() ?? "";
  if (!ALLOWED_COMMANDS.has(cmd)) {
    throw new Error(`command outside the allowlist: ${cmd}`);
  }
  // case: checked against an allowlist first
  // ok: llm-output-to-shell
  return spawnSync(cmd, [], { encoding: "utf8" }).stdout;
}

export async function commitWithMessage() {
  const diff = execFileSync("git", ["diff", "--staged"], { encoding: "utf8" });
  const { text } = await llamaLlm.complete({ prompt: `Write a commit message for:\n${diff}` });
  // case: fixed program, no shell, the model text is only the value of -m
  // ok: llm-output-to-shell
  execFile("git", ["commit", "-m", text], (error) => {
    if (error) console.error(error.message);
  });
}

export async function controlService(request: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Answer start, stop, restart or status for: ${request}`,
  });
  const action = ServiceAction.parse(text.trim());
  // case: a zod enum limits the value to four known words
  // ok: llm-output-to-shell
  return execSync(`systemctl ${action} web`, { encoding: "utf8" });
}

export async function scaleWeb(loadReport: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    response_format: { type: "json_object" },
    messages: [{ role: "user", content: `JSON with integer "replicas" for:\n${loadReport}` }],
  });
  const plan = JSON.parse(completion.choices[0].message.content ?? "{}");
  const replicas = Number(plan.replicas);
  if (!Number.isInteger(replicas)) throw new Error("replicas must be an integer");
  // case: only a number from the parsed reply reaches the command
  // ok: llm-output-to-shell
  execSync(`kubectl scale deployment/web --replicas=${replicas}`);
}

export async function recordLength(task: string) {
  const response = await genai.models.generateContent({ model: "gemini-2.5-flash", contents: task });
  const text = response.text ?? "";
  // case: only the length of the reply reaches the command
  // ok: llm-output-to-shell
  exec(`logger -t ops-assistant "reply of ${text.length} chars"`);
}

export async function notifyVerdict(change: string) {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 8,
    messages: [{ role: "user", content: `Is this change safe to deploy? Answer yes or no.\n${change}` }],
  });
  const block = msg.content[0];
  const verdict = block.type === "text" ? block.text.trim().toLowerCase() : "";
  // case: a comparison of the reply selects between two constant words
  // ok: llm-output-to-shell
  execSync(`notify-send ${verdict === "yes" ? "approved" : "rejected"}`);
}

export async function deployIfAdvised(checks: string) {
  const reply = await chatModel.invoke(`Should we deploy now? yes or no.\n${checks}`);
  if (String(reply.content).trim().toLowerCase() === "yes") {
    // case: the model only picks a branch; the command is constant
    // ok: llm-output-to-shell
    execSync("npm run deploy", { stdio: "inherit" });
  }
}

export async function explainCommand(task: string) {
  const reply = await chatModel.invoke(`${SHELL_ONLY}\n${task}`);
  // case: printed for the operator, not run
  // ok: llm-output-to-shell
  console.log(`Suggested command: ${reply.content}`);
}

app.post("/api/suggest", async (req, res) => {
  const response = await client.responses.create({
    model: "gpt-4.1-mini",
    instructions: SHELL_ONLY,
    input: String(req.body.task),
  });
  // case: returned as JSON for the user to copy
  // ok: llm-output-to-shell
  res.json({ command: response.output_text });
});

export async function secondOpinion(task: string) {
  const first = await client.responses.create({ model: "gpt-4.1-mini", instructions: SHELL_ONLY, input: task });
  const review = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 512,
    system: "You review shell commands for danger.",
    messages: [
      // case: model text goes into a user message of a second call
      // ok: llm-output-to-shell
      { role: "user", content: `Is this command safe?\n${first.output_text}` },
    ],
  });
  return review.content;
}

export async function mistralFix(problem: string) {
  const completion = await mistral.chat.complete({
    model: "mistral-small-latest",
    messages: [
      { role: "system", content: SHELL_ONLY },
      { role: "user", content: problem },
    ],
  });
  const command = String(completion.choices?.[0]?.message?.content ?? "");
  // case: Mistral chat completion run by exec (a shell)
  // ruleid: llm-output-to-shell
  return execAsync(command);
}

export async function mistralCommit(diff: string) {
  const completion = await mistral.chat.complete({
    model: "mistral-small-latest",
    messages: [{ role: "user", content: `Write a commit message for:\n${diff}` }],
  });
  const message = String(completion.choices?.[0]?.message?.content ?? "");
  // case: fixed program, no shell; the Mistral text is only the value of -m
  // ok: llm-output-to-shell
  execFileSync("git", ["commit", "-m", message]);
}

export async function cohereDiagnose(problem: string) {
  const response = await cohereLegacy.chat({ message: `${SHELL_ONLY}\n${problem}`, preamble: "You are an SRE." });
  // case: Cohere v1 text in an execSync template literal
  // ruleid: llm-output-to-shell
  return execSync(`timeout 30 ${response.text}`, { encoding: "utf8" });
}

export async function cohereAllowed(question: string) {
  const response = await cohereLegacy.chat({ message: `Which one of ${[...ALLOWED_COMMANDS].join(", ")} answers: ${question}` });
  const cmd = response.text.trim();
  if (!ALLOWED_COMMANDS.has(cmd)) throw new Error(`command outside the allowlist: ${cmd}`);
  // case: the Cohere answer is checked against an allowlist first
  // ok: llm-output-to-shell
  return execFileSync(cmd, { encoding: "utf8" });
}

export async function bedrockStreamedFix(problem: string) {
  const response = await bedrock.send(
    new ConverseStreamCommand({
      modelId: "anthropic.claude-3-5-haiku-20241022-v1:0",
      system: [{ text: SHELL_ONLY }],
      messages: [{ role: "user", content: [{ text: problem }] }],
    }),
  );
  let command = "";
  for await (const event of response.stream ?? []) command += event.contentBlockDelta?.delta?.text ?? "";
  // case: Bedrock ConverseStream deltas accumulated and run with shell: true
  // ruleid: llm-output-to-shell
  return spawnSync(command, { shell: true, encoding: "utf8" }).stdout;
}

export async function bedrockExplain(task: string) {
  const response = await bedrock.send(
    new ConverseCommand({
      modelId: "anthropic.claude-3-5-haiku-20241022-v1:0",
      messages: [{ role: "user", content: [{ text: `${SHELL_ONLY}\n${task}` }] }],
    }),
  );
  // case: the Bedrock suggestion is printed for the operator, not run
  // ok: llm-output-to-shell
  console.log(`Suggested command: ${response.output?.message?.content?.[0]?.text}`);
}

export async function ollamaScript(task: string) {
  const response = await localLlm.chat({
    model: "qwen2.5-coder",
    messages: [{ role: "user", content: `Write a bash script to ${task}` }],
  });
  // case: Ollama reply handed to bash -c
  // ruleid: llm-output-to-shell
  return spawn("bash", ["-c", response.message.content], { stdio: "inherit" });
}

export async function ollamaVersionOf(tool: string) {
  const response = await localLlm.generate({ model: "qwen2.5-coder", prompt: `Is ${tool} installed by default on Debian? yes or no` });
  const installed = response.response.trim().toLowerCase() === "yes";
  // case: the Ollama answer only picks between two constant commands
  // ok: llm-output-to-shell
  return execSync(installed ? "apt-cache policy coreutils" : "apt-cache policy build-essential", { encoding: "utf8" });
}

export async function hfFix(problem: string) {
  const completion = await hf.chatCompletion({
    model: "Qwen/Qwen2.5-Coder-32B-Instruct",
    messages: [{ role: "user", content: `${SHELL_ONLY}\n${problem}` }],
  });
  const command = completion.choices[0].message.content ?? "";
  // case: Hugging Face chat completion run through cp.exec
  // ruleid: llm-output-to-shell
  cp.exec(command, (error: Error | null, stdout: string) => console.log(error ?? stdout));
}

app.post("/api/hf-suggest", async (req, res) => {
  const completion = await hf.chatCompletion({
    model: "Qwen/Qwen2.5-Coder-32B-Instruct",
    messages: [{ role: "user", content: `${SHELL_ONLY}\n${req.body.task}` }],
  });
  // case: the Hugging Face suggestion is returned as JSON for the user to copy
  // ok: llm-output-to-shell
  res.json({ command: completion.choices[0].message.content });
});
