// Support-desk reporting API: answers questions about tickets and customers in plain language.
import Anthropic from "@anthropic-ai/sdk";
import { openai } from "@ai-sdk/openai";
import { GoogleGenAI } from "@google/genai";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { ChatOpenAI } from "@langchain/openai";
import { PrismaClient } from "@prisma/client";
import { generateObject, generateText, streamText } from "ai";
import Database from "better-sqlite3";
import { sql as drizzleSql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import express from "express";
import { knex } from "knex";
import { Document, VectorStoreIndex } from "llamaindex";
import mysql from "mysql2/promise";
import OpenAI from "openai";
import { Client, Pool } from "pg";
import postgres from "postgres";
import { QueryTypes, Sequelize } from "sequelize";
import { DataSource } from "typeorm";
import { z } from "zod";

const client = new OpenAI();
const anthropic = new Anthropic();
const genai = new GoogleGenAI({});
const chatModel = new ChatOpenAI({ model: "gpt-4.1-mini", temperature: 0 });

const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://reports@db.internal/helpdesk";
const pool = new Pool({ connectionString: DATABASE_URL });
const mysqlPool = mysql.createPool({ host: "db.internal", user: "reports", database: "helpdesk" });
const local = new Database("helpdesk.db");
const warehouse = knex({ client: "pg", connection: DATABASE_URL });
const prisma = new PrismaClient();
const sequelize = new Sequelize(DATABASE_URL);
const sql = postgres(DATABASE_URL);
const dataSource = new DataSource({ type: "postgres", url: DATABASE_URL });
const db = drizzle({ client: pool });
const app = express();
app.use(express.json());

const SCHEMA = "tickets(id, customer_id, status, priority, opened_at), customers(id, name, email, plan)";
const SQL_ONLY = `Reply with one PostgreSQL query and nothing else. Schema: ${SCHEMA}`;
const ALLOWED_TABLES = new Set(["tickets", "customers", "agents"]);
const REPORTS: Record<string, string> = {
  open_by_priority: "SELECT priority, COUNT(*) FROM tickets WHERE status = 'open' GROUP BY priority",
  oldest_open: "SELECT id, opened_at FROM tickets WHERE status = 'open' ORDER BY opened_at LIMIT 20",
  churn_risk: "SELECT customer_id, COUNT(*) FROM tickets GROUP BY customer_id HAVING COUNT(*) > 5",
};
const SortColumn = z.enum(["opened_at", "priority", "status"]);

export async function answerQuestion(question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [
      { role: "system", content: SQL_ONLY },
      { role: "user", content: question },
    ],
  });
  const query = completion.choices[0].message.content ?? "";
  // case: chat completion content run by a pg Pool
  // ruleid: llm-output-to-sql
  const { rows } = await pool.query(query);
  return rows;
}

export async function runToolCall(question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: question }],
    tools: [
      {
        type: "function",
        function: {
          name: "run_query",
          parameters: {
            type: "object",
            properties: { query: { type: "string" } },
            required: ["query"],
          },
        },
      },
    ],
  });
  const call = completion.choices[0].message.tool_calls?.[0];
  if (call?.type !== "function") return [];
  const args = JSON.parse(call.function.arguments);
  const pgClient = new Client({ connectionString: DATABASE_URL });
  await pgClient.connect();
  try {
    // case: a field of parsed tool-call arguments run by a pg Client
    // ruleid: llm-output-to-sql
    return (await pgClient.query(args.query)).rows;
  } finally {
    await pgClient.end();
  }
}

export async function fencedQuery(question: string) {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    messages: [{ role: "user", content: `${SQL_ONLY}\n\n${question}` }],
  });
  const block = msg.content[0];
  const reply = block.type === "text" ? block.text : "";
  const snippet = reply.match(/```sql\n([\s\S]*?)```/)?.[1] ?? "";
  const connection = await mysql.createConnection({ host: "db.internal", user: "reports", database: "helpdesk" });
  // case: SQL block pulled out of an Anthropic reply, mysql2 connection.query
  // ruleid: llm-output-to-sql
  const [rows] = await connection.query(snippet);
  await connection.end();
  return rows;
}

