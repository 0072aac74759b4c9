/**
 * Agent tools in the dataflow: how functions become tools (decorators, registration
 * calls, tool lists, options objects, subclasses, dispatch tables), what scopes them
 * (approval calls and flags) and the loop and output-limit checks. Each case has a
 * quiet twin.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { createEngine } from "../../server/src/engine/analyze";
import type { Engine } from "../../server/src/engine/types";

const TOOL = "unscoped-agent-tool";
const SHELL = "llm-output-to-shell";
const LOOP = "uncapped-agent-loop";
const TOKENS = "llm-call-without-token-cap";

let engine: Engine;
before(async () => {
  engine = await createEngine({ ruleSeverities: { [LOOP]: "info", [TOKENS]: "info" } });
});

/** Lines (1-based) reported for `rule`. */
function lines(code: string, file: string, rule: string): number[] {
  const r = engine.analyze(code, file);
  assert.equal(r.skipped, undefined, r.skipped?.message);
  assert.deepEqual(r.ruleFailures, []);
  return r.findings.filter((f) => f.ruleId === rule).map((f) => f.range.start.line + 1);
}

const PY = "import os, subprocess, json\nfrom langchain_core.tools import tool, StructuredTool, BaseTool\nfrom langgraph.prebuilt import create_react_agent\n";

describe("python tools", () => {
  test("a decorated tool's parameters are the model's choice; an undecorated twin is not a tool", () => {
    const code = `${PY}@tool
def run(cmd: str) -> str:
    """Run."""
    return os.popen(cmd).read()

def helper(cmd):
    return os.popen(cmd).read()
`;
    assert.deepEqual(lines(code, "a.py", TOOL), [7]);
    const f = engine.analyze(code, "a.py").findings.find((x) => x.ruleId === TOOL)!;
    assert.match(f.message, /argument `cmd` of tool `run`/);
    assert.deepEqual(lines(code, "a.py", SHELL), [], "tool arguments are reported by the tool rule only");
  });

  test("a function registered later by keyword, in a tool list, or by a subclass method", () => {
    const code = `${PY}def shell(cmd):
    os.system(cmd)

def listed(cmd):
    os.system(cmd)

class Runner(BaseTool):
    def _run(self, cmd: str):
        os.system(cmd)

def build(llm):
    return create_react_agent(llm, tools=[StructuredTool.from_function(func=shell), listed])
`;
    assert.deepEqual(lines(code, "a.py", TOOL), [5, 8, 12]);
  });

  test("interrupt_before on the agent and an approval call before the sink scope the tool", () => {
    const code = `${PY}def listed(cmd):
    os.system(cmd)

def asked(cmd):
    if input(f"run {cmd}? ") != "y":
        return
    os.system(cmd)

def asked_late(cmd):
    os.system(cmd)
    input("done?")

agent = create_react_agent(None, tools=[listed], interrupt_before=["tools"])
other = create_react_agent(None, tools=[asked, asked_late])
`;
    assert.deepEqual(lines(code, "a.py", TOOL), [13]);
  });

  test("an approval helper of the app's own counts as approval", () => {
    const code = `${PY}def confirm_tool_call(name, args):
    return input(f"Run {name} with {args}? [y/N] ").strip().lower() == "y"

@tool
def guarded(cmd: str) -> str:
    """Run."""
    if not confirm_tool_call("guarded", {"cmd": cmd}):
        return "declined"
    return os.popen(cmd).read()

@tool
def unguarded(cmd: str) -> str:
    """Run."""
    return os.popen(cmd).read()
`;
    assert.deepEqual(lines(code, "a.py", TOOL), [17]);
  });

  test("needs_approval=True on an OpenAI Agents tool", () => {
    const code = `import os
from agents import function_tool
@function_tool(needs_approval=True)
def approved(cmd: str):
    os.system(cmd)
@function_tool
def unapproved(cmd: str):
    os.system(cmd)
`;
    assert.deepEqual(lines(code, "a.py", TOOL), [8]);
  });

  test("a dispatch table keyed by the model's function name calls every function in it", () => {
    const code = `import json, subprocess, requests
from openai import OpenAI
client = OpenAI()
def weather(city):
    return requests.get("https://api.example.com/w", params={"q": city}).text
def run(command):
    return subprocess.check_output(command, shell=True)
TOOLS = {"weather": weather, "run": run}
def step(messages):
    r = client.chat.completions.create(model="m", messages=messages, max_tokens=500)
    for call in r.choices[0].message.tool_calls:
        TOOLS[call.function.name](**json.loads(call.function.arguments))
`;
    assert.deepEqual(lines(code, "a.py", TOOL), [7]);
  });

  test("built-in tools and flags", () => {
    const code = `from langchain_community.tools import ShellTool
from langchain_community.agent_toolkits import FileManagementToolkit
from langchain_community.utilities import SQLDatabase
from langchain_experimental.agents import create_pandas_dataframe_agent
a = ShellTool()
b = FileManagementToolkit()
c = FileManagementToolkit(root_dir="/srv/notes", selected_tools=["read_file"])
d = SQLDatabase.from_uri("postgresql://app@db/shop")
e = SQLDatabase.from_uri("sqlite:///file:shop.db?mode=ro&uri=true")
f = create_pandas_dataframe_agent(None, None,
    allow_dangerous_code=True)
`;
    assert.deepEqual(lines(code, "a.py", TOOL), [5, 6, 8, 11]);
  });
});

