// MCP server that exposes the research agent to desktop assistants.
//   npx tsx mcp.ts "Climate Policy Lab"
// The argument is the team name the briefs are written for.
import Anthropic from "@anthropic-ai/sdk";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import OpenAI from "openai";
import { z } from "zod";

import { recentCommits } from "./tools.js";

const teamName = process.argv[2] ?? "Research";

const anthropic = new Anthropic();
const openaiClient = new OpenAI();
const CLAUDE_MODEL = process.env.RESEARCH_CLAUDE_MODEL ?? "claude-sonnet-4-6";
const MODEL = process.env.RESEARCH_MODEL ?? "gpt-5.4-mini";

const CITATION_STYLES = {
  apa: "Format every reference in APA 7th edition style.",
  chicago: "Format every reference in Chicago author-date style.",
  ieee: "Format every reference in IEEE style.",
} as const;

const server = new McpServer({ name: "research-agent", version: "0.3.0" });

function textOf(message: Anthropic.Message): string {
  return message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("\n");
}

server.tool(
  "write_brief",
  "Write a one-page research brief on a topic.",
  { topic: z.string().max(500), audience: z.string().max(200) },
  async ({ topic, audience }) => {
    const message = await anthropic.messages.create({
      model: CLAUDE_MODEL,
      max_tokens: 2048,
      system: `You write research briefs for the ${teamName} team. The readers are ${audience}.`,
      messages: [{ role: "user", content: `Write a brief on: ${topic}` }],
    });
    return { content: [{ type: "text", text: textOf(message) }] };
  },
);

server.registerTool(
  "review_draft",
  {
    title: "Review a draft",
    description: "Critique a draft the way a given reviewer would.",
    inputSchema: { draft: z.string(), reviewerRole: z.string() },
  },
  async ({ draft, reviewerRole }) => {
    const completion = await openaiClient.chat.completions.create({
      model: MODEL,
      messages: [
        { role: "system", content: "You are " + reviewerRole + ". Critique drafts rigorously and specifically." },
        { role: "user", content: draft },
      ],
    });
    return { content: [{ type: "text", text: completion.choices[0].message.content ?? "" }] };
  },
);

server.registerTool(
  "format_references",
  {
    title: "Format references",
    description: "Format a list of references in a citation style.",
    inputSchema: { references: z.string(), style: z.enum(["apa", "chicago", "ieee"]) },
  },
  async ({ references, style }) => {
    const message = await anthropic.messages.create({
      model: CLAUDE_MODEL,
      max_tokens: 2048,
      system: CITATION_STYLES[style],
      messages: [{ role: "user", content: references }],
    });
    return { content: [{ type: "text", text: textOf(message) }] };
  },
);

server.registerTool(
  "recent_commits",
  {
    title: "Recent commits",
    description: "The last twenty commits of the research repository.",
    annotations: { readOnlyHint: true },
  },
  async () => ({ content: [{ type: "text", text: await recentCommits() }] }),
);

await server.connect(new StdioServerTransport());
