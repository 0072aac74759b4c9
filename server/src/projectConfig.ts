/**
 * Finds and loads the project config (secure-ai-lint.json) for a file, for the CLI
 * and the language server alike. The nearest config file up the directory tree
 * wins; a file is re-read only when its modification time changes.
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
  /** Changes whenever the file's content may have changed: part of engine cache keys. */
  version: string;
  /** True when `filePath` matches the config's `exclude` patterns. */
  excludes(filePath: string): boolean;
}

const NONE: LoadedConfig = { config: DEFAULT_CONFIG, problems: [], version: "none", excludes: () => false };

export class ProjectConfigLoader {
  private readonly cache = new Map<string, { mtimeMs: number; loaded: LoadedConfig }>();

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
      for (const name of CONFIG_FILE_NAMES) {
        const loaded = this.load(path.join(dir, name));
        if (loaded) return loaded;
      }
      const parent = path.dirname(dir);
      // Stop at the repository's root (`.git` is a directory in a clone, a file in worktrees and submodules).
      if (parent === dir || existsSync(path.join(dir, ".git"))) return NONE;
      dir = parent;
    }
  }

  private load(file: string): LoadedConfig | undefined {
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
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      return this.remember(file, mtimeMs, { ...NONE, file, version: `${file}@${mtimeMs}`, problems: [{ message: `Cannot read: ${(err as Error).message}` }] });
    }
    const { config, problems } = parseConfig(text, this.knownRules);
    const root = path.dirname(file);
    const matcher: Ignore = ignore().add(config.exclude);
    const loaded: LoadedConfig = {
      file,
      config,
      problems,
      version: `${file}@${mtimeMs}`,
      excludes(filePath) {
        const rel = path.relative(root, path.resolve(filePath));
        return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) && matcher.ignores(rel.split(path.sep).join("/"));
      },
    };
    return this.remember(file, mtimeMs, loaded);
  }

  private remember(file: string, mtimeMs: number, loaded: LoadedConfig): LoadedConfig {
    this.cache.set(file, { mtimeMs, loaded });
    return loaded;
  }
}
