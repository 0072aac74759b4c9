/** LLM wrapper functions declared in the project config (or settings) turn into findings. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createEngine } from "../../server/src/engine/analyze";
import { knowledgeModel, parseConfig } from "../../server/src/engine/config";
import type { Engine } from "../../server/src/engine/types";

const RULE_IDS = ["untrusted-input-in-system-prompt", "llm-output-to-eval"];

async function engineFor(configText: string, fileName = "secure-ai-lint.yaml"): Promise<Engine> {
  const { config, problems } = parseConfig(configText, RULE_IDS, fileName);
  assert.deepEqual(problems, []);
  return createEngine({ extraModels: config.model ? [config.model] : [] });
}

function reported(engine: Engine, code: string, file: string): Array<[string, number]> {
  return engine
    .analyze(code, file)
    .findings.map((f): [string, number] => [f.ruleId, f.range.start.line + 1])
    .sort((a, b) => a[1] - b[1]);
}

const PYTHON = `from flask import request
from myapp.llm import ask

def handle():
    reply = ask("What is 2+2?")
    eval(reply)
    ask("Summarise this.", system=request.args["persona"])
    ask("Summarise this.", "You are " + request.args["persona"])
    ask(request.args["question"], system="You are terse.")
    ask([{"role": "system", "content": request.args["persona"]}])
    ask([{"role": "user", "content": request.args["question"]}])
    eval(len(reply))
`;

test("a wrapper's result is model output and its system argument a system prompt (Python)", async () => {
  const wrapped = await engineFor("llmWrappers:\n  - call: myapp.llm.ask\n    system: [1, system]\n    prompt: 0\n");
  assert.deepEqual(reported(wrapped, PYTHON, "app.py"), [
    ["llm-output-to-eval", 6],
    ["untrusted-input-in-system-prompt", 7],
    ["untrusted-input-in-system-prompt", 8],
    ["untrusted-input-in-system-prompt", 10],
  ]);
  const plain = await createEngine();
  assert.deepEqual(reported(plain, PYTHON, "app.py"), [], "without the declaration the wrapper is an unknown function");
});

test("without `system` or `prompt`, a wrapper is only a source of model output", async () => {
  const sourceOnly = await engineFor('{ "llmWrappers": [{ "call": "myapp.llm.ask" }] }', "secure-ai-lint.json");
  assert.deepEqual(reported(sourceOnly, PYTHON, "app.py"), [["llm-output-to-eval", 6]]);
});

test("a wrapper from the editor settings works the same way (TypeScript, options object)", async () => {
  const model = knowledgeModel({ llmWrappers: [{ call: "**.askModel", system: "system" }] }, "settings", "Editor settings");
  assert.ok(model);
  const engine = await createEngine({ extraModels: [model] });
  const code = `import express from "express";
import { askModel } from "./llm";
const app = express();
app.post("/chat", async (req, res) => {
  const answer = await askModel({ prompt: req.body.question, system: "You are terse." });
  res.json(eval(answer));
  await askModel({ prompt: "Hi", system: \`You are \${req.body.persona}\` });
});
`;
  assert.deepEqual(reported(engine, code, "app.ts"), [
    ["llm-output-to-eval", 6],
    ["untrusted-input-in-system-prompt", 7],
  ]);
});
