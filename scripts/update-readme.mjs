// Rewrites the README's rule table from the rule registry (`npm run docs`; needs a build).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const table = execFileSync(process.execPath, [`${root}dist/cli.js`, "rules", "--format", "markdown"], { encoding: "utf8" });
const readme = readFileSync(`${root}README.md`, "utf8");
const updated = readme.replace(/(<!-- rules:start -->\n)[\s\S]*?(<!-- rules:end -->)/, `$1${table}$2`);
if (updated === readme) console.log("README.md rule table is up to date");
else {
  writeFileSync(`${root}README.md`, updated);
  console.log("README.md rule table updated");
}
