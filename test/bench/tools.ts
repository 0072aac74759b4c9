/** The scanners the benchmark runs: the project's CLI, and the peer tools when they are installed. */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import type { Corpus } from "./corpora";
import { which } from "./measure";

export interface Tool {
  name: string;
  version: string;
  /** The part of a corpus the tool reads: lines per second are counted over that part only. */
  covers: "all" | "python" | "javascript";
  /** Exit codes of a completed scan; findings make most linters exit with 1. */
  okExitCodes: readonly number[];
  command(corpus: Corpus): string[];
}

export interface MissingTool {
  name: string;
  covers: Tool["covers"];
  install: string;
}

/**
 * The CLI runs from a copy of dist/: a build started elsewhere during the benchmark begins by deleting
 * dist/, and a CLI that then fails to load exits with 1, which would pass for a scan with findings.
 */
export function secureAiLint(repoRoot: string, benchDir: string): Tool {
  const built = path.join(repoRoot, "dist");
  if (!existsSync(path.join(built, "cli.js"))) throw new Error(`${built}/cli.js is missing: build it with node esbuild.mjs`);
  const snapshot = path.join(benchDir, "dist");
  rmSync(snapshot, { recursive: true, force: true });
  cpSync(built, snapshot, { recursive: true, filter: (source) => !source.endsWith(".map") });
  const cli = path.join(snapshot, "cli.js");
  return {
    name: "secure-ai-lint",
    version: packageVersion(repoRoot, "."),
    covers: "all",
    okExitCodes: [0, 1],
    command: (corpus) => [process.execPath, cli, "scan", ...corpus.roots, "--format", "json", "--output", "/dev/null", "--fail-on", "error"],
  };
}

export function peerTools(repoRoot: string): { available: Tool[]; missing: MissingTool[] } {
  const available: Tool[] = [];
  const missing: MissingTool[] = [];

  const bandit = which("bandit");
  if (bandit) {
    available.push({
      name: "bandit",
      version: execFileSync(bandit, ["--version"], { encoding: "utf8" }).split("\n")[0].replace(/^bandit\s*/, ""),
      covers: "python",
      okExitCodes: [0, 1],
      command: (corpus) => [bandit, "-r", "-q", "-f", "json", "-o", "/dev/null", ...corpus.roots],
    });
  } else {
    missing.push({ name: "bandit", covers: "python", install: "apt-get install -y bandit" });
  }

  const eslintPackages = ["eslint", "eslint-plugin-security", "typescript-eslint"];
  if (eslintPackages.every((pkg) => existsSync(path.join(repoRoot, "node_modules", pkg, "package.json")))) {
    const config = path.join(repoRoot, "test", "bench", "eslint.config.mjs");
    const bin = path.join(repoRoot, "node_modules", "eslint", "bin", "eslint.js");
    const versions = eslintPackages.slice(0, 2).map((pkg) => packageVersion(repoRoot, path.join("node_modules", pkg)));
    available.push({
      name: "eslint+security",
      version: `${versions[0]} + plugin ${versions[1]}`,
      covers: "javascript",
      // 1: findings at error level; 2 would be a crash or a broken configuration.
      okExitCodes: [0, 1],
      command: (corpus) => [
        process.execPath,
        bin,
        "--no-config-lookup",
        "-c",
        config,
        "--format",
        "json",
        "--output-file",
        "/dev/null",
        ...corpus.roots,
      ],
    });
  } else {
    missing.push({ name: "eslint+security", covers: "javascript", install: `npm i -D ${eslintPackages.join(" ")}` });
  }
  return { available, missing };
}

/**
 * ESLint ignores files outside its working directory, so every tool runs from the corpus's
 * common root; no project config lies there for the project's CLI to pick up either.
 */
export function workingDirectory(corpus: Corpus): string {
  return corpus.roots.reduce((common, root) => {
    while (path.relative(common, root).startsWith("..")) common = path.dirname(common);
    return common;
  });
}

function packageVersion(repoRoot: string, packageDir: string): string {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, packageDir, "package.json"), "utf8")) as { version: string };
  return manifest.version;
}
