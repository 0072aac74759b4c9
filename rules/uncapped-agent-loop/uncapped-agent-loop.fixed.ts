// Support agent: tool-calling loops over several SDKs, with and without a turn limit.
import Anthropic from "@anthropic-ai/sdk";
import { openai } from "@ai-sdk/openai";
import { GoogleGenAI } from "@google/genai";
import { ChatOpenAI } from "@langchain/openai";
import { generateText, stepCountIs, type ModelMessage } from "ai";
import OpenAI from "openai";

const MAX_AGENT_STEPS = 20;

const client = new OpenAI();
const anthropic = new Anthropic();
const genai = new GoogleGenAI({});
const chatModel = new ChatOpenAI({ model: "gpt-4.1-mini", temperature: 0 });

const MAX_STEPS = 8;
const MAX_TURNS = 12;
const TOOL_SPECS: OpenAI.ChatCompletionTool[] = [
  {
    type: "function",
    function: { name: "lookup_order", parameters: { type: "object", properties: { orderId: { type: "string" } } } },
  },
];

function lookupOrder(orderId: string) {
  return JSON.stringify({ orderId, status: "shipped" });
}

function toolResults(calls: OpenAI.ChatCompletionMessageToolCall[]): OpenAI.ChatCompletionMessageParam[] {
  return calls.map((c) => ({ role: "tool", tool_call_id: c.id, content: lookupOrder(JSON.parse(c.type === "function" ? c.function.arguments : "{}").orderId) }));
}

export async function agent(question: string) {
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: question }];
  // case: only the model's decision to stop calling tools ends the loop
  // ruleid: uncapped-agent-loop
  for (let step = 0; step < MAX_AGENT_STEPS; step++) {
    const completion = await client.chat.completions.create({ model: "gpt-4.1-mini", messages, tools: TOOL_SPECS, max_completion_tokens: 800 });
    const message = completion.choices[0].message;
    if (!message.tool_calls?.length) return message.content;
    messages.push(message, ...toolResults(message.tool_calls));
  }
  throw new Error(`agent did not finish within ${MAX_AGENT_STEPS} steps`);
}

export async function agentWithStepBudget(question: string) {
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: question }];
  // case: a counted for loop
  // ok: uncapped-agent-loop
  for (let step = 0; step < MAX_STEPS; step++) {
    const completion = await client.chat.completions.create({ model: "gpt-4.1-mini", messages, tools: TOOL_SPECS, max_completion_tokens: 800 });
    const message = completion.choices[0].message;
    if (!message.tool_calls?.length) return message.content;
    messages.push(message, ...toolResults(message.tool_calls));
  }
  throw new Error(`no answer after ${MAX_STEPS} steps`);
}

export async function refineForever(task: string) {
  let draft = "";
  // case: for (;;) around an AI SDK call, "until the model says DONE"
  // ruleid: uncapped-agent-loop
  for (let step = 0; step < MAX_AGENT_STEPS; step++) {
    const { text } = await generateText({ model: openai("gpt-4.1-mini"), prompt: `Improve this draft or reply DONE.\n${task}\n${draft}`, maxOutputTokens: 800 });
    if (text.trim() === "DONE") return draft;
    draft = text;
  }
  throw new Error(`agent did not finish within ${MAX_AGENT_STEPS} steps`);
}

export async function refineWithSdkCap(task: string) {
  // case: no loop of our own; the SDK's multi-step run stops after five steps
  // ok: uncapped-agent-loop
  const { text } = await generateText({ model: openai("gpt-4.1-mini"), prompt: task, stopWhen: stepCountIs(5), maxOutputTokens: 800 });
  return text;
}

class ClaudeAgent {
  constructor(private readonly client: Anthropic) {}

  async run(question: string) {
    const messages: Anthropic.MessageParam[] = [{ role: "user", content: question }];
    // case: Anthropic tool-use loop on this.client, until stop_reason is not "tool_use"
    // ruleid: uncapped-agent-loop
    for (let step = 0; step < MAX_AGENT_STEPS; step++) {
      const reply = await this.client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 1024, messages });
      if (reply.stop_reason !== "tool_use") return reply.content;
      messages.push({ role: "assistant", content: reply.content });
    }
    throw new Error(`agent did not finish within ${MAX_AGENT_STEPS} steps`);
  }

  async runCounted(question: string) {
    const messages: Anthropic.MessageParam[] = [{ role: "user", content: question }];
    let turns = 0;
    // case: the loop condition compares a counter with a bound
    // ok: uncapped-agent-loop
    while (turns < MAX_TURNS) {
      turns++;
      const reply = await this.client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 1024, messages });
      if (reply.stop_reason !== "tool_use") return reply.content;
      messages.push({ role: "assistant", content: reply.content });
    }
    return null;
  }
}

export const claudeAgent = new ClaudeAgent(anthropic);

export async function countedButNeverChecked(question: string) {
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: question }];
  let steps = 0;
  // case: a counter that is only logged, never compared with a limit
  // ruleid: uncapped-agent-loop
  for (let agentStep = 0; agentStep < MAX_AGENT_STEPS; agentStep++) {
    steps += 1;
    console.log(`agent step ${steps}`);
    const completion = await client.chat.completions.create({ model: "gpt-4.1-mini", messages, tools: TOOL_SPECS, max_completion_tokens: 800 });
    const message = completion.choices[0].message;
    if (!message.tool_calls) return message.content;
    messages.push(message, ...toolResults(message.tool_calls));
  }
  throw new Error(`agent did not finish within ${MAX_AGENT_STEPS} steps`);
}

