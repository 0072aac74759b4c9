/**
 * Builds a long, realistic LLM application file for the edit-latency benchmark: the rules' fixtures
 * (real SDK code, with findings) repeated until the file is long enough, each repetition with its
 * top-level names renamed so that it reads as more of the same module, and all imports at the top.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

export type FixtureLanguage = "python" | "typescript";

interface Dialect {
  extension: string;
  /** Top-level import statements, matched from the start of a line. */
  imports: RegExp[];
  /** Names declared at the top level; group 1 is the name. */
  declarations: RegExp[];
  /** Where a top-level statement, or the comment above one, starts a new chunk of the module. */
  chunkStart: RegExp;
  /** Whether an occurrence of a name is not a reference to it (a keyword argument, an object key). */
  isNotReference(before: string, after: string): boolean;
}

const DIALECTS: Record<FixtureLanguage, Dialect> = {
  python: {
    extension: ".py",
    imports: [/^from\s+[\w.]+\s+import\s*\([^)]*\)[ \t]*\n?/gm, /^(?:from\s+[\w.]+\s+)?import\s+[^\n(]+\n?/gm],
    declarations: [/^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)/gm, /^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)/gm],
    chunkStart: /^(?:#|@|async\s+def\s|def\s|class\s)/,
    isNotReference: (before, after) => /[(,]\s*$/.test(before) && /^\s*=(?!=)/.test(after),
  },
  typescript: {
    extension: ".ts",
    imports: [/^import\s*["'][^"']+["'];?[ \t]*\n?/gm, /^import\s[\s\S]*?\sfrom\s*["'][^"']+["'];?[ \t]*\n?/gm],
    declarations: [
      /^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\s*\*?\s*|class\s+|const\s+|let\s+|var\s+|type\s+|interface\s+|enum\s+)([A-Za-z_$][\w$]*)/gm,
    ],
    chunkStart: /^(?:\/\/|\/\*|export\s|async\s|function\s|class\s|const\s|let\s|type\s|interface\s|[A-Za-z_$][\w$]*\.)/,
    isNotReference: (before, after) => /[{,]\s*$/.test(before) && /^\s*:/.test(after),
  },
};

/** A module of at least `targetLines` lines (give or take one function) made of the fixtures under rules/. */
export function generateLlmModule(repoRoot: string, language: FixtureLanguage, targetLines: number): string {
  const dialect = DIALECTS[language];
  const fixtures = readdirSync(path.join(repoRoot, "rules"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(repoRoot, "rules", entry.name, `${entry.name}${dialect.extension}`))
    .filter((file) => existsSync(file))
    .sort()
    .map((file) => readFileSync(file, "utf8"));
  if (fixtures.length === 0) throw new Error(`no ${dialect.extension} fixtures under rules/*/`);

  const imports = new Set<string>();
  const chunks: string[] = [];
  let bodyLines = 0;
  const lines = () => imports.size + 1 + bodyLines;
  for (let copy = 0; lines() < targetLines; copy++) {
    let body = fixtures[copy % fixtures.length];
    for (const pattern of dialect.imports) {
      body = body.replace(pattern, (statement) => {
        imports.add(statement.trimEnd());
        return "";
      });
    }
    if (copy > 0) body = renameTopLevel(body, dialect, `_${copy}`);
    for (const chunk of splitTopLevel(body, dialect)) {
      if (lines() >= targetLines) break;
      chunks.push(chunk);
      bodyLines += chunk.split("\n").length;
    }
  }
  return `${[...imports].join("\n")}\n\n${chunks.join("\n")}\n`;
}

/** Renames every name the fixture declares at the top level, wherever it is referred to. */
function renameTopLevel(body: string, dialect: Dialect, suffix: string): string {
  const names = new Set<string>();
  for (const pattern of dialect.declarations) for (const match of body.matchAll(pattern)) names.add(match[1]);
  if (names.size === 0) return body;
  const alternatives = [...names].map((name) => name.replace(/\$/g, "\\$")).join("|");
  // Not after a dot: `client.chat` renames `client` but never a member called `chat`.
  const occurrence = new RegExp(`(?<![\\w$.])(?:${alternatives})(?![\\w$])`, "g");
  return body.replace(occurrence, (name: string, offset: number) =>
    dialect.isNotReference(body.slice(Math.max(0, offset - 80), offset), body.slice(offset + name.length, offset + name.length + 8))
      ? name
      : name + suffix,
  );
}

/** Splits at blank lines followed by a new top-level statement, so a file can stop between functions. */
function splitTopLevel(body: string, dialect: Dialect): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  const lines = body.trim().split("\n");
  lines.forEach((line, index) => {
    if (index > 0 && lines[index - 1].trim() === "" && dialect.chunkStart.test(line) && current.length > 0) {
      chunks.push(current.join("\n").trimEnd());
      current = [];
    }
    current.push(line);
  });
  if (current.length > 0) chunks.push(current.join("\n").trimEnd());
  return chunks.map((chunk) => `${chunk}\n`);
}

/**
 * Where to type during the benchmark: inside an ordinary string literal in the middle of the module,
 * so that every keystroke leaves the file valid and the analysis does its full work each time.
 */
export function typingPosition(text: string): { line: number; character: number } {
  const lines = text.split("\n");
  const stringLiteral = /(?<!["\w])"[\w .,:/-]{3,}"(?!")/;
  for (let line = Math.floor(lines.length / 2); line < lines.length; line++) {
    const match = stringLiteral.exec(lines[line]);
    if (match) return { line, character: match.index + match[0].length - 1 };
  }
  throw new Error("no string literal in the second half of the generated module");
}
