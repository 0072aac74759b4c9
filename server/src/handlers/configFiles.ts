/**
 * Project config files as the editor sees them. Their problems are published as diagnostics on
 * the config file itself, at the offending value: from the editor's text while the file is open,
 * from disk otherwise (for the configs that apply to open documents). A change on disk reloads
 * the config and re-analyses the open documents.
 */
import { statSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Connection, Diagnostic, DiagnosticSeverity, TextDocuments } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { RULES } from "../../../rules";
import { CONFIG_FILE_NAMES, parseConfig, type ConfigProblem } from "../engine/config";
import { isConfigFileName, ProjectConfigLoader, type LoadedConfig } from "../projectConfig";

const DIAGNOSTIC_SOURCE = "secure-ai-lint";

export interface ConfigFiles {
  /** True for a config file's document: it is checked here, never analysed as code. */
  owns(uri: string): boolean;
  /** The project config for a code document; publishes the config file's problems when they changed. */
  forDocument(uri: string): LoadedConfig | undefined;
}

export function registerConfigFiles(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  configChanged: () => void,
): ConfigFiles {
  const knownRules = RULES.map((rule) => rule.meta.id);
  const loader = new ProjectConfigLoader(knownRules);
  /** Config files that apply to an open document (or are shadowed by one), with the state last published from disk. */
  const fromDisk = new Map<string, string | undefined>();
  const loggedVersions = new Set<string>();

  function openDocument(file: string): TextDocument | undefined {
    return documents.get(pathToFileURL(file).href);
  }

  function publish(file: string, problems: readonly ConfigProblem[], version?: number): void {
    const diagnostics = [...shadowingProblems(file), ...problems].map(toDiagnostic);
    void connection.sendDiagnostics({ uri: pathToFileURL(file).href, version, diagnostics });
  }

  function publishFromDisk(file: string): void {
    if (openDocument(file)) return; // the editor's text, maybe unsaved, is what the user sees
    const loaded = loader.load(file);
    const state = loaded ? `${loaded.version}|${shadowingFile(file) ?? ""}` : "deleted";
    if (fromDisk.get(file) === state) return;
    fromDisk.set(file, state);
    if (!loaded) void connection.sendDiagnostics({ uri: pathToFileURL(file).href, diagnostics: [] });
    else publish(file, loaded.problems);
  }

  function publishOpen(document: TextDocument): void {
    const file = fileURLToPath(document.uri);
    publish(file, parseConfig(document.getText(), knownRules, file).problems, document.version);
  }

  function logOnce(loaded: LoadedConfig): void {
    if (!loaded.file || loaded.problems.length === 0 || loggedVersions.has(loaded.version)) return;
    loggedVersions.add(loaded.version);
    const ignored = loaded.problems.some((problem) => problem.severity === "error") ? " The file is ignored; the defaults apply." : "";
    connection.console.warn(`${loaded.file}: ${loaded.problems.map((problem) => problem.message).join("; ")}.${ignored}`);
  }

  const owns = (uri: string) => uri.startsWith("file:") && isConfigFileName(uri);

  documents.onDidChangeContent(({ document }) => {
    if (owns(document.uri)) publishOpen(document);
  });
  documents.onDidClose(({ document }) => {
    if (!owns(document.uri)) return;
    const file = fileURLToPath(document.uri);
    if (fromDisk.has(file)) {
      fromDisk.delete(file);
      publishFromDisk(file);
    } else {
      void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    }
  });
  connection.onDidChangeWatchedFiles(({ changes }) => {
    const changed = changes.filter((change) => owns(change.uri));
    if (changed.length === 0) return;
    for (const change of changed) {
      const file = fileURLToPath(change.uri);
      loader.invalidate(file);
      if (fromDisk.has(file)) fromDisk.set(file, undefined);
    }
    // A file appearing or going away changes which of its neighbours applies.
    for (const file of fromDisk.keys()) publishFromDisk(file);
    for (const document of documents.all()) if (owns(document.uri)) publishOpen(document);
    configChanged();
  });

  return {
    owns,
    forDocument(uri) {
      if (!uri.startsWith("file:")) return undefined;
      const loaded = loader.forPath(fileURLToPath(uri));
      if (!loaded.file) return loaded;
      logOnce(loaded);
      for (const file of [loaded.file, ...loaded.shadowed]) {
        if (!fromDisk.has(file)) fromDisk.set(file, undefined);
        publishFromDisk(file);
      }
      return loaded;
    },
  };
}

/** The config file that comes before `file` in the same folder, making `file` ignored. */
function shadowingFile(file: string): string | undefined {
  const dir = path.dirname(file);
  const rank = CONFIG_FILE_NAMES.indexOf(path.basename(file) as (typeof CONFIG_FILE_NAMES)[number]);
  return CONFIG_FILE_NAMES.slice(0, Math.max(rank, 0))
    .map((name) => path.join(dir, name))
    .find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile() ?? false);
}

function shadowingProblems(file: string): ConfigProblem[] {
  const winner = shadowingFile(file);
  if (winner === undefined) return [];
  return [
    {
      message: `This file is ignored: ${path.basename(winner)} in the same folder applies instead (order: ${CONFIG_FILE_NAMES.join(", ")}). Merge the two and delete one.`,
      severity: "warning",
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    },
  ];
}

function toDiagnostic(problem: ConfigProblem): Diagnostic {
  return {
    range: problem.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: problem.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
  };
}