export async function filteredTickets(question: string) {
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `Write only a MySQL WHERE condition over tickets(status, priority, opened_at) for: ${question}`,
  });
  const condition = response.text?.trim() ?? "1 = 0";
  // case: Gemini text in the WHERE clause of a template literal, mysql2 pool.execute
  // ruleid: llm-output-to-sql
  const [rows] = await mysqlPool.execute(`SELECT id, status FROM tickets WHERE ${condition}`);
  return rows;
}

export async function localReport(question: string) {
  const reply = await chatModel.invoke(`${SQL_ONLY.replace("PostgreSQL", "SQLite")}\n${question}`);
  const query = reply.content as string;
  // case: LangChain message content prepared by better-sqlite3
  // ruleid: llm-output-to-sql
  return local.prepare(query).all();
}

export async function applyMigration(change: string) {
  const result = streamText({
    model: openai("gpt-4.1-mini"),
    prompt: `SQLite DDL script for this change: ${change}`,
  });
  let script = "";
  for await (const delta of result.textStream) {
    script += delta;
  }
  // case: streamText deltas accumulated into a script for better-sqlite3 exec
  // ruleid: llm-output-to-sql
  local.exec(script);
}

export async function chainedReport(question: string) {
  const prompt = ChatPromptTemplate.fromMessages([
    ["system", SQL_ONLY],
    ["human", "{question}"],
  ]);
  const chain = prompt.pipe(chatModel).pipe(new StringOutputParser());
  const query = await chain.invoke({ question });
  // case: LCEL chain output through knex.raw
  // ruleid: llm-output-to-sql
  const result = await warehouse.raw(query);
  return result.rows;
}

export async function runbookQuery(docs: Document[], task: string) {
  const index = await VectorStoreIndex.fromDocuments(docs);
  const queryEngine = index.asQueryEngine();
  const answer = await queryEngine.query({ query: `Which SQL query does the runbook give for: ${task}` });
  // case: LlamaIndex query answer through Prisma $queryRawUnsafe
  // ruleid: llm-output-to-sql
  return prisma.$queryRawUnsafe(answer.response);
}

async function draftStatement(issue: string): Promise<string> {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    system: SQL_ONLY,
    prompt: `One UPDATE statement that fixes: ${issue}`,
  });
  return text;
}

export async function fixData(issue: string) {
  const statement = await draftStatement(issue);
  // case: same-file helper returns generateText output, Prisma $executeRawUnsafe
  // ruleid: llm-output-to-sql
  return prisma.$executeRawUnsafe(statement);
}

export async function sequelizeReport(question: string) {
  const { output_text: query } = await client.responses.create({
    model: "gpt-4.1-mini",
    instructions: SQL_ONLY,
    input: question,
  });
  // case: Responses output_text destructured and renamed, Sequelize query
  // ruleid: llm-output-to-sql
  return sequelize.query(query, { type: QueryTypes.SELECT });
}

export async function typeormSearch(question: string) {
  const { object } = await generateObject({
    model: openai("gpt-4.1-mini"),
    schema: z.object({ where: z.string() }),
    prompt: `A PostgreSQL WHERE condition over tickets for: ${question}`,
  });
  // case: a z.string() field of generateObject output is still free text
  // ruleid: llm-output-to-sql
  return dataSource.query("SELECT id, status FROM tickets WHERE " + object.where);
}

export async function drizzleSearch(question: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `A PostgreSQL ORDER BY clause (without the keywords) over tickets for: ${question}`,
  });
  const clauses = ["SELECT id, priority FROM tickets", "ORDER BY", text];
  // case: joined into a query and executed through Drizzle's sql.raw (aliased import)
  // ruleid: llm-output-to-sql
  return db.execute(drizzleSql.raw(clauses.join(" ")));
}

export async function openaiStreamedQuery(question: string) {
  const stream = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: `${SQL_ONLY}\n${question}` }],
    stream: true,
  });
  const parts: string[] = [];
  for await (const chunk of stream) {
    parts.push(chunk.choices[0]?.delta?.content ?? "");
  }
  const base = ["WITH recent AS (SELECT * FROM tickets WHERE opened_at > now() - interval '7 days')"];
  // case: streamed chat deltas pushed to an array, spread and joined
  // ruleid: llm-output-to-sql
  return pool.query([...base, parts.join("")].join("\n"));
}

