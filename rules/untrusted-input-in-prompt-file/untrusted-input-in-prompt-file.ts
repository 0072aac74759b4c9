// Code that renders the .prompt fixtures in prompts/. The findings are reported in the prompt files.
import express from "express";
import { genkit } from "genkit";

const app = express();
const ai = genkit({ plugins: [] });

const triage = ai.prompt("triage");
const TEAMS: Record<string, string> = { billing: "Billing", platform: "Platform" };

app.post("/triage", async (req, res) => {
  const { output } = await triage({
    team: req.body.team,
    fallbackTeam: TEAMS[req.body.team] ?? "Platform",
    ticket: req.body.ticket,
    filters: req.body.filters,
    screenshot: req.body.screenshotUrl,
    priority: Number(req.body.priority),
    escalate: req.body.escalate,
  });
  res.json(output);
});

app.post("/answer", async (req, res) => {
  const docs = await fetch(`https://search.internal.example/?q=${encodeURIComponent(req.body.q)}`).then((r) => r.json());
  const answer = ai.prompt("answer", { variant: "short" });
  const request = await answer.render({ docs, question: req.body.q, customer: { name: req.body.name, plan: "pro" } });
  res.json(request);
});

async function greet(name: string) {
  const greeting = ai.prompt("greeting");
  return greeting({ name, shop: "Acme" });
}

app.get("/greet", async (req, res) => {
  res.json(await greet(String(req.query.name)));
});
