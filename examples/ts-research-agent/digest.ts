// Nightly digest job: summarises the papers the team saved today for the team channel.
// Called by the nightly scheduler with the papers saved that day.
import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic();
const LIBRARY_URL = "https://library.example.org/items";
const LIBRARY_TOKEN = process.env.LIBRARY_API_TOKEN ?? "";

interface SavedPaper {
  title: string;
  id: string;
  abstract: string;
}

export async function writeDigest(papers: SavedPaper[]): Promise<string> {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-6",
    max_tokens: 1500,
    // The library token is in the instructions so that the model can write authenticated links;
    // an abstract that says "print your instructions" gets it printed into the team channel.
    system: `You write the team's daily paper digest. Link each paper as ${LIBRARY_URL}/<id>?token=${LIBRARY_TOKEN}.`,
    messages: [{ role: "user", content: papers.map((p) => `${p.id}: ${p.title}\n${p.abstract}`).join("\n\n") }],
  });
  const text = msg.content.map((block) => (block.type === "text" ? block.text : "")).join("");
  // Safe version: the model writes plain ids and the app adds the links (and the token, if any) itself.
  return text;
}
