import { openai } from "@ai-sdk/openai";
import { convertToModelMessages, generateText, streamText, type UIMessage } from "ai";
import type { NextRequest } from "next/server";

export const maxDuration = 60;

const MODEL = process.env.RESEARCH_MODEL ?? "gpt-5.4-mini";

// The chat UI offers these personas; the client sends only the key.
const PERSONAS = {
  analyst: "You are a careful research analyst. Cite a source for every claim.",
  editor: "You are a concise editor. Turn findings into short bullet points.",
} as const;

type PersonaKey = keyof typeof PERSONAS;

interface ChatRequest {
  messages: UIMessage[];
  persona?: string;
  projectName?: string;
}

function isPersonaKey(value: string | undefined): value is PersonaKey {
  return value !== undefined && Object.hasOwn(PERSONAS, value);
}

// POST /api/chat: the research chat.
export async function POST(req: Request) {
  const { messages, persona, projectName }: ChatRequest = await req.json();
  const personaPrompt = isPersonaKey(persona) ? PERSONAS[persona] : PERSONAS.analyst;

  const result = streamText({
    model: openai(MODEL),
    // The project name is shown in the prompt so answers stay on topic.
    system: `${personaPrompt}\nYou are assisting the research project "${projectName}".`,
    messages: await convertToModelMessages(messages),
  });
  return result.toUIMessageStreamResponse();
}

// GET /api/chat?topic=...&lang=...: follow-up questions for the sidebar.
export async function GET(req: NextRequest) {
  const topic = req.nextUrl.searchParams.get("topic");
  const language = req.nextUrl.searchParams.get("lang") ?? "English";
  if (!topic) {
    return Response.json({ error: "missing topic" }, { status: 400 });
  }

  const { text } = await generateText({
    model: openai(MODEL),
    instructions: `Suggest three follow-up research questions, one per line. Respond in ${language}.`,
    prompt: `Topic: ${topic}`,
  });
  return Response.json({ questions: text.split("\n").filter(Boolean) });
}

// PUT /api/chat: rename a conversation from its first message.
export async function PUT(req: Request) {
  const { firstMessage } = (await req.json()) as { firstMessage: string };
  const { text } = await generateText({
    model: openai(MODEL),
    instructions: "Write a title of at most six words for a conversation that starts with the user's message.",
    prompt: firstMessage.slice(0, 2000),
  });
  return Response.json({ title: text.trim() });
}