describe("javascript tools", () => {
  test("tool({ execute }) with destructured arguments, and needsApproval", () => {
    const code = `import { tool } from "ai";
import { exec } from "node:child_process";
export const run = tool({ description: "r", execute: async ({ command }) => {
  exec(command);
} });
export const approved = tool({ description: "r", needsApproval: true, execute: async ({ command }) => {
  exec(command);
} });
`;
    assert.deepEqual(lines(code, "a.ts", TOOL), [4]);
    const f = engine.analyze(code, "a.ts").findings.find((x) => x.ruleId === TOOL)!;
    assert.match(f.message, /argument `command`/);
  });

  test("MCP registerTool and a StructuredTool subclass", () => {
    const code = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StructuredTool } from "@langchain/core/tools";
import * as fs from "node:fs";
const server = new McpServer({ name: "files", version: "1.0.0" });
server.registerTool("read", { description: "read" }, async ({ file }) => ({ content: [{ type: "text", text: fs.readFileSync(file, "utf8") }] }));
class Calc extends StructuredTool {
  async _call(input: { expr: string }) {
    return String(eval(input.expr));
  }
}
function notATool(expr: string) {
  return eval(expr);
}
`;
    assert.deepEqual(lines(code, "a.ts", TOOL), [5, 8]);
  });
});

describe("loops and output limits", () => {
  test("while True around an LLM call without a counter; a bounded twin", () => {
    const code = `from openai import OpenAI
client = OpenAI()
def agent(messages):
    while True:
        r = client.chat.completions.create(model="m", messages=messages, max_completion_tokens=800)
        if not r.choices[0].message.tool_calls:
            return r
def bounded(messages):
    steps = 0
    while True:
        steps += 1
        if steps > 8:
            raise RuntimeError("too many steps")
        client.chat.completions.create(model="m", messages=messages, max_completion_tokens=800)
def ranged(messages):
    for _ in range(8):
        client.chat.completions.create(model="m", messages=messages, max_completion_tokens=800)
`;
    assert.deepEqual(lines(code, "a.py", LOOP), [4]);
    assert.deepEqual(lines(code, "a.py", TOKENS), []);
  });

  test("a chat loop that waits for the user each turn is not an agent loop", () => {
    const code = `from openai import OpenAI
client = OpenAI()
def chat():
    while True:
        question = input("> ")
        if question == "exit":
            break
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": question}], max_tokens=300)
`;
    assert.deepEqual(lines(code, "a.py", LOOP), []);
  });

  test("max_iterations=None turns off AgentExecutor's cap", () => {
    const code = `from langchain.agents import AgentExecutor
a = AgentExecutor(agent=None, tools=[], max_iterations=None)
b = AgentExecutor(agent=None, tools=[], max_iterations=10)
c = AgentExecutor(agent=None, tools=[])
`;
    assert.deepEqual(lines(code, "a.py", LOOP), [2]);
  });

  test("no output cap: only inside loops and handlers", () => {
    const code = `import { generateText } from "ai";
import express from "express";
const app = express();
export async function once(prompt: string) {
  return generateText({ model: "m", prompt });
}
app.post("/chat", async (req, res) => {
  const { text } = await generateText({ model: "m", prompt: String(req.body.q) });
  const capped = await generateText({ model: "m", prompt: "hi", maxOutputTokens: 400 });
  res.json({ text, capped });
});
`;
    assert.deepEqual(lines(code, "a.ts", TOKENS), [8]);
  });
});
