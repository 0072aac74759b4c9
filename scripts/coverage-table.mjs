// The README's coverage table, derived from the SDK and framework models (rules/models/*.json):
// one row per model, saying what it teaches the analysis. Used by update-readme.mjs and by the README test.

const CATEGORY_ORDER = ["llm", "agent", "web", "data", "runtime"];
const LANGUAGE_NAMES = { python: "Python", javascript: "JS/TS" };
const TAINT_NAMES = { untrusted: "user input", indirect: "indirect input", model: "model output", pii: "personal data", secret: "secrets" };

const list = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const cell = (parts) => (parts.length === 0 ? "—" : parts.join(", ").replace(/\|/g, "\\|"));

/** `name (n)` per key, in first-seen order, counting the patterns of each spec. */
function countBy(specs, keyOf, patternsOf) {
  const counts = new Map();
  for (const spec of specs) counts.set(keyOf(spec), (counts.get(keyOf(spec)) ?? 0) + patternsOf(spec));
  return [...counts].map(([key, count]) => `${key} (${count})`);
}

function row(model) {
  const sources = countBy(model.sources ?? [], (s) => TAINT_NAMES[s.kind] ?? s.kind, (s) => list(s.call).length + list(s.attr).length);
  const sinks = countBy(model.sinks ?? [], (s) => s.kind, (s) => list(s.call).length + list(s.property).length);
  const sanitizers = [
    ...countBy(model.sanitizers ?? [], (s) => (s.sinks ? s.sinks.join("/") : "any sink"), (s) => list(s.call).length),
    ...(model.barriers?.length ? [`barriers (${model.barriers.length})`] : []),
  ];
  const checks = [...new Set((model.checks ?? []).map((c) => `\`${c.id}\``))];
  const handlers = [...new Set((model.handlers ?? []).map((h) => h.label))];
  const languages = model.languages.map((language) => LANGUAGE_NAMES[language] ?? language);
  return `| ${cell([model.title])} | ${cell(languages)} | ${cell(sources)} | ${cell(sinks)} | ${cell(sanitizers)} | ${cell(checks)} | ${cell(handlers)} |`;
}

/** The table (Markdown, ending in a newline) for these models: LLM SDKs first, then agents, web frameworks, data libraries, runtimes. */
export function coverageTable(models) {
  const rank = (model) => CATEGORY_ORDER.indexOf(model.category);
  const sorted = [...models].sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title, "en"));
  return [
    "| Model | Languages | Sources | Sinks | Sanitizers | Checks | Handlers and tools |",
    "|---|---|---|---|---|---|---|",
    ...sorted.map(row),
    "",
    "Numbers count the API patterns of each kind in the model file under [`rules/models/`](rules/models).",
    "",
  ].join("\n");
}
