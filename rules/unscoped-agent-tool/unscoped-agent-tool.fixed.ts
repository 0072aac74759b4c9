// Ops copilot: agent tools over the shell, the file system, the web and the database.
import { exec, execFile, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import vm from "node:vm";

import { openai } from "@ai-sdk/openai";
import { confirm } from "@inquirer/prompts";
import { DynamicStructuredTool, StructuredTool, tool as lcTool } from "@langchain/core/tools";
import { interrupt } from "@langchain/langgraph";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { tool as agentTool } from "@openai/agents";
import { generateText, stepCountIs, tool } from "ai";
import Database from "better-sqlite3";
import { execa } from "execa";
import OpenAI from "openai";
import { Pool } from "pg";
import { z } from "zod";

const client = new OpenAI();
const server = new McpServer({ name: "ops-files", version: "1.0.0" });
const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const db = new Database("/srv/app/shop.db");

const WORKSPACE = path.resolve("/srv/workspace");
const ALLOWED_COMMANDS = new Set(["uptime", "df", "free", "who"]);

// --- Vercel AI SDK -------------------------------------------------------------------------

export const runCommand = tool({
  description: "Run a shell command on the ops host",
  inputSchema: z.object({ command: z.string() }),
  execute: async ({ command }) => {
    return new Promise<string>((resolve) => {
      // case: AI SDK tool runs the model's command in a shell
      // ruleid: unscoped-agent-tool
      exec(command, (_err, stdout) => resolve(stdout));
    });
  },
  needsApproval: true,
});

export const runDiagnostic = tool({
  description: "Run one of the allowed diagnostics: uptime, df, free or who",
  inputSchema: z.object({ command: z.string() }),
  execute: async ({ command }) => {
    if (!ALLOWED_COMMANDS.has(command)) throw new Error(`not allowed: ${command}`);
    // case: the command was checked against an allowlist first
    // ok: unscoped-agent-tool
    return execFileSync(command, { encoding: "utf8" });
  },
});

export const deleteBranch = tool({
  description: "Delete a git branch",
  inputSchema: z.object({ branch: z.string() }),
  needsApproval: true,
  execute: async ({ branch }) => {
    // case: the SDK asks the user to approve each call first
    // ok: unscoped-agent-tool
    return execFileSync("sh", ["-c", `git branch -D ${branch}`], { encoding: "utf8" });
  },
});

export const readWorkspaceFile = tool({
  description: "Read a file from the workspace",
  inputSchema: z.object({ file: z.string() }),
  execute: async (input) => {
    const target = path.join(WORKSPACE, input.file);
    // case: joined under a folder but never checked to stay inside it
    // ruleid: unscoped-agent-tool
    return readFile(target, "utf8");
  },
  needsApproval: true,
});

export const readContained = tool({
  description: "Read a file from the workspace",
  inputSchema: z.object({ file: z.string() }),
  execute: async ({ file }) => {
    const target = path.resolve(WORKSPACE, file);
    if (!target.startsWith(WORKSPACE + path.sep)) throw new Error(`outside the workspace: ${file}`);
    // case: resolved path checked to lie under the root
    // ok: unscoped-agent-tool
    return readFile(target, "utf8");
  },
});

export const tailLog = tool({
  description: "Show the end of a log file",
  inputSchema: z.object({ file: z.string() }),
  execute: tailFile,
});

async function tailFile({ file }: { file: string }) {
  // case: `execute` names a function declared further down (function declarations are hoisted)
  // ruleid: unscoped-agent-tool
  return execFileSync("sh", ["-c", `tail -n 100 ${file}`], { encoding: "utf8" });
}

export const readUnderRoot = tool({
  description: "Read a file from the notes folder",
  inputSchema: z.object({ file: z.string() }),
  execute: async ({ file }) => {
    const root = path.resolve("notes");
    const target = path.resolve(root, file);
    const rel = path.relative(root, target);
    if (rel.startsWith("..") || path.isAbsolute(rel)) throw new Error("outside the notes folder");
    // ok: unscoped-agent-tool
    return readFile(target, "utf8");
  },
});

export async function agentAnswer(question: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    tools: { runCommand, readWorkspaceFile, readContained, runDiagnostic, deleteBranch, tailLog, readUnderRoot },
    stopWhen: stepCountIs(8),
    maxOutputTokens: 1000,
    prompt: question,
  });
  return text;
}

// --- LangChain JS --------------------------------------------------------------------------

export const fetchPage = lcTool(
  async ({ url }: { url: string }) => {
    // case: LangChain tool() fetches any URL the model gives (internal addresses too)
    // ruleid: unscoped-agent-tool
    const response = await fetch(url);
    return response.text();
  },
  { name: "fetch_page", description: "Fetch a web page", schema: z.object({ url: z.string() }) },
);

export const weather = lcTool(
  async ({ city }: { city: string }) => {
    // case: fixed host; the model only fills a query parameter
    // ok: unscoped-agent-tool
    const response = await fetch(`https://api.weather.example.com/v1/today?city=${encodeURIComponent(city)}`);
    return response.text();
  },
  { name: "weather", description: "Today's weather for a city", schema: z.object({ city: z.string() }) },
);

export const cleanScratch = new DynamicStructuredTool({
  name: "clean_scratch",
  description: "Delete a scratch folder",
  schema: z.object({ folder: z.string() }),
  func: async ({ folder }) => {
    // case: DynamicStructuredTool deletes whatever folder the model names
    // ruleid: unscoped-agent-tool
    await rm(folder, { recursive: true, force: true });
    return `removed ${folder}`;
  },
});

