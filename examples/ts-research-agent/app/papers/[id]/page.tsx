import { openai } from "@ai-sdk/openai";
import { generateText } from "ai";
import { notFound } from "next/navigation";

import { MODEL } from "../../../config.js";

const ARXIV_ID = /^\d{4}\.\d{4,5}(v\d+)?$/;

// /papers/:id: the reading-list page of one paper, with a model-written summary.
export default async function PaperPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!ARXIV_ID.test(id)) notFound();
  const abstractPage = await (await fetch(`https://arxiv.org/abs/${id}`, { next: { revalidate: 86_400 } })).text();
  const paper = `<paper>\n${abstractPage.slice(0, 20_000)}\n</paper>`;

  const { text: summaryHtml } = await generateText({
    model: openai(MODEL),
    system: "Summarise the paper in the user's message as an HTML fragment: one <h2>, then a <ul> of key findings.",
    prompt: paper,
  });
  const { text: takeaway } = await generateText({
    model: openai(MODEL),
    system: "State the paper's main takeaway in one plain-text sentence.",
    prompt: paper,
  });

  return (
    <main className="paper">
      <p className="takeaway">{takeaway}</p>
      <article className="summary" dangerouslySetInnerHTML={{ __html: summaryHtml }} />
      <a href={`https://arxiv.org/abs/${id}`}>Read on arXiv</a>
    </main>
  );
}
