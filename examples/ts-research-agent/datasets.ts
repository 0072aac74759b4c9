// Dataset cards for the research notebook: find where a dataset is published,
// fetch its landing page, and save a summary card next to the lab's datasets.
import { writeFile } from "node:fs/promises";
import path from "node:path";

import Anthropic from "@anthropic-ai/sdk";
import { openai } from "@ai-sdk/openai";
import { generateObject } from "ai";
import { z } from "zod";

import { ANTHROPIC_API_KEY, CLAUDE_MODEL, DATASETS_DIR, MODEL } from "./config.js";

const anthropic = new Anthropic({ apiKey: ANTHROPIC_API_KEY });

// Hosts the lab downloads datasets from.
const TRUSTED_HOSTS = new Set(["zenodo.org", "huggingface.co", "datadryad.org", "www.kaggle.com"]);

const DatasetCard = z.object({
  fileName: z.string().describe("a short file name for the card, ending in .md"),
  title: z.string().max(200),
  license: z.string().max(100),
  summary: z.string().max(4000),
});

async function landingPageOf(dataset: string): Promise<string> {
  const message = await anthropic.messages.create({
    model: CLAUDE_MODEL,
    max_tokens: 200,
    system: "Reply with the URL of the dataset's official landing page and nothing else.",
    messages: [{ role: "user", content: dataset }],
  });
  const block = message.content[0];
  return block.type === "text" ? block.text.trim() : "";
}

// Shown in the notebook's "Sources" panel as a quick preview.
export async function previewLandingPage(dataset: string): Promise<string> {
  const url = await landingPageOf(dataset);
  const page = await fetch(url, { redirect: "follow" });
  return (await page.text()).slice(0, 2_000);
}

// Used by the nightly digest, which only reads from the hosts we download from.
export async function fetchTrustedLandingPage(dataset: string): Promise<string> {
  const target = new URL(await landingPageOf(dataset));
  if (target.protocol !== "https:" || !TRUSTED_HOSTS.has(target.hostname)) {
    throw new Error(`not a trusted dataset host: ${target.hostname}`);
  }
  const page = await fetch(target, { redirect: "error" });
  return page.text();
}

export async function saveDatasetCard(dataset: string, landingPage: string): Promise<string> {
  const { object: card } = await generateObject({
    model: openai(MODEL),
    schema: DatasetCard,
    system: "Write a dataset card for the lab's notebook from the landing page in the user's message.",
    prompt: `Dataset: ${dataset}\n\n<page>\n${landingPage.slice(0, 20_000)}\n</page>`,
  });
  const cardPath = path.join(DATASETS_DIR, "cards", card.fileName);
  await writeFile(cardPath, `# ${card.title}\n\nLicense: ${card.license}\n\n${card.summary}\n`);
  return cardPath;
}

// The notebook's "Save as" keeps the model's title, but only as a bare file name.
export async function saveSummaryAs(summary: string): Promise<string> {
  const { object } = await generateObject({
    model: openai(MODEL),
    schema: z.object({ fileName: z.string() }),
    prompt: `A short file name, ending in .md, for this summary:\n\n${summary.slice(0, 4_000)}`,
  });
  const summaryPath = path.join(DATASETS_DIR, "summaries", path.basename(object.fileName));
  await writeFile(summaryPath, summary);
  return summaryPath;
}