export const gitLog = new DynamicStructuredTool({
  name: "git_log",
  description: "Search commit messages",
  schema: z.object({ pattern: z.string() }),
  func: async ({ pattern }) => {
    // case: fixed program, the model's text is one argument with no shell
    // ok: unscoped-agent-tool
    return execFileSync("git", ["log", "--oneline", "--grep", pattern], { encoding: "utf8" });
  },
});

class CalculatorTool extends StructuredTool {
  name = "calculator";
  description = "Evaluate an arithmetic expression";
  schema = z.object({ expression: z.string() });

  async _call(input: { expression: string }) {
    // case: StructuredTool subclass runs the model's expression as JavaScript
    // ruleid: unscoped-agent-tool
    return String(vm.runInNewContext(input.expression));
  }
}

export const calculator = new CalculatorTool();

export const restartService = lcTool(
  async ({ service }: { service: string }) => {
    const decision = interrupt({ action: "restart", service });
    if (decision !== "approve") return "cancelled";
    // case: LangGraph interrupt() asks a person before the command runs
    // ok: unscoped-agent-tool
    exec(`systemctl restart ${service}`);
    return "restarted";
  },
  { name: "restart_service", description: "Restart a systemd unit", schema: z.object({ service: z.string() }) },
);

// --- MCP -----------------------------------------------------------------------------------

server.registerTool(
  "query",
  { description: "Run a SQL query on the shop database", inputSchema: { sql: z.string() } },
  async ({ sql }) => {
    // case: MCP tool prepares the model's SQL
    // ruleid: unscoped-agent-tool
    const rows = db.prepare(sql).all();
    return { content: [{ type: "text", text: JSON.stringify(rows) }] };
  },
);

server.registerTool(
  "customer",
  { description: "Look up a customer by e-mail", inputSchema: { email: z.string() } },
  async ({ email }) => {
    // case: parameterised query; the model's text is a bound value
    // ok: unscoped-agent-tool
    const { rows } = await pool.query("SELECT name, total FROM customers WHERE email = $1", [email]);
    return { content: [{ type: "text", text: JSON.stringify(rows) }] };
  },
);

server.tool("save_note", "Save a note to disk", { file: z.string(), body: z.string() }, async ({ file, body }) => {
  // case: MCP server.tool() writes to whatever path the model picks
  // ruleid: unscoped-agent-tool
  fs.writeFileSync(file, body);
  return { content: [{ type: "text", text: "saved" }] };
});

server.tool("save_draft", "Save a draft note", { name: z.string(), body: z.string() }, async ({ name, body }) => {
  // case: only the base name is kept, so the file stays in the drafts folder
  // ok: unscoped-agent-tool
  await writeFile(path.join("/srv/drafts", path.basename(name)), body);
  return { content: [{ type: "text", text: "saved" }] };
});

// --- OpenAI Agents SDK ---------------------------------------------------------------------

export const runProgram = agentTool({
  name: "run_program",
  description: "Run a program with arguments",
  parameters: z.object({ program: z.string(), args: z.array(z.string()) }),
  execute: async ({ program, args }) => {
    // case: the model picks the program itself
    // ruleid: unscoped-agent-tool
    const { stdout } = await execa(program, args);
    return stdout;
  },
});

export const spawnScript = agentTool({
  name: "run_script",
  description: "Run a bash script",
  parameters: z.object({ script: z.string() }),
  execute: async ({ script }) => {
    // case: the model's text handed to `bash -c`
    // ruleid: unscoped-agent-tool
    const child = spawn("bash", ["-c", script]);
    return new Promise<number>((resolve) => child.on("close", resolve));
  },
});

export const dropTable = agentTool({
  name: "drop_table",
  description: "Drop a table",
  parameters: z.object({ table: z.string() }),
  needsApproval: true,
  execute: async ({ table }) => {
    // case: the run pauses for a person's approval before the tool is called
    // ok: unscoped-agent-tool
    await pool.query(`DROP TABLE ${table}`);
    return "dropped";
  },
});

export const purgeCache = agentTool({
  name: "purge_cache",
  description: "Purge a cache folder",
  parameters: z.object({ folder: z.string() }),
  execute: async ({ folder }) => {
    const ok = await confirm({ message: `Purge ${folder}?` });
    if (!ok) return "cancelled";
    // case: the operator confirms at the terminal first
    // ok: unscoped-agent-tool
    fs.rmSync(folder, { recursive: true });
    return "purged";
  },
});

// --- OpenAI function calling with a dispatch table ----------------------------------------

async function writeReport({ file, text }: { file: string; text: string }) {
  // case: called through the dispatch table with the arguments the model wrote
  // ruleid: unscoped-agent-tool
  await writeFile(file, text);
  return "written";
}

async function diskUsage() {
  return execFileSync("df", ["-h"], { encoding: "utf8" });
}

const TOOLS: Record<string, (args: any) => Promise<string>> = { write_report: writeReport, disk_usage: diskUsage };

export async function agentStep(messages: OpenAI.ChatCompletionMessageParam[]) {
  const completion = await client.chat.completions.create({ model: "gpt-4.1-mini", messages, max_completion_tokens: 800 });
  for (const call of completion.choices[0].message.tool_calls ?? []) {
    if (call.type !== "function") continue;
    const result = await TOOLS[call.function.name](JSON.parse(call.function.arguments));
    messages.push({ role: "tool", tool_call_id: call.id, content: result });
  }
  return messages;
}

// --- Not tools -----------------------------------------------------------------------------

export function listReleases(tag: string) {
  // case: a plain helper no agent is given; `tag` comes from our own code
  // ok: unscoped-agent-tool
  execFile("sh", ["-c", `git tag --list '${tag}*'`], (_err, stdout) => console.log(stdout));
}
