/** The README's generated tables (rules, coverage) must match their sources; this keeps them from going stale. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { RULES } from "../../rules";
import { MODELS } from "../../rules/models";
import { coverageTable } from "../../scripts/coverage-table.mjs";
import type { ModelFile } from "../../server/src/engine/models/schema";
import { formatRules } from "../../server/src/cli/format/rules";
import { readRepoFile } from "../helpers/repo";

test("the README's rule table matches the rule registry (run `npm run docs` to update it)", () => {
  const readme = readRepoFile("README.md");
  const table = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(readme)?.[1];
  assert.equal(table, formatRules(RULES.map((r) => r.meta), "markdown"));
});

test("the README's coverage table matches the SDK and framework models (run `npm run docs` to update it)", () => {
  const readme = readRepoFile("README.md");
  const table = /<!-- coverage:start -->\n([\s\S]*?)<!-- coverage:end -->/.exec(readme)?.[1];
  assert.equal(table, coverageTable(MODELS));
});

test("the coverage table has one row per model, under its title, and says what each contributes", () => {
  const [header, , ...rest] = coverageTable(MODELS).split("\n");
  assert.match(header, /^\| Model \| Languages \| Sources \| Sinks \| Sanitizers \| Checks \| Handlers and tools \|$/);
  const titles = rest.filter((line) => line.startsWith("| ")).map((line) => line.split(" | ")[0].slice(2));
  assert.deepEqual(titles.sort(), MODELS.map((m) => m.title.replace(/\|/g, "\\|")).sort());

  const models: ModelFile[] = [
    {
      name: "web",
      title: "A web framework",
      category: "web",
      languages: ["javascript"],
      modules: ["web"],
      sources: [{ kind: "untrusted", call: ["web.a", "web.b"], attr: "web.c", label: "request data" }],
      handlers: [{ callbackOf: "web.get", params: "all", label: "a route handler" }, { callbackOf: "web.post", params: "all", label: "a route handler" }],
    },
    {
      name: "sdk",
      title: "An | SDK",
      category: "llm",
      languages: ["python", "javascript"],
      modules: ["sdk"],
      sources: [{ kind: "model", call: "sdk.ask", label: "an answer" }],
      sinks: [
        { kind: "system-prompt", call: ["sdk.ask", "sdk.chat"], arg: "system", label: "the system prompt" },
        { kind: "shell", call: "sdk.run", arg: 0, label: "a command" },
      ],
      sanitizers: [{ call: "sdk.quote", sinks: ["shell"], label: "quoting" }, { call: ["sdk.clean", "sdk.scrub"], label: "cleaning" }],
      barriers: ["sdk.len"],
      checks: [{ id: "sdk-unsafe", call: "sdk.unsafe", label: "unsafe" }],
    },
  ];
  assert.deepEqual(coverageTable(models).split("\n").slice(2, 4), [
    "| An \\| SDK | Python, JS/TS | model output (1) | system-prompt (2), shell (1) | shell (1), any sink (2), barriers (1) | `sdk-unsafe` | — |",
    "| A web framework | JS/TS | user input (3) | — | — | — | a route handler |",
  ]);
});

test("the README starts with the two commands for a fresh machine", () => {
  const readme = readRepoFile("README.md");
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  assert.match(firstBlock, /npm ci && npx secure-ai-lint scan examples/);
  assert.match(firstBlock, /\nnpm test\b/);
});
