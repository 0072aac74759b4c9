// CRM assistant: drafts replies and summaries about customers with hosted and local models.
import Anthropic from "@anthropic-ai/sdk";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { openai } from "@ai-sdk/openai";
import { GoogleGenAI } from "@google/genai";
import { ChatOpenAI } from "@langchain/openai";
import { embed, generateText, streamText } from "ai";
import ollama from "ollama";
import OpenAI from "openai";
import { z } from "zod";

/** A stand-in for personal data or a secret: an email keeps its first letter and domain. */
function redact(value: unknown): string {
  const email = /^([^@\s])[^@\s]*@([^@\s]+\.[^@\s]+)$/.exec(String(value));
  return email ? `${email[1]}***@${email[2]}` : "[redacted]";
}

const client = new OpenAI();
const claude = new Anthropic();
const gemini = new GoogleGenAI({});
const bedrock = new BedrockRuntimeClient({ region: "eu-west-1" });
const chatModel = new ChatOpenAI({ model: "gpt-4.1-mini" });

const SUPPORT_EMAIL = "help@example.com";
const Customer = z.object({ id: z.number(), contact: z.string().email(), plan: z.string() });

function redactEmail(address: string): string {
  return address.includes("@") ? "<email>" : address;
}

export async function draftReply(body: unknown, complaint: string, row: Record<string, string>) {
  const customer = Customer.parse(body);
  const { phoneNumber, dateOfBirth } = row;
  // case: a field the schema declares as an email, in an OpenAI chat message
  await client.chat.completions.create({
    model: "gpt-4.1-mini",
    // ruleid: pii-sent-to-model-provider
    messages: [{ role: "user", content: `Reply to ${redact(customer.contact)} about: ${complaint}` }],
  });
  // case: a phone number in Anthropic's messages
  await claude.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 512,
    // ruleid: pii-sent-to-model-provider
    messages: [{ role: "user", content: `Write an SMS for ${redact(phoneNumber)}: ${complaint}` }],
  });
  // case: a date of birth in Gemini contents
  await gemini.models.generateContent({
    model: "gemini-2.5-flash",
    // ruleid: pii-sent-to-model-provider
    contents: `Is a customer born on ${redact(dateOfBirth)} eligible for the senior plan?`,
  });
  // case: an AI SDK prompt with a card number
  await generateText({
    model: openai("gpt-4.1-mini"),
    // ruleid: pii-sent-to-model-provider
    prompt: `Check this card: ${redact(row.cardNumber)}`,
  });
  // case: AI SDK messages with a home address
  streamText({
    model: openai("gpt-4.1-mini"),
    // ruleid: pii-sent-to-model-provider
    messages: [{ role: "user", content: `Plan a delivery route to ${redact(row.homeAddress)}` }],
  });
  // case: a social security number in a Bedrock Converse command
  await bedrock.send(
    new ConverseCommand({
      modelId: "anthropic.claude-3-5-sonnet-20240620-v1:0",
      // ruleid: pii-sent-to-model-provider
      messages: [{ role: "user", content: [{ text: `Verify SSN ${redact(row.ssn)}` }] }],
    }),
  );
  // case: a LangChain chat model invoked with the customer's email
  // ruleid: pii-sent-to-model-provider
  await chatModel.invoke(`Write a welcome note for ${redact(customer.contact)}`);
  // case: an email address embedded for search is sent to the provider too
  // ruleid: pii-sent-to-model-provider
  await embed({ model: openai.embedding("text-embedding-3-small"), value: redact(row.email) });
}

export async function draftSafely(body: unknown, complaint: string, row: Record<string, string>) {
  const customer = Customer.parse(body);
  // case: only the complaint text and the customer id
  await client.chat.completions.create({
    model: "gpt-4.1-mini",
    // ok: pii-sent-to-model-provider
    messages: [{ role: "user", content: `Customer ${customer.id} writes: ${complaint}` }],
  });
  // case: the address redacted before it is sent
  await claude.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 512,
    // ok: pii-sent-to-model-provider
    messages: [{ role: "user", content: `Reply to ${redactEmail(customer.contact)} about: ${complaint}` }],
  });
  // case: a local Ollama model keeps the data on this machine
  await ollama.chat({
    model: "llama3.1",
    // ok: pii-sent-to-model-provider
    messages: [{ role: "user", content: `Reply to ${customer.contact}` }],
  });
  // case: the organisation's own address
  await gemini.models.generateContent({
    model: "gemini-2.5-flash",
    // ok: pii-sent-to-model-provider
    contents: `Sign off with ${SUPPORT_EMAIL}.`,
  });
  // case: whether an email is on file is not the email
  await generateText({
    model: openai("gpt-4.1-mini"),
    // ok: pii-sent-to-model-provider
    prompt: `Has email on file: ${Boolean(row.email)}. Plan: ${customer.plan}`,
  });
  // case: the length of an address is not the address
  await generateText({
    model: openai("gpt-4.1-mini"),
    // ok: pii-sent-to-model-provider
    prompt: `The address has ${row.homeAddress.length} characters.`,
  });
  // case: a model's earlier answer is not read through a sensitive name
  const summary = await client.chat.completions.create({ model: "gpt-4.1-mini", messages: [{ role: "user", content: complaint }] });
  // ok: pii-sent-to-model-provider
  await chatModel.invoke(`Shorten: ${summary.choices[0].message.content}`);
  // case: the plan and the ticket count
  await client.chat.completions.create({
    model: "gpt-4.1-mini",
    // ok: pii-sent-to-model-provider
    messages: [{ role: "user", content: `Plan ${row.plan}, ${row.ticketCount} open tickets` }],
  });
}
