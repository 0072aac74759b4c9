// Builds the extension client, the language server, the CLI and (with --tests) the test files.
// Usage: node esbuild.mjs [--production] [--watch] [--tests]
import * as esbuild from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
process.chdir(fileURLToPath(new URL(".", import.meta.url)));
const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");
const tests = process.argv.includes("--tests");

/** web-tree-sitter's ESM build calls createRequire(import.meta.url), which is empty in a CommonJS bundle. */
const treeSitterAsCommonJs = {
  name: "web-tree-sitter-cjs",
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve("web-tree-sitter") }));
  },
};

/** The parsers load their grammars at run time, and diagnostics link to the rule docs, so both sit next to the bundles. */
const copyRuntimeAssets = {
  name: "copy-runtime-assets",
  setup(build) {
    build.onEnd(() => {
      mkdirSync("dist/docs", { recursive: true });
      copyFileSync("node_modules/web-tree-sitter/tree-sitter.wasm", "dist/tree-sitter.wasm");
      copyFileSync("node_modules/tree-sitter-python/tree-sitter-python.wasm", "dist/tree-sitter-python.wasm");
      const ruleIds = existsSync("rules") ? readdirSync("rules").filter((id) => existsSync(`rules/${id}/README.md`)) : [];
      for (const id of ruleIds) copyFileSync(`rules/${id}/README.md`, `dist/docs/${id}.md`);
    });
  },
};

const shared = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  external: ["vscode"],
  loader: { ".md": "text", ".json": "json" },
  minify: production,
  sourcemap: !production,
  logLevel: "warning",
  plugins: [treeSitterAsCommonJs],
};

// The server's build also copies the runtime assets, so that a watched rebuild of the server refreshes them.
const bundles = [
  ["client/src/extension.ts", "dist/extension.js"],
  ["server/src/main.ts", "dist/server.js", copyRuntimeAssets],
  ["server/src/cli/main.ts", "dist/cli.js"],
  ["server/src/cli/worker.ts", "dist/worker.js"],
].filter(([entry]) => existsSync(entry));

const options = bundles.map(([entry, outfile, ...extraPlugins]) => ({
  ...shared,
  entryPoints: [entry],
  outfile,
  plugins: [...shared.plugins, ...extraPlugins],
}));
if (tests) {
  // Tests run inside the repository: their dependencies load from node_modules rather than fill every bundle.
  options.push({ ...shared, entryPoints: ["test/**/*.test.ts"], outbase: ".", outdir: "out", packages: "external" });
}

// Start clean, so that no bundle, doc or test that has since been removed is packaged or run.
rmSync("dist", { recursive: true, force: true });
if (tests) rmSync("out", { recursive: true, force: true });

const contexts = await Promise.all(options.map((o) => esbuild.context(o)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${options.length} builds`);
} else {
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } catch {
    process.exitCode = 1; // esbuild has already printed the errors
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}
