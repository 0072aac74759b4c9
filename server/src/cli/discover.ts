/** Finds the files a scan covers: named files, and the analysable files under named directories. */
import { Dirent, existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import * as path from "node:path";
import ignore, { Ignore } from "ignore";

/** Dependencies, environments, caches and build output: never the project's own code, and often huge. */
export const DEFAULT_SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  ".git",
  "node_modules",
  ".venv",
  "venv",
  "__pycache__",
  "dist",
  "build",
  "out",
  ".next",
  "site-packages",
]);

export interface DiscoverOptions {
  /** The directory relative paths are resolved from. */
  cwd: string;
  /** Extra patterns in .gitignore syntax; they apply to named files too. */
  exclude: readonly ExcludePatterns[];
  /** Whether the engine analyses this kind of file. */
  supports(file: string): boolean;
}

export interface ExcludePatterns {
  /**
   * The directory the patterns are relative to, as a .gitignore's are to its folder. For a named path
   * that neither contains it nor lies inside it, they are relative to that path (a named directory, or
   * a named file's folder), so `scan ../other --exclude tests/` means ../other/tests.
   */
  directory: string;
  patterns: readonly string[];
}

export interface Discovery {
  /** Absolute paths, without duplicates, sorted. */
  files: string[];
  /** Files named explicitly that the engine does not analyse, sorted. */
  unsupported: string[];
}

/** A path given to scan that is not a file or directory that can be read. */
export class PathError extends Error {
  constructor(givenPath: string, problem: string) {
    super(`${problem}: ${givenPath}`);
  }
}

/** A .gitignore, or a set of exclusions, and the directory its patterns are relative to. */
interface IgnoreLevel {
  directory: string;
  rules: Ignore;
}

// Git matches case-insensitively exactly where the file system usually is case-insensitive.
const IGNORE_CASE = process.platform === "win32" || process.platform === "darwin";

/**
 * Directories are walked honouring .gitignore files the way git does (the repository's root and nested
 * ones, deeper files overriding shallower ones) and skipping DEFAULT_SKIPPED_DIRECTORIES. A path named
 * explicitly is always scanned, even when ignored or inside a skipped directory, unless an exclusion matches it.
 */
export async function discoverFiles(paths: readonly string[], options: DiscoverOptions): Promise<Discovery> {
  const cwd = path.resolve(options.cwd);
  const files = new Set<string>();
  const unsupported = new Set<string>();
  for (const given of paths) {
    const root = path.resolve(cwd, given);
    const stats = await stat(root).catch(() => undefined);
    if (!stats) throw new PathError(given, "no such file or directory");
    // Reading a named pipe or a device would never end.
    if (!stats.isDirectory() && !stats.isFile()) throw new PathError(given, "not a regular file or directory");
    const outsideBase = stats.isDirectory() ? root : path.dirname(root);
    const exclude = options.exclude.map(({ directory, patterns }) => ({
      directory: isInside(directory, root) || isInside(root, directory) ? directory : outsideBase,
      rules: ignore({ ignorecase: IGNORE_CASE }).add([...patterns]),
    }));
    if (stats.isDirectory()) {
      const enclosing = await enclosingGitignores(root);
      // Naming an ignored directory asks for it: only the .gitignore files inside it still apply.
      await walk({ exclude, supports: options.supports, found: files }, root, isIgnored(enclosing, root, true) ? [] : enclosing);
    } else if (!isExcluded(exclude, root, false)) {
      (options.supports(root) ? files : unsupported).add(root);
    }
  }
  return { files: [...files].sort(), unsupported: [...unsupported].sort() };
}

interface Walker {
  /** Checked on their own: a `!` pattern in a .gitignore cannot bring back what an exclusion removed. */
  exclude: IgnoreLevel[];
  supports(file: string): boolean;
  found: Set<string>;
}

async function walk(walker: Walker, directory: string, gitignores: IgnoreLevel[]): Promise<void> {
  // A directory that vanished or cannot be read is left out, as git does.
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => [] as Dirent[]);
  const local = entries.some((entry) => entry.name === ".gitignore" && entry.isFile())
    ? await readIgnoreFile(path.join(directory, ".gitignore"))
    : undefined;
  const levels = local ? [...gitignores, { directory, rules: local }] : gitignores;
  const skip = (target: string, isDirectory: boolean): boolean =>
    isExcluded(walker.exclude, target, isDirectory) || isIgnored(levels, target, isDirectory);
  await Promise.all(
    entries.map(async (entry) => {
      const entryPath = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!DEFAULT_SKIPPED_DIRECTORIES.has(entry.name) && !skip(entryPath, true)) await walk(walker, entryPath, levels);
      } else if (entry.isFile() || (entry.isSymbolicLink() && (await isFileLink(entryPath)))) {
        if (walker.supports(entryPath) && !skip(entryPath, false)) walker.found.add(entryPath);
      }
    }),
  );
}

/** Links to files are followed; links to directories are not, so that a cycle cannot trap the walk. */
async function isFileLink(linkPath: string): Promise<boolean> {
  const target = await stat(linkPath).catch(() => undefined);
  return target?.isFile() === true;
}

/** Each set of exclusions stands alone: one cannot re-include what another excludes. */
function isExcluded(levels: readonly IgnoreLevel[], target: string, isDirectory: boolean): boolean {
  return levels.some((level) => isIgnored([level], target, isDirectory));
}

/** Later levels (deeper .gitignore files) override earlier ones, including with `!` re-inclusions. */
function isIgnored(levels: readonly IgnoreLevel[], target: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const relative = path.relative(level.directory, target).split(path.sep).join("/");
    if (relative === "" || !isInside(level.directory, target)) continue;
    const verdict = level.rules.test(isDirectory ? `${relative}/` : relative);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

/** The .gitignore files above `root`, from the enclosing repository's root down, outermost first. */
async function enclosingGitignores(root: string): Promise<IgnoreLevel[]> {
  const ancestors: string[] = [];
  // `.git` is a directory in a normal clone and a file in worktrees and submodules.
  for (let directory = root; !existsSync(path.join(directory, ".git")); ) {
    const parent = path.dirname(directory);
    if (parent === directory) return []; // not inside a repository
    ancestors.unshift(parent);
    directory = parent;
  }
  const levels: IgnoreLevel[] = [];
  for (const directory of ancestors) {
    const rules = await readIgnoreFile(path.join(directory, ".gitignore"));
    if (rules) levels.push({ directory, rules });
  }
  return levels;
}

async function readIgnoreFile(file: string): Promise<Ignore | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  return text === undefined ? undefined : ignore({ ignorecase: IGNORE_CASE }).add(text);
}

/** True when `target` is `directory` itself or below it. */
export function isInside(directory: string, target: string): boolean {
  const relative = path.relative(directory, target);
  return relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
