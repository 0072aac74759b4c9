import { openai } from "@ai-sdk/openai";
import { generateObject, generateText } from "ai";
import knex from "knex";
import { z } from "zod";

import { DATABASE_URL, MODEL } from "../../../../config.js";

// The lab's paper library: every paper the team has read, with notes and ratings.
const library = knex({ client: "pg", connection: DATABASE_URL, pool: { min: 0, max: 4 } });

const SCHEMA =
  "papers(id, arxiv_id, title, venue, year, added_by, added_at), " +
  "notes(id, paper_id, author, body, rating, created_at)";

const PaperFilter = z.object({
  venue: z.string().max(100).optional(),
  fromYear: z.number().int().min(1900).max(2100).optional(),
  author: z.string().max(100).optional(),
});

// POST /api/library/ask { question }: "ask the library" in plain language.
export async function POST(req: Request) {
  const { question } = (await req.json()) as { question: string };
  const { text } = await generateText({
    model: openai(MODEL),
    system: `Write one PostgreSQL SELECT statement that answers the question. Reply with SQL only. Schema: ${SCHEMA}`,
    prompt: question,
  });
  const sql = text.replace(/^```(?:sql)?\s*|```\s*$/g, "").trim();
  const result = await library.raw(sql);
  return Response.json({ sql, rows: result.rows });
}

// GET /api/library/ask?q=...: the search box, which only filters the paper list.
export async function GET(req: Request) {
  const q = new URL(req.url).searchParams.get("q") ?? "";
  const { object: filter } = await generateObject({
    model: openai(MODEL),
    schema: PaperFilter,
    system: "Turn the search into filters over the lab's paper library. Leave out filters the search does not mention.",
    prompt: q.slice(0, 500),
  });
  let query = library("papers").select("arxiv_id", "title", "venue", "year").orderBy("added_at", "desc").limit(50);
  if (filter.venue) query = query.where("venue", filter.venue);
  if (filter.fromYear) query = query.where("year", ">=", filter.fromYear);
  if (filter.author) query = query.where("added_by", filter.author);
  return Response.json({ papers: await query });
}
