/** The code the benchmark scans: the default corpora, or directories named on the command line, and what they hold. */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { MODELS } from "../../rules/models";
import { discoverFiles } from "../../server/src/cli/discover";
import { languageOf } from "../../server/src/engine/files";
import { compileKnowledge } from "../../server/src/engine/models/knowledge";

export interface Corpus {
  name: string;
  /** Absolute paths, passed together to every tool. */
  roots: string[];
}

export interface LanguageShare {
  files: number;
  lines: number;
}

export interface CorpusContents {
  /** Every file the CLI analyses, by the same discovery rules. */
  all: LanguageShare;
  python: LanguageShare;
  /** JavaScript and TypeScript together. */
  javascript: LanguageShare;
  /** Files that mention an LLM SDK: the engine parses only these and skips the rest unparsed. */
  mentionLlmSdk: number;
}

const PYTHON_STDLIB = "/usr/lib/python3.11";

/** The TS/JS corpus: sources shipped inside these devDependencies, copied so every tool sees exactly the same files. */
const TS_JS_SOURCES = [
  { pkg: "effect", folder: "src", extension: ".ts" },
  { pkg: "rxjs", folder: "src", extension: ".ts" },
  { pkg: "eslint", folder: "lib", extension: ".js" },
] as const;

/** The default corpora; one that cannot be found is reported and left out. */
export function defaultCorpora(repoRoot: string, benchDir: string, say: (line: string) => void): Corpus[] {
  const corpora: Corpus[] = [];
  if (existsSync(PYTHON_STDLIB)) corpora.push({ name: "CPython 3.11 stdlib", roots: [PYTHON_STDLIB] });
  else say(`${PYTHON_STDLIB} not found: the Python corpus is left out.`);
  const missing = TS_JS_SOURCES.filter(({ pkg, folder }) => !existsSync(path.join(repoRoot, "node_modules", pkg, folder)));
  if (missing.length > 0) {
    say(`node_modules lacks ${missing.map((s) => s.pkg).join(", ")}: the TS/JS corpus is left out (run npm install).`);
    return corpora;
  }
  const target = path.join(benchDir, "corpus", "ts-js");
  rmSync(target, { recursive: true, force: true });
  const labels = TS_JS_SOURCES.map(({ pkg, folder, extension }) => {
    const source = path.join(repoRoot, "node_modules", pkg, folder);
    copyMatching(source, path.join(target, pkg), extension);
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, "node_modules", pkg, "package.json"), "utf8")) as {
      version: string;
    };
    return `${pkg}@${version}`;
  });
  corpora.push({ name: `TS/JS: ${labels.join(", ")}`, roots: [target] });
  return corpora;
}

function copyMatching(source: string, target: string, extension: string): void {
  for (const entry of readdirSync(source, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(extension)) continue;
    const from = path.join(entry.parentPath, entry.name);
    const to = path.join(target, path.relative(source, from));
    mkdirSync(path.dirname(to), { recursive: true });
    cpSync(from, to);
  }
}

/** Directories named on the command line, one corpus each. */
export function namedCorpora(directories: readonly string[]): Corpus[] {
  return directories.map((directory) => {
    const root = path.resolve(directory);
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`not a directory: ${directory}`);
    return { name: directory, roots: [root] };
  });
}

export async function describeCorpus(corpus: Corpus): Promise<CorpusContents> {
  const { files } = await discoverFiles(corpus.roots, {
    cwd: process.cwd(),
    exclude: [],
    supports: (file) => languageOf(file) !== undefined,
  });
  // The engine keeps one knowledge base per language and checks the file's text against it before parsing.
  const knowledge = {
    python: compileKnowledge(MODELS.filter((model) => model.languages.includes("python"))),
    javascript: compileKnowledge(MODELS.filter((model) => model.languages.includes("javascript"))),
  };
  const contents: CorpusContents = {
    all: { files: 0, lines: 0 },
    python: { files: 0, lines: 0 },
    javascript: { files: 0, lines: 0 },
    mentionLlmSdk: 0,
  };
  for (const file of files) {
    const text = await readFile(file, "utf8");
    const lines = countLines(text);
    const language = languageOf(file) === "python" ? "python" : "javascript";
    for (const share of [contents.all, contents[language]]) {
      share.files++;
      share.lines += lines;
    }
    if (knowledge[language].mentionsLlmModule(text)) contents.mentionLlmSdk++;
  }
  return contents;
}

/** As `wc -l` counts, plus a last line without a newline. */
function countLines(text: string): number {
  let lines = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines++;
  return text.length > 0 && !text.endsWith("\n") ? lines + 1 : lines;
}