export class NightlyDigest {
  private readonly client: OpenAI;

  constructor(apiKey: string) {
    this.client = new OpenAI({ apiKey });
  }

  async run(goal: string) {
    const completion = await this.client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [
        { role: "system", content: SQL_ONLY },
        { role: "user", content: goal },
      ],
    });
    const query = completion.choices[0].message.content ?? "";
    // case: this.client output run by postgres.js sql.unsafe
    // ruleid: llm-output-to-sql
    return sql.unsafe(query);
  }

  async countFor(goal: string) {
    const completion = await this.client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [{ role: "user", content: `Which ticket status is this about? One word.\n${goal}` }],
    });
    const status = completion.choices[0].message.content?.trim() ?? "";
    // case: postgres.js tagged template sends the model text as a parameter
    // ok: llm-output-to-sql
    return sql`SELECT COUNT(*) FROM tickets WHERE status = ${status}`;
  }
}

app.post("/api/ask", async (req, res) => {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    system: SQL_ONLY,
    prompt: String(req.body.question),
  });
  // case: the proposed SQL is returned for the user to review, not executed
  // ok: llm-output-to-sql
  res.json({ sql: text });
});

export async function customerByEmail(message: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: `Extract the customer's email address only:\n${message}` }],
  });
  const email = completion.choices[0].message.content?.trim() ?? "";
  // case: pg placeholder, the model's value is a bound parameter
  // ok: llm-output-to-sql
  const { rows } = await pool.query("SELECT id, name FROM customers WHERE email = $1", [email]);
  return rows[0];
}

export async function ticketsForPlan(question: string) {
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `Which plan is this about: free, team or enterprise?\n${question}`,
  });
  const plan = response.text?.trim() ?? "";
  // case: mysql2 execute with a placeholder and a values array
  // ok: llm-output-to-sql
  const [rows] = await mysqlPool.execute("SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.plan = ?", [plan]);
  return rows;
}

export async function localTicket(question: string) {
  const reply = await chatModel.invoke(`Extract the ticket number only: ${question}`);
  const ticketRef = String(reply.content).trim();
  // case: better-sqlite3 prepares a constant statement, the model text is bound at run time
  // ok: llm-output-to-sql
  return local.prepare("SELECT id, status FROM tickets WHERE reference = ?").get(ticketRef);
}

export async function customerTickets(message: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Extract the customer's full name only:\n${message}`,
  });
  // case: Prisma's tagged $queryRaw template is parameterised
  // ok: llm-output-to-sql
  return prisma.$queryRaw`SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.name = ${text}`;
}

export async function escalations(question: string) {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 32,
    messages: [{ role: "user", content: `Which agent is this about? Reply with the login only.\n${question}` }],
  });
  const block = msg.content[0];
  const login = block.type === "text" ? block.text.trim() : "";
  // case: $queryRawUnsafe with a constant query and the model text as a positional parameter
  // ok: llm-output-to-sql
  return prisma.$queryRawUnsafe("SELECT id FROM tickets WHERE assignee = $1 AND status = 'escalated'", login);
}

export async function customersNamed(message: string) {
  const reply = await chatModel.invoke(`Extract the customer's name only:\n${message}`);
  const text = String(reply.content).trim();
  // case: knex query builder binds the value
  // ok: llm-output-to-sql
  return warehouse("customers").where({ name: text }).select("id", "email");
}

export async function ticketsByTag(question: string) {
  const { output_text: tag } = await client.responses.create({ model: "gpt-4.1-mini", input: `One tag for: ${question}` });
  // case: Sequelize replacements keep the model text out of the SQL
  // ok: llm-output-to-sql
  return sequelize.query("SELECT id FROM tickets WHERE tag = :tag", { replacements: { tag }, type: QueryTypes.SELECT });
}

