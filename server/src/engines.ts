import { createEngine } from "./engine/analyze";
import type { Engine, EngineOptions } from "./engine/types";
import type { LoadedConfig } from "./projectConfig";
import type { Settings } from "./settings";

export interface EngineCache {
  /** The engine for these settings, or undefined when it could not be created (the failure is reported once). */
  forSettings(settings: Settings, project?: LoadedConfig): Promise<Engine | undefined>;
}

/**
 * Engine options are fixed at creation, and workspace folders may configure rules differently,
 * so there is one engine per distinct configuration (in practice one or two per workspace).
 */
export function createEngineCache(reportFailure: (error: unknown) => void): EngineCache {
  const engines = new Map<string, Promise<Engine | undefined>>();
  return {
    forSettings(settings, project) {
      // The project file is shared by the team; a user's own settings win over it.
      const options: EngineOptions = {
        incremental: true,
        maxFileBytes: settings.maxFileSize,
        ruleSeverities: { ...project?.config.rules, ...settings.rules },
        extraModels: project?.config.model ? [project.config.model] : [],
      };
      const key = JSON.stringify([settings.maxFileSize, Object.entries(settings.rules).sort(), project?.version ?? "none"]);
      let engine = engines.get(key);
      if (!engine) {
        engine = createEngine(options).catch((error: unknown) => {
          reportFailure(error);
          return undefined;
        });
        engines.set(key, engine);
      }
      return engine;
    },
  };
}
