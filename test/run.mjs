// Runs the bundled tests (out/test/**/*.test.js, built by `node esbuild.mjs --tests`) with node's test runner.
// Usage: node test/run.mjs [substring of the test file paths to run]
import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { fileURLToPath } from "node:url";

const outDir = fileURLToPath(new URL("../out", import.meta.url));
const filter = process.argv[2] ?? "";
const files = existsSync(path.join(outDir, "test"))
  ? readdirSync(path.join(outDir, "test"), { recursive: true })
      .map((file) => path.join("test", file))
      .filter((file) => file.endsWith(".test.js") && file.includes(filter))
      .sort()
      .map((file) => path.join(outDir, file))
  : [];

// The bundles carry source maps: failures then point at the TypeScript sources. Test files inherit this environment.
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, "--enable-source-maps"].filter(Boolean).join(" ");

const counts = { passed: 0, failed: 0, skipped: 0 };
const isSuite = (event) => event.details?.type === "suite";
const stream = run({ files, concurrency: 2, timeout: 5 * 60_000 });
stream.on("test:pass", (event) => {
  if (isSuite(event)) return;
  if (event.skip || event.todo) counts.skipped++;
  else counts.passed++;
});
stream.on("test:fail", (event) => {
  if (!isSuite(event)) counts.failed++;
});
const report = stream.compose(new spec());
report.pipe(process.stdout);
report.on("end", () => {
  if (files.length === 0) console.log(`No test files under out/test${filter ? ` matching "${filter}"` : ""}.`);
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : "";
  console.log(`${counts.passed} passed, ${counts.failed} failed${skipped}`);
  process.exitCode = counts.failed > 0 || counts.passed + counts.failed === 0 ? 1 : 0;
});
