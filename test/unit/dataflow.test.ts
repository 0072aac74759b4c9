/**
 * The dataflow, one behaviour per test, through the public engine API on small
 * programs. Each case has a twin that must stay quiet, so a test fails whether the
 * engine loses the flow or over-reports.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { createEngine } from "../../server/src/engine/analyze";
import type { Engine, Finding } from "../../server/src/engine/types";

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function findings(code: string, file: string): Finding[] {
  const r = engine.analyze(code, file);
  assert.equal(r.skipped, undefined, r.skipped?.message);
  assert.deepEqual(r.ruleFailures, []);
  return r.findings;
}

/** Lines (1-based) reported for `rule`. */
function lines(code: string, file: string, rule: string): number[] {
  return findings(code, file)
    .filter((f) => f.ruleId === rule)
    .map((f) => f.range.start.line + 1);
}

const PY_HEAD = "from flask import Flask, request\nfrom openai import OpenAI\napp = Flask(__name__)\nclient = OpenAI()\n";
const SYS = "untrusted-input-in-system-prompt";
const EVAL = "llm-output-to-eval";
const SHELL = "llm-output-to-shell";

describe("python", () => {
  test("request data through an f-string into a system message", () => {
    const code = `${PY_HEAD}@app.post("/")
def chat():
    name = request.json["name"]
    prompt = f"You help {name}."
    client.chat.completions.create(model="m", messages=[{"role": "system", "content": prompt}, {"role": "user", "content": name}])
`;
    assert.deepEqual(lines(code, "a.py", SYS), [9]);
    const f = findings(code, "a.py")[0];
    assert.deepEqual(
      f.path.map((s) => s.message),
      ["untrusted input from the Flask request", "assigned to `name`", "assigned to `prompt`", "reaches an OpenAI chat system message"],
    );
    assert.equal(f.severity, "error");
  });

  test("user-role content is not a sink", () => {
    const code = `${PY_HEAD}q = input()\nclient.chat.completions.create(model="m", messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": q}])\n`;
    assert.deepEqual(lines(code, "a.py", SYS), []);
  });

  test("messages built with append, .format and a helper that returns the prompt", () => {
    const code = `${PY_HEAD}import sys
def build(topic):
    return "Write about {}.".format(topic)
msgs = []
msgs.append({"role": "developer", "content": build(sys.argv[1])})
client.chat.completions.create(model="m", messages=msgs)
`;
    assert.deepEqual(lines(code, "a.py", SYS), [9]);
  });

  test("allowlist lookup and guard with early exit are sanitizers", () => {
    const code = `${PY_HEAD}from flask import abort
PERSONAS = {"a": "You are A.", "b": "You are B."}
ALLOWED = {"formal", "casual"}
@app.get("/")
def chat():
    persona = PERSONAS[request.args["p"]]
    tone = request.args["tone"]
    if tone not in ALLOWED:
        abort(400)
    client.chat.completions.create(model="m", messages=[{"role": "system", "content": persona + tone}])
    raw = request.args["raw"]
    client.chat.completions.create(model="m", messages=[{"role": "system", "content": raw}])
`;
    assert.deepEqual(lines(code, "a.py", SYS), [16]);
  });

  test("model output through a regex and a stream into exec and a shell", () => {
    const code = `import re, subprocess
from openai import OpenAI as O
c = O()
def code_for(task):
    r = c.chat.completions.create(model="m", messages=[{"role": "user", "content": task}])
    return r.choices[0].message.content
m = re.search(r"\`\`\`(.*?)\`\`\`", code_for("x"), re.S)
exec(m.group(1))
text = ""
for chunk in c.chat.completions.create(model="m", messages=[], stream=True):
    text += chunk.choices[0].delta.content or ""
subprocess.run(text, shell=True)
subprocess.run(["git", "commit", "-m", text])
subprocess.run(["bash", "-c", text])
`;
    assert.deepEqual(lines(code, "a.py", EVAL), [8]);
    assert.deepEqual(lines(code, "a.py", SHELL), [12, 14]);
  });

  test("a client held on self and a FastAPI parameter", () => {
    const code = `from fastapi import FastAPI
from anthropic import Anthropic
app = FastAPI()
class Bot:
    def __init__(self):
        self.client = Anthropic()
    def ask(self, system, q):
        return self.client.messages.create(model="m", max_tokens=10, system=system, messages=[{"role": "user", "content": q}])
bot = Bot()
@app.get("/ask")
def ask(persona: str, q: str):
    return bot.ask(f"You are {persona}", q)
`;
    assert.deepEqual(lines(code, "a.py", SYS), [8]);
  });

  test("declared types of class fields and variables say what they hold", () => {
    const code = `from typing import Optional
from pydantic import BaseModel, Field
from openai import OpenAI
class Svc(BaseModel):
    client: Optional[OpenAI] = Field(default=None)
    label: str
    def go(self):
        r = self.client.chat.completions.create(model="m", messages=[])
        eval(r.choices[0].message.content)
        eval(self.label)
def f():
    c: Optional[OpenAI] = None
    eval(c.chat.completions.create(model="m", messages=[]).choices[0].message.content)
`;
    assert.deepEqual(lines(code, "a.py", EVAL), [9, 13]);
  });

  test("files without an LLM SDK are not parsed", () => {
    const r = engine.analyze("eval(input())\n", "plain.py");
    assert.deepEqual(r.findings, []);
  });
});

