// Internal operations assistant: answers staff questions and calls internal services.
import Anthropic from "@anthropic-ai/sdk";
import { openai } from "@ai-sdk/openai";
import { SystemMessage, HumanMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { generateText } from "ai";
import OpenAI from "openai";

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
const claude = new Anthropic();
const chatModel = new ChatOpenAI({ model: "gpt-4.1-mini" });

const dbPassword = process.env.DB_PASSWORD;
const STRIPE_KEY_ENV_VAR = "STRIPE_SECRET_KEY";
const API_KEY_HEADER = "X-API-Key";
const TOKEN_BUDGET = 4000;

export async function askOps(question: string) {
  // case: a database password from the environment in the system message
  const resp = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      // ruleid: secret-in-system-prompt
      { role: "system", content: `You can query the ops database. Its password is ${dbPassword}.` },
      { role: "user", content: question },
    ],
  });
  return resp.choices[0].message.content;
}

export async function askBilling(question: string) {
  // case: an environment variable named like a secret in Anthropic's system prompt
  const msg = await claude.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    // ruleid: secret-in-system-prompt
    system: `Call the billing API with key ${process.env.STRIPE_SECRET_KEY}.`,
    messages: [{ role: "user", content: question }],
  });
  return msg.content;
}

export async function askWithToken(question: string, accessToken: string) {
  // case: an access token parameter in a LangChain system message
  // ruleid: secret-in-system-prompt
  const system = new SystemMessage(`Use this bearer token for the CRM API: ${accessToken}`);
  return (await chatModel.invoke([system, new HumanMessage(question)])).content;
}

export async function askWithVercel(question: string, session: { apiKey: string }) {
  // case: an object's apiKey property in the AI SDK system prompt
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    // ruleid: secret-in-system-prompt
    system: `Authenticate with ${session.apiKey} when you call tools.`,
    prompt: question,
  });
  return text;
}

export async function askWithLiteralKey(question: string) {
  // case: a provider key written into the prompt text
  const resp = await client.responses.create({
    model: "gpt-4.1-mini",
    // ruleid: secret-in-system-prompt
    instructions: "Call the search API with key AIzaSyB4x9Qv2LmR7tKp0sWdE3hN8cJf6uYgZa1.",
    input: question,
  });
  return resp.output_text;
}

export async function askWithDsn(question: string) {
  // case: a connection string with a password, hard-coded in the instructions
  const resp = await client.responses.create({
    model: "gpt-4.1-mini",
    // ruleid: secret-in-system-prompt
    instructions: "Reports live in postgres://reporter:Xk29vLq7@db.internal:5432/reports.",
    input: question,
  });
  return resp.output_text;
}

export async function askWithHeaders(question: string, req: { headers: Record<string, string> }) {
  // case: the Authorization header copied into a developer message
  const resp = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      // ruleid: secret-in-system-prompt
      { role: "developer", content: "Forward this header: " + req.headers["authorization"] },
      { role: "user", content: question },
    ],
  });
  return resp.choices[0].message.content;
}

export async function askWithCredentials(question: string, credentials: { user: string; secret: string }) {
  // case: a credentials object in the AI SDK system prompt
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    // ruleid: secret-in-system-prompt
    system: `Service credentials: ${JSON.stringify(credentials)}`,
    prompt: question,
  });
  return text;
}

export async function askSafely(question: string, passwordMinLength: number) {
  // case: the name of the environment variable, not its value
  const resp = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      // ok: secret-in-system-prompt
      { role: "system", content: `Keys are read from ${STRIPE_KEY_ENV_VAR}; never ask the user for them.` },
      { role: "user", content: question },
    ],
  });
  // case: a header name and a token budget are configuration, not secrets
  const msg = await claude.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: TOKEN_BUDGET,
    // ok: secret-in-system-prompt
    system: `Requests need the ${API_KEY_HEADER} header. Answers stay under ${TOKEN_BUDGET} tokens.`,
    messages: [{ role: "user", content: question }],
  });
  // case: a password policy, not a password
  // ok: secret-in-system-prompt
  const policy = new SystemMessage(`Passwords must have at least ${passwordMinLength} characters.`);
  // case: the length of a key is not the key
  // ok: secret-in-system-prompt
  const info = new SystemMessage(`The configured key has ${dbPassword?.length ?? 0} characters.`);
  // case: a placeholder in an example, not a key
  const resp2 = await client.responses.create({
    model: "gpt-4.1-mini",
    // ok: secret-in-system-prompt
    instructions: "Explain how to set OPENAI_API_KEY=sk-proj-... in a .env file.",
    input: question,
  });
  // case: a connection string without a password
  const resp3 = await client.responses.create({
    model: "gpt-4.1-mini",
    // ok: secret-in-system-prompt
    instructions: "Reports live in postgres://reporter@db.internal:5432/reports.",
    input: question,
  });
  // case: the key configures the client; the prompt only names a tool
  const billing = new OpenAI({ apiKey: process.env.BILLING_OPENAI_API_KEY });
  const resp4 = await billing.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      // ok: secret-in-system-prompt
      { role: "system", content: "You can look up invoices with the lookup_invoice tool." },
      { role: "user", content: question },
    ],
  });
  // case: a secret in the user's own message is not the system prompt
  await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      { role: "system", content: "You check whether passwords are strong." },
      // ok: secret-in-system-prompt
      { role: "user", content: `Is ${dbPassword} strong?` },
    ],
  });
  return [resp, msg, policy, info, resp2, resp3, resp4];
}
