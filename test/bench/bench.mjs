// Builds the benchmark (TypeScript, under test/bench/) into .bench/ and runs it with the given arguments.
// Usage: node test/bench/bench.mjs [--quick] [dir...]   (npm run bench builds the CLI and server first)
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bundle = `${root}.bench/bench.cjs`;

await esbuild.build({
  absWorkingDir: root,
  entryPoints: ["test/bench/main.ts"],
  outfile: bundle,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // Dependencies load from node_modules, as the tests' do.
  packages: "external",
  loader: { ".json": "json", ".md": "text" },
  sourcemap: true,
  logLevel: "warning",
});

const child = spawn(process.execPath, ["--enable-source-maps", bundle, ...process.argv.slice(2)], { stdio: "inherit" });
child.once("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
