/**
 * Finds and loads the project config (secure-ai-lint.json, .yaml or .yml, with or without a
 * leading dot) for a file, for the CLI and the language server alike. The nearest folder with a
 * config file up the tree wins; within one folder, CONFIG_FILE_NAMES' order decides and the
 * others are reported as ignored. A file is re-read only when its modification time changes
 * or when it is invalidated (the editor saw it change).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import ignore, { type Ignore } from "ignore";
import { CONFIG_FILE_NAMES, DEFAULT_CONFIG, parseConfig, type ConfigProblem, type ProjectConfig } from "./engine/config";

export interface LoadedConfig {
  /** The config file, or undefined when none applies (defaults). */
  file?: string;
  config: ProjectConfig;
  problems: ConfigProblem[];
  /** Other config files in the same folder, ignored because `file` comes first. */
  shadowed: string[];
  /** Changes whenever the file's content may have changed: part of engine cache keys. */
  version: string;
  /** True when `filePath` matches the config's `exclude` patterns. */
  excludes(filePath: string): boolean;
}

const NONE: LoadedConfig = { config: DEFAULT_CONFIG, problems: [], shadowed: [], version: "none", excludes: () => false };

export function isConfigFileName(fileName: string): boolean {
  return (CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(fileName));
}

export class ProjectConfigLoader {
  private readonly cache = new Map<string, { mtimeMs: number; loaded: LoadedConfig }>();
  /** Counts reads, so that a re-read after invalidation gets a new version even at the same modification time. */
  private reads = 0;

  constructor(private readonly knownRules: readonly string[]) {}

  /** The config that applies to files under `dir` (or to the file `dir` names). */
  forPath(fileOrDir: string): LoadedConfig {
    let dir = path.resolve(fileOrDir);
    try {
      if (!statSync(dir).isDirectory()) dir = path.dirname(dir);
    } catch {
      dir = path.dirname(dir);
    }
    for (;;) {
      const index = CONFIG_FILE_NAMES.findIndex((name) => this.load(path.join(dir, name)));
      if (index >= 0) {
        const loaded = this.load(path.join(dir, CONFIG_FILE_NAMES[index]))!;
        const shadowed = CONFIG_FILE_NAMES.slice(index + 1).map((name) => path.join(dir, name)).filter((file) => existsSync(file));
        return shadowed.length === 0 ? loaded : { ...loaded, shadowed, version: `${loaded.version}+${shadowed.length}` };
      }
      const parent = path.dirname(dir);
      // Stop at the repository's root (`.git` is a directory in a clone, a file in worktrees and submodules).
      if (parent === dir || existsSync(path.join(dir, ".git"))) return NONE;
      dir = parent;
    }
  }

  /** One config file, whether or not it is the one that applies anywhere; undefined when it does not exist. */
  load(file: string): LoadedConfig | undefined {
    let mtimeMs: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) return undefined;
      mtimeMs = st.mtimeMs;
    } catch {
      return undefined;
    }
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.loaded;
    const version = `${file}@${mtimeMs}#${++this.reads}`;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      const problem: ConfigProblem = { message: `Cannot read: ${(err as Error).message}`, severity: "error" };
      return this.remember(file, mtimeMs, { ...NONE, file, version, problems: [problem] });
    }
    const { config, problems } = parseConfig(text, this.knownRules, file);
    const root = path.dirname(file);
    const matcher: Ignore = ignore().add(config.exclude);
    const loaded: LoadedConfig = {
      file,
      config,
      problems,
      shadowed: [],
      version,
      excludes(filePath) {
        const rel = path.relative(root, path.resolve(filePath));
        return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) && matcher.ignores(rel.split(path.sep).join("/"));
      },
    };
    return this.remember(file, mtimeMs, loaded);
  }

  /** Forgets what was read from `file`: a save within the file system's timestamp resolution is still seen. */
  invalidate(file: string): void {
    this.cache.delete(path.resolve(file));
  }

  private remember(file: string, mtimeMs: number, loaded: LoadedConfig): LoadedConfig {
    this.cache.set(file, { mtimeMs, loaded });
    return loaded;
  }
}
