// Tools the research agent uses to fetch data and compute results.
// Most of them ask a model for a command or a bit of code and run it.
import { exec, execFile, execSync, spawn } from "node:child_process";
import { promisify } from "node:util";
import vm from "node:vm";

import { openai } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { z } from "zod";

const execAsync = promisify(exec);
const execFileAsync = promisify(execFile);

const client = new OpenAI();
const MODEL = process.env.RESEARCH_MODEL ?? "gpt-5.4-mini";
const WORKDIR = process.env.RESEARCH_WORKDIR ?? "/srv/research";

// Commands the agent may run by name, with fixed arguments.
const NAMED_COMMANDS = new Map<string, string[]>([
  ["list-datasets", ["ls", "-1", `${WORKDIR}/datasets`]],
  ["disk-usage", ["du", "-sh", WORKDIR]],
  ["recent-commits", ["git", "-C", WORKDIR, "log", "--oneline", "-n", "20"]],
]);

const ChartSpec = z.object({
  kind: z.enum(["bar", "line", "scatter"]),
  x: z.string().max(64),
  y: z.string().max(64),
  title: z.string().max(120),
});

async function askForCode(task: string): Promise<string> {
  const completion = await client.chat.completions.create({
    model: MODEL,
    messages: [
      { role: "system", content: "You write short, correct code. Reply with code only, no fences." },
      { role: "user", content: task },
    ],
  });
  return completion.choices[0].message.content ?? "";
}

export async function collectDataset(description: string): Promise<string> {
  const command = await askForCode(`Write one POSIX shell command that downloads ${description} into ./datasets.`);
  const { stdout } = await execAsync(command, { cwd: WORKDIR, timeout: 120_000 });
  return stdout;
}

export async function convertNotes(notebook: string): Promise<Buffer> {
  if (!/^[\w-]+$/.test(notebook)) {
    throw new Error(`invalid notebook name: ${notebook}`);
  }
  const { text: flags } = await generateText({
    model: openai(MODEL),
    instructions: "You know pandoc well. Reply with command-line flags only.",
    prompt: `Which pandoc flags turn ${notebook} into a PDF with a table of contents?`,
  });
  return execSync(`pandoc notes/${notebook}.md ${flags.trim()}`, { cwd: WORKDIR });
}

export async function runAnalysis(goal: string): Promise<number | null> {
  const result = streamText({
    model: openai(MODEL),
    instructions: "Write a bash script that analyses the CSV files in ./datasets. Script only.",
    prompt: goal,
  });
  let script = "";
  for await (const delta of result.textStream) {
    script += delta;
  }
  const child = spawn(script, { shell: true, cwd: WORKDIR, stdio: "inherit" });
  return new Promise((resolve) => child.on("close", resolve));
}

export async function evaluateFormula(question: string, row: Record<string, number>): Promise<number> {
  const { text } = await generateText({
    model: openai(MODEL),
    instructions: "Answer with a JavaScript expression over the object `row` in a ```js block.",
    prompt: question,
  });
  const formula = text.match(/```(?:js)?\n([\s\S]*?)```/)?.[1] ?? text;
  const compute = new Function("row", `return (${formula});`);
  return Number(compute(row));
}

export async function computeStatistic(values: number[], statistic: string): Promise<number> {
  const expression = await askForCode(`A JavaScript expression computing the ${statistic} of the array literal ${JSON.stringify(values)}.`);
  return Number(eval(expression));
}

export async function transformRows(rows: unknown[], instruction: string): Promise<unknown[]> {
  const code = await askForCode(`JavaScript statements that ${instruction} on the array \`rows\` and assign the result to \`output\`.`);
  // A fresh context keeps the generated code away from our globals.
  const sandbox = { rows, output: [] as unknown[] };
  vm.runInNewContext(code, sandbox, { timeout: 1000 });
  return sandbox.output;
}

export async function runNamedCommand(goal: string): Promise<string> {
  const { text } = await generateText({
    model: openai(MODEL),
    instructions: `Pick the command that helps most. Reply with one of: ${[...NAMED_COMMANDS.keys()].join(", ")}.`,
    prompt: goal,
  });
  const choice = text.trim();
  if (!NAMED_COMMANDS.has(choice)) {
    throw new Error(`the model chose an unknown command: ${choice}`);
  }
  const [program, ...args] = NAMED_COMMANDS.get(choice)!;
  const { stdout } = await execFileAsync(program, args, { cwd: WORKDIR });
  return stdout;
}

export async function chartSpec(request: string): Promise<z.infer<typeof ChartSpec>> {
  const reply = await askForCode(`A JSON chart spec {kind, x, y, title} for: ${request}`);
  return ChartSpec.parse(JSON.parse(reply));
}

export async function recentCommits(): Promise<string> {
  const { stdout } = await execFileAsync("git", ["-C", WORKDIR, "log", "--oneline", "-n", "20"]);
  return stdout;
}