export async function namedReport(question: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: `Answer with one of ${Object.keys(REPORTS).join(", ")}: ${question}` }],
  });
  const choice = completion.choices[0].message.content?.trim() ?? "";
  // case: the model picks a key of a constant table of queries
  // ok: llm-output-to-sql
  return dataSource.query(REPORTS[choice] ?? REPORTS.open_by_priority);
}

export async function countRows(question: string) {
  const reply = await chatModel.invoke(`Which table answers this? tickets, customers or agents.\n${question}`);
  const table = String(reply.content).trim();
  if (!ALLOWED_TABLES.has(table)) {
    throw new Error(`unexpected table: ${table}`);
  }
  // case: checked against an allowlist of tables first
  // ok: llm-output-to-sql
  const { rows } = await pool.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return rows[0].n;
}

export async function recentTickets(question: string) {
  const response = await genai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: `How many tickets should be listed? Reply with a number.\n${question}`,
  });
  const limit = Number.parseInt(response.text ?? "", 10);
  if (!Number.isInteger(limit)) throw new Error("limit must be an integer");
  // case: the reply is parsed to a number before it is formatted into the query
  // ok: llm-output-to-sql
  return dataSource.query(`SELECT id, opened_at FROM tickets ORDER BY opened_at DESC LIMIT ${limit}`);
}

export async function sortedTickets(question: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Answer opened_at, priority or status: which column should tickets be sorted by for ${question}?`,
  });
  const column = SortColumn.parse(text.trim());
  // case: a zod enum limits the column to three known names
  // ok: llm-output-to-sql
  return db.execute(drizzleSql.raw(`SELECT id, ${column} FROM tickets ORDER BY ${column}`));
}

export async function ticketsFor(question: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Extract the customer id only: ${question}`,
  });
  // case: Drizzle's sql template binds the model text as a parameter
  // ok: llm-output-to-sql
  return db.execute(drizzleSql`SELECT id, status FROM tickets WHERE customer_id = ${text}`);
}

export async function saveSummary(ticketId: number, body: string) {
  const completion = await client.chat.completions.create({
    model: "gpt-4.1-mini",
    messages: [{ role: "user", content: `Summarise this support ticket in two sentences:\n${body}` }],
  });
  const summary = completion.choices[0].message.content ?? "";
  // case: the model text is stored as a value of a parameterised INSERT
  // ok: llm-output-to-sql
  await pool.query("INSERT INTO ticket_summaries (ticket_id, body) VALUES ($1, $2)", [ticketId, summary]);
}

export async function explainQuery(question: string) {
  const reply = await chatModel.invoke(`${SQL_ONLY}\n${question}`);
  // case: printed for the analyst, not executed
  // ok: llm-output-to-sql
  console.log(`Proposed query: ${reply.content}`);
  return reply.content;
}

export async function weeklySummary() {
  // case: a constant query; the model only reads the result
  // ok: llm-output-to-sql
  const [rows] = await mysqlPool.query("SELECT status, COUNT(*) AS n FROM tickets GROUP BY status");
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Summarise these ticket counts for the team: ${JSON.stringify(rows)}`,
  });
  return text;
}

export async function agentWorkload(question: string) {
  const { text } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Extract the agent's login only: ${question}`,
  });
  // case: TypeORM query with a placeholder and a parameters array
  // ok: llm-output-to-sql
  return dataSource.query("SELECT COUNT(*) FROM tickets WHERE assignee = $1 AND status = 'open'", [text]);
}

export async function ticketsOwnedBy(question: string) {
  const { text: owner } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Which support agent login does this question name? Reply with the login only: ${question}`,
  });
  // case: pg pool query with the model's answer quoted into a WHERE value
  // ruleid: llm-output-to-sql
  return pool.query(`SELECT id, subject FROM tickets WHERE owner = '${owner}'`);
}

export async function customerByName(question: string) {
  const { text: name } = await generateText({
    model: openai("gpt-4.1-mini"),
    prompt: `Which customer does this question name? Reply with the name only: ${question}`,
  });
  // case: Prisma raw query built with the model's answer as a quoted value
  // ruleid: llm-output-to-sql
  return prisma.$queryRawUnsafe(`SELECT id, email FROM customers WHERE name = '${name}'`);
}
