// Rewrites the README's generated tables (`npm run docs`; needs a build): the rule table from the
// rule registry, the coverage table from the SDK and framework models in rules/models/.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { coverageTable } from "./coverage-table.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const rules = execFileSync(process.execPath, [`${root}dist/cli.js`, "rules", "--format", "markdown"], { encoding: "utf8" });
const models = readdirSync(`${root}rules/models`)
  .filter((file) => file.endsWith(".json"))
  .map((file) => JSON.parse(readFileSync(`${root}rules/models/${file}`, "utf8")));

const readme = readFileSync(`${root}README.md`, "utf8");
let updated = readme;
for (const [marker, table] of [["rules", rules], ["coverage", coverageTable(models)]]) {
  const section = new RegExp(`(<!-- ${marker}:start -->\\n)[\\s\\S]*?(<!-- ${marker}:end -->)`);
  if (!section.test(updated)) throw new Error(`README.md has no <!-- ${marker}:start --> … <!-- ${marker}:end --> markers`);
  updated = updated.replace(section, (_, start, end) => `${start}${table}${end}`);
}
if (updated === readme) console.log("README.md tables are up to date");
else {
  writeFileSync(`${root}README.md`, updated);
  console.log("README.md tables updated");
}
