import type { Connection } from "vscode-languageserver/node";
import type { Severity } from "./engine/types";

/** The `secureAiLint.*` settings that apply to one document (they may differ per workspace folder). */
export interface Settings {
  enable: boolean;
  maxFileSize: number;
  rules: Record<string, Severity | "off">;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = { enable: true, maxFileSize: 1024 * 1024, rules: {} };

const RULE_LEVELS: ReadonlySet<unknown> = new Set(["error", "warning", "info", "off"]);

export interface SettingsStore {
  /** From the client's capabilities: VS Code answers `workspace/configuration`; simpler editors push settings. */
  pullFromClient: boolean;
  forDocument(uri: string): Promise<Settings>;
  /** On `workspace/didChangeConfiguration`; `pushed` (its payload) is used when the client cannot be asked. */
  changed(pushed: unknown): void;
  forget(uri: string): void;
}

export function createSettingsStore(connection: Connection): SettingsStore {
  const perDocument = new Map<string, Promise<Settings>>();
  let pushedSettings: Settings = DEFAULT_SETTINGS;

  return {
    pullFromClient: false,
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
    changed(pushed) {
      perDocument.clear();
      pushedSettings = readSettings(isRecord(pushed) ? pushed.secureAiLint : undefined);
    },
    forget(uri) {
      perDocument.delete(uri);
    },
  };
}

/** Settings come from user-edited JSON: anything malformed falls back to its default. */
function readSettings(raw: unknown): Settings {
  const value = isRecord(raw) ? raw : {};
  const rules = isRecord(value.rules) ? value.rules : {};
  return {
    enable: typeof value.enable === "boolean" ? value.enable : DEFAULT_SETTINGS.enable,
    maxFileSize:
      typeof value.maxFileSize === "number" && value.maxFileSize > 0 ? value.maxFileSize : DEFAULT_SETTINGS.maxFileSize,
    rules: Object.fromEntries(
      Object.entries(rules).filter((entry): entry is [string, Severity | "off"] => RULE_LEVELS.has(entry[1])),
    ),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
