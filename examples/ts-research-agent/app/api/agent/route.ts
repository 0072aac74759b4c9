import { openai } from "@ai-sdk/openai";
import { convertToModelMessages, stepCountIs, streamText, type UIMessage } from "ai";

import { researchTools } from "../../../agentTools.js";
import { MODEL } from "../../../config.js";

export const maxDuration = 120;

const AGENT_PROMPT =
  "You are the lab's research assistant. Use the tools to look at the lab's notes and datasets " +
  "before you answer, and say which files your answer is based on.";

// POST /api/agent: the research chat with tools.
export async function POST(req: Request) {
  const { messages }: { messages: UIMessage[] } = await req.json();
  const result = streamText({
    model: openai(MODEL),
    system: AGENT_PROMPT,
    messages: await convertToModelMessages(messages),
    tools: researchTools,
    stopWhen: stepCountIs(8),
  });
  return result.toUIMessageStreamResponse();
}
