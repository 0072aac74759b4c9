import { createEngine } from "./engine/analyze";
import { knowledgeModel } from "./engine/config";
import type { Engine, EngineOptions } from "./engine/types";
import type { LoadedConfig } from "./projectConfig";
import type { Settings } from "./settings";

export interface EngineCache {
  /** The engine for these settings, or undefined when it could not be created (the failure is reported once). */
  forSettings(settings: Settings, project?: LoadedConfig): Promise<Engine | undefined>;
}

/** Configurations in use at once are few (one or two per workspace); older ones are dropped after settings edits. */
const MAX_ENGINES = 8;

/**
 * Engine options are fixed at creation, and workspace folders may configure rules differently,
 * so there is one engine per distinct configuration.
 *
 * Precedence: for rule severities, editor settings override the project file, as an editor's own
 * setting does in ESLint's and Ruff's extensions (the CLI, and so CI, reads only the project file).
 * Lists (excludes, sanitizers, LLM wrappers) add up.
 */
export function createEngineCache(reportFailure: (error: unknown) => void): EngineCache {
  const engines = new Map<string, Promise<Engine | undefined>>();
  return {
    forSettings(settings, project) {
      const fromSettings = knowledgeModel(
        { sanitizers: settings.sanitizers, llmWrappers: settings.llmWrappers },
        "settings",
        "Editor settings",
      );
      const options: EngineOptions = {
        incremental: true,
        maxFileBytes: settings.maxFileSize,
        ruleSeverities: { ...project?.config.rules, ...settings.rules },
        extraModels: [project?.config.model, fromSettings].filter((model) => model !== undefined),
      };
      const key = JSON.stringify([
        settings.maxFileSize,
        Object.entries(settings.rules).sort(),
        settings.sanitizers,
        settings.llmWrappers,
        project?.version ?? "none",
      ]);
      let engine = engines.get(key);
      if (engine) {
        engines.delete(key); // re-inserted below: the map's order is the order of last use
      } else {
        engine = createEngine(options).catch((error: unknown) => {
          reportFailure(error);
          return undefined;
        });
      }
      engines.set(key, engine);
      if (engines.size > MAX_ENGINES) engines.delete(engines.keys().next().value!);
      return engine;
    },
  };
}
