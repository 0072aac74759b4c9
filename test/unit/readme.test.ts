/** The README's rule table is generated from the registry; this keeps it from going stale. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { RULES } from "../../rules";
import { formatRules } from "../../server/src/cli/format/rules";
import { readRepoFile } from "../helpers/repo";

test("the README's rule table matches the rule registry (run `npm run docs` to update it)", () => {
  const readme = readRepoFile("README.md");
  const table = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(readme)?.[1];
  assert.equal(table, formatRules(RULES.map((r) => r.meta), "markdown"));
});

test("the README starts with the two commands for a fresh machine", () => {
  const readme = readRepoFile("README.md");
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  assert.match(firstBlock, /npm ci && npx secure-ai-lint scan examples/);
  assert.match(firstBlock, /\nnpm test\b/);
});