describe("typescript", () => {
  test("Express body destructured into a Vercel AI SDK system prompt", () => {
    const code = `import express from "express";
import { generateText } from "ai";
import { openai } from "@ai-sdk/openai";
const app = express();
app.post("/chat", async (req, res) => {
  const { persona, question } = req.body;
  const { text } = await generateText({ model: openai("gpt-4o"), system: \`You are \${persona}\`, prompt: question });
  res.json({ text });
});
`;
    assert.deepEqual(lines(code, "a.ts", SYS), [7]);
  });

  test("namespace import, spread and a class field client", () => {
    const code = `import * as ai from "ai";
import OpenAI from "openai";
class Agent {
  private client = new OpenAI();
  async run(goal: string) {
    const base = { role: "system" };
    const sys = { ...base, content: "Plan: " + goal };
    await this.client.chat.completions.create({ model: "m", messages: [sys] });
  }
}
const argv = process.argv.slice(2);
new Agent().run(argv.join(" "));
await ai.streamText({ model: undefined as any, system: "constant", prompt: argv[0] });
`;
    assert.deepEqual(lines(code, "a.ts", SYS), [7]);
  });

  test("model output to new Function, exec and spawn; JSON.parse and fixed argv stay quiet", () => {
    const code = `import OpenAI from "openai";
import { exec, execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
const client = new OpenAI();
const run = promisify(exec);
export async function go() {
  const c = await client.chat.completions.create({ model: "m", messages: [] });
  const out = c.choices[0].message.content ?? "";
  const fn = new Function("x", out);
  const data = JSON.parse(out);
  await run(out);
  execFile("git", ["log", out]);
  spawn(out, []);
  spawn("sh", ["-c", data.script]);
}
`;
    assert.deepEqual(lines(code, "a.ts", EVAL), [9]);
    assert.deepEqual(lines(code, "a.ts", SHELL), [11, 13, 14]);
  });

  test("an Anthropic client from a default import with a Next.js route handler", () => {
    const code = `import Anthropic from "@anthropic-ai/sdk";
const anthropic = new Anthropic();
export async function POST(req: Request) {
  const body = await req.json();
  const msg = await anthropic.messages.create({ model: "m", max_tokens: 100, system: body.role, messages: [{ role: "user", content: body.q }] });
  return Response.json(msg);
}
`;
    assert.deepEqual(lines(code, "a.ts", SYS), [5]);
  });
});

describe("robustness", () => {
  test("half-typed code still gets analysed", () => {
    const code = `${PY_HEAD}q = input()\nclient.chat.completions.create(model="m", messages=[{"role": "system", "content": f"x {q}"}`;
    const r = engine.analyze(code, "a.py");
    assert.ok(r.syntaxErrors.length > 0);
    assert.deepEqual(r.findings.map((f) => f.ruleId), [SYS]);
  });

  test("binary, huge and minified files are skipped with a reason", () => {
    assert.equal(engine.analyze("import openai\u0000\u0001", "a.py").skipped?.reason, "binary");
    assert.equal(engine.analyze(`import openai\n${"x = 1\n".repeat(300_000)}`, "a.py").skipped?.reason, "too-large");
    const minified = `import OpenAI from "openai";${"var a=1;".repeat(2000)}`;
    assert.equal(engine.analyze(minified, "a.js").skipped?.reason, "minified");
  });
});

describe("summaries", () => {
  test("a sanitizer applied inside a helper cleans the caller's data", () => {
    const code = `import shlex, subprocess
from openai import OpenAI
client = OpenAI()
def quoted(x):
    return shlex.quote(x)
def go():
    out = client.chat.completions.create(model="m", messages=[]).choices[0].message.content
    subprocess.run("grep " + quoted(out), shell=True)
    subprocess.run("grep " + out, shell=True)
`;
    assert.deepEqual(lines(code, "a.py", SHELL), [9]);
  });
});
