import * as path from "node:path";
import ignore, { type Ignore } from "ignore";
import { fileURLToPath } from "node:url";
import type { Connection, WorkspaceFolder, WorkspaceFoldersChangeEvent } from "vscode-languageserver/node";
import { globProblem, isLlmWrapper, type LlmWrapper } from "./engine/config";
import type { Severity } from "./engine/types";

/** The `secureAiLint.*` settings that apply to one document (they may differ per workspace folder). */
export interface Settings {
  enable: boolean;
  maxFileSize: number;
  rules: Record<string, Severity | "off">;
  /** .gitignore-style patterns relative to the document's workspace folder, on top of the project file's. */
  exclude: string[];
  /** Symbol patterns of sanitizers, on top of the project file's. */
  sanitizers: string[];
  /** LLM wrapper functions, on top of the project file's. */
  llmWrappers: LlmWrapper[];
}

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  enable: true,
  maxFileSize: 1024 * 1024,
  rules: {},
  exclude: [],
  sanitizers: [],
  llmWrappers: [],
};

const RULE_LEVELS: ReadonlySet<unknown> = new Set(["error", "warning", "info", "off"]);

export interface SettingsStore {
  /** From the client's capabilities: VS Code answers `workspace/configuration`; simpler editors push settings. */
  pullFromClient: boolean;
  /** The workspace folders' paths, which anchor the `exclude` patterns of settings. */
  workspaceFolders: string[];
  /** From `initialize` (its `workspaceFolders`, or `rootUri` from older clients). */
  setWorkspaceFolders(folders: readonly WorkspaceFolder[]): void;
  workspaceFoldersChanged(event: WorkspaceFoldersChangeEvent): void;
  forDocument(uri: string): Promise<Settings>;
  /** True when the settings' `exclude` patterns match the file. */
  excludes(settings: Settings, filePath: string): boolean;
  /** On `workspace/didChangeConfiguration`; `pushed` (its payload) is used when the client cannot be asked. */
  changed(pushed: unknown): void;
  forget(uri: string): void;
}

export function createSettingsStore(connection: Connection): SettingsStore {
  const perDocument = new Map<string, Promise<Settings>>();
  const matchers = new WeakMap<Settings, Ignore>();
  let pushedSettings: Settings = DEFAULT_SETTINGS;

  return {
    pullFromClient: false,
    workspaceFolders: [],
    setWorkspaceFolders(folders) {
      this.workspaceFolders = folders.flatMap(folderPath);
    },
    workspaceFoldersChanged({ added, removed }) {
      const gone = new Set(removed.flatMap(folderPath));
      this.workspaceFolders = [...this.workspaceFolders.filter((folder) => !gone.has(folder)), ...added.flatMap(folderPath)];
    },
    forDocument(uri) {
      if (!this.pullFromClient) return Promise.resolve(pushedSettings);
      let settings = perDocument.get(uri);
      if (!settings) {
        settings = connection.workspace.getConfiguration({ scopeUri: uri, section: "secureAiLint" }).then(
          readSettings,
          (error: unknown) => {
            connection.console.warn(`Could not read settings for ${uri}, using defaults: ${String(error)}`);
            return DEFAULT_SETTINGS;
          },
        );
        perDocument.set(uri, settings);
      }
      return settings;
    },
    excludes(settings, filePath) {
      if (settings.exclude.length === 0) return false;
      let matcher = matchers.get(settings);
      if (!matcher) matchers.set(settings, (matcher = ignore().add(settings.exclude)));
      const absolute = path.resolve(filePath);
      // The innermost folder holding the file; a file outside every folder is matched by its name alone.
      const folder = this.workspaceFolders
        .filter((root) => !path.relative(root, absolute).startsWith("..") && !path.isAbsolute(path.relative(root, absolute)))
        .sort((a, b) => b.length - a.length)[0];
      const rel = folder === undefined ? path.basename(absolute) : path.relative(folder, absolute);
      return rel !== "" && matcher.ignores(rel.split(path.sep).join("/"));
    },
    changed(pushed) {
      perDocument.clear();
      pushedSettings = readSettings(isRecord(pushed) ? pushed.secureAiLint : undefined);
    },
    forget(uri) {
      perDocument.delete(uri);
    },
  };
}

/** Settings come from user-edited JSON: anything malformed falls back to its default, entry by entry for lists. */
function readSettings(raw: unknown): Settings {
  const value = isRecord(raw) ? raw : {};
  const rules = isRecord(value.rules) ? value.rules : {};
  const strings = (list: unknown) => (Array.isArray(list) ? list.filter((item): item is string => typeof item === "string") : []);
  return {
    enable: typeof value.enable === "boolean" ? value.enable : DEFAULT_SETTINGS.enable,
    maxFileSize:
      typeof value.maxFileSize === "number" && value.maxFileSize > 0 ? value.maxFileSize : DEFAULT_SETTINGS.maxFileSize,
    rules: Object.fromEntries(
      Object.entries(rules).filter((entry): entry is [string, Severity | "off"] => RULE_LEVELS.has(entry[1])),
    ),
    exclude: strings(value.exclude).filter((pattern) => globProblem(pattern) === undefined),
    sanitizers: strings(value.sanitizers).filter((pattern) => /^\S+$/.test(pattern)),
    llmWrappers: Array.isArray(value.llmWrappers) ? value.llmWrappers.filter(isLlmWrapper) : [],
  };
}

function folderPath(folder: WorkspaceFolder): string[] {
  try {
    return [fileURLToPath(folder.uri)];
  } catch {
    return []; // not a file: URI; its documents have no path to exclude by
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