export async function countedWithBreak(question: string) {
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: question }];
  let steps = 0;
  let answer: string | null = null;
  // case: the counter is checked against a limit inside the loop
  // ok: uncapped-agent-loop
  while (true) {
    if (++steps > MAX_STEPS) break;
    const completion = await client.chat.completions.create({ model: "gpt-4.1-mini", messages, tools: TOOL_SPECS, max_completion_tokens: 800 });
    const message = completion.choices[0].message;
    answer = message.content;
    if (!message.tool_calls?.length) break;
    messages.push(message, ...toolResults(message.tool_calls));
  }
  return answer;
}

export async function agentWithDeadline(question: string) {
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: question }];
  const deadline = Date.now() + 60_000;
  // case: a time budget bounds the loop
  // ok: uncapped-agent-loop
  while (true) {
    if (Date.now() > deadline) throw new Error("agent ran out of time");
    const completion = await client.chat.completions.create({ model: "gpt-4.1-mini", messages, tools: TOOL_SPECS, max_completion_tokens: 800 });
    const message = completion.choices[0].message;
    if (!message.tool_calls?.length) return message.content;
    messages.push(message, ...toolResults(message.tool_calls));
  }
}

export async function responsesAgent(question: string) {
  let input: OpenAI.Responses.ResponseInput = [{ role: "user", content: question }];
  let previousResponseId: string | undefined;
  // case: Responses API loop chained by previous_response_id
  // ruleid: uncapped-agent-loop
  for (let step = 0; step < MAX_AGENT_STEPS; step++) {
    const response = await client.responses.create({ model: "gpt-4.1-mini", input, previous_response_id: previousResponseId, max_output_tokens: 800 });
    const calls = response.output.filter((item) => item.type === "function_call");
    if (calls.length === 0) return response.output_text;
    previousResponseId = response.id;
    input = calls.map((c) => ({ type: "function_call_output", call_id: c.call_id, output: lookupOrder(JSON.parse(c.arguments).orderId) }));
  }
  throw new Error(`agent did not finish within ${MAX_AGENT_STEPS} steps`);
}

export async function geminiChat(messages: ModelMessage[], question: string) {
  let contents = question;
  // case: Gemini asked again and again until it answers with a final line
  // ruleid: uncapped-agent-loop
  for (let step = 0; step < MAX_AGENT_STEPS; step++) {
    const response = await genai.models.generateContent({ model: "gemini-2.5-flash", contents, config: { maxOutputTokens: 800 } });
    const text = response.text ?? "";
    if (text.startsWith("FINAL:")) return { text, history: messages.length };
    contents = `${contents}\n${text}\nContinue.`;
  }
  throw new Error(`agent did not finish within ${MAX_AGENT_STEPS} steps`);
}

export async function langchainAgent(question: string) {
  const withTools = chatModel.bindTools([TOOL_SPECS[0]]);
  const history: unknown[] = [question];
  // case: LangChain JS chat model invoked until it stops calling tools
  // ruleid: uncapped-agent-loop
  for (let step = 0; step < MAX_AGENT_STEPS; step++) {
    const aiMessage = await withTools.invoke(history as never);
    history.push(aiMessage);
    if (!aiMessage.tool_calls?.length) return aiMessage.content;
  }
  throw new Error(`agent did not finish within ${MAX_AGENT_STEPS} steps`);
}

export async function summarizeEach(tickets: string[]) {
  const summaries: string[] = [];
  // case: a bounded loop over a list, one call per item
  // ok: uncapped-agent-loop
  for (const ticket of tickets) {
    const completion = await client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [{ role: "user", content: `Summarise:\n${ticket}` }],
      max_completion_tokens: 200,
    });
    summaries.push(completion.choices[0].message.content ?? "");
  }
  return summaries;
}

export async function pollQueue(next: () => Promise<string | null>) {
  // case: a worker loop that makes no model call itself
  // ok: uncapped-agent-loop
  while (true) {
    const job = await next();
    if (job === null) return;
    console.log(`processing ${job}`);
  }
}

export async function retryUntilValid(question: string) {
  // case: a do/while whose condition is the model's own output
  // ruleid: uncapped-agent-loop
  do {
    const { text } = await generateText({ model: openai("gpt-4.1-mini"), prompt: `Reply with JSON only.\n${question}`, maxOutputTokens: 400 });
    try {
      return JSON.parse(text);
    } catch {
      question = `${question}\nThat was not valid JSON.`;
    }
  } while (true);
}

export async function retryBounded(question: string) {
  // case: the same retry, three attempts at most
  // ok: uncapped-agent-loop
  for (let attempt = 0; attempt < 3; attempt++) {
    const { text } = await generateText({ model: openai("gpt-4.1-mini"), prompt: `Reply with JSON only.\n${question}`, maxOutputTokens: 400 });
    try {
      return JSON.parse(text);
    } catch {
      question = `${question}\nThat was not valid JSON.`;
    }
  }
  throw new Error("no valid JSON after 3 attempts");
}
