// Formula assistant: a grader, a shell helper and a support bot with reviewed exceptions.
import { execSync } from "node:child_process";

import express from "express";
import OpenAI from "openai";

const client = new OpenAI();
const app = express();
app.use(express.json());

async function ask(question: string): Promise<string> {
  const response = await client.responses.create({ model: "gpt-4.1-mini", input: question });
  return response.output_text;
}

export async function gradeSandboxed(question: string) {
  const reply = await ask(question);
  // ok: invalid-suppression
  // secure-ai-lint: ignore[llm-output-to-eval] -- runs in the grader worker: no network, no secrets, killed after 2 s
  return eval(reply);
}

export async function gradeInline(question: string) {
  const reply = await ask(question);
  // ok: invalid-suppression
  return eval(reply); // secure-ai-lint: ignore[llm-output-to-eval] -- grader worker, see docs/grader.md
}

export async function gradeBlockComment(question: string) {
  const reply = await ask(question);
  // ok: invalid-suppression
  /* secure-ai-lint: ignore[llm-output-to-eval] -- grader worker,
     reviewed with the platform team in March */
  return eval(reply);
}

export async function gradeWithoutReason(question: string) {
  const reply = await ask(question);
  // ruleid: invalid-suppression
  // secure-ai-lint: ignore[llm-output-to-eval]
  return eval(reply);
}

export async function gradeWithEmptyReason(question: string) {
  const reply = await ask(question);
  // ruleid: invalid-suppression
  return eval(reply); /* secure-ai-lint: ignore[llm-output-to-eval] -- */
}

export async function gradeWithPlaceholder(question: string) {
  const reply = await ask(question);
  // ruleid: invalid-suppression
  // secure-ai-lint: ignore[llm-output-to-eval] -- <reason>
  return eval(reply);
}

export async function gradeWithTypo(question: string) {
  const reply = await ask(question);
  // ruleid: invalid-suppression
  // secure-ai-lint: ignore[llm-output-to-evil] -- grader worker
  return eval(reply);
}

export async function listFiles(question: string) {
  const command = await ask(question);
  // ok: invalid-suppression
  // secure-ai-lint: ignore[llm-output-to-shell] -- the operator confirms every command in the TUI before it runs
  return execSync(command).toString();
}

export async function trimReply(question: string) {
  const reply = await ask(question);
  // ruleid: invalid-suppression
  return reply.trim(); // secure-ai-lint: ignore[llm-output-to-eval] -- was eval() before the parser landed
}

export async function unusedAbove(question: string) {
  const reply = await ask(question);
  // ruleid: invalid-suppression
  // secure-ai-lint: ignore[llm-output-to-shell] -- the command is fixed
  return execSync("ls -l").toString() + reply;
}

export async function twoRulesOneUnused(question: string) {
  const reply = await ask(question);
  // ruleid: invalid-suppression
  return eval(reply); // secure-ai-lint: ignore[llm-output-to-eval, llm-output-to-shell] -- grader worker
}

export async function twoRulesBothUsed(question: string) {
  const code = await ask(question);
  // ok: invalid-suppression
  // secure-ai-lint: ignore[llm-output-to-eval, llm-output-to-shell] -- grader runs both in a throwaway VM
  return String(eval(code)) + execSync(code).toString();
}

export async function stacked(question: string) {
  const code = await ask(question);
  // ok: invalid-suppression
  // secure-ai-lint: ignore[llm-output-to-eval] -- throwaway VM
  // secure-ai-lint: ignore[llm-output-to-shell] -- throwaway VM, reviewed by the platform team
  return String(eval(code)) + execSync(code).toString();
}

export async function notASuppression(question: string) {
  const reply = await ask(question);
  // ruleid: invalid-suppression
  // secure-ai-lint: disable llm-output-to-eval
  return eval(reply);
}

export async function namesNoRule(question: string) {
  const reply = await ask(question);
  // ruleid: invalid-suppression
  return eval(reply); // secure-ai-lint: ignore[] -- grader worker
}

app.post("/support", async (req, res) => {
  const persona = req.body.persona;
  // ruleid: invalid-suppression
  // secure-ai-lint: ignore[untrusted-input-in-system-prompt] -- persona is one of three values checked by the API gateway
  const instructions = `You are ${persona}, a support agent.`;
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      // ok: invalid-suppression
      { role: "system", content: instructions }, // secure-ai-lint: ignore[untrusted-input-in-system-prompt] -- see the gateway's persona check
      { role: "user", content: req.body.question },
    ],
  });
  res.json({ answer: completion.choices[0].message.content });
});

export async function ordinaryComments(question: string) {
  // ok: invalid-suppression
  // The secure-ai-lint docs explain suppressions; this comment is not one.
  return ask(question);
}
