/**
 * Prompt template files (.prompty, .prompt) in the editor. What a prompt file's variables receive is
 * decided by the code that renders it, so before a prompt file is analysed the code files of its
 * workspace folder that use a prompt-file loader are analysed for bindings: open documents from
 * their current text, the others from disk, cached by modification time.
 */
import { readFile, stat } from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { TextDocuments } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { discoverFiles } from "../cli/discover";
import { bindingNamesFile, languageOf, promptFormatOf } from "../engine/files";
import type { AnalysisContext, Engine, PromptBinding } from "../engine/types";

/** Only files that import a prompt-file loader can render a prompt file. */
const LOADER_MODULES = /\b(?:prompty|langchain_prompty|genkit)\b|@genkit-ai\/dotprompt/;
/** Bounds on the scan of a workspace folder: files listed, their size, and how long a listing is reused. */
const MAX_CODE_FILES = 5000;
const MAX_CODE_FILE_BYTES = 512 * 1024;
const LISTING_TTL_MS = 10_000;

interface CachedBindings {
  mtimeMs: number;
  size: number;
  bindings: PromptBinding[];
}

export interface PromptFiles {
  /** For a prompt file: the bindings of the code that renders it. Undefined for other files. */
  contextFor(filePath: string, engine: Engine, excluded: (file: string) => boolean): Promise<AnalysisContext | undefined>;
  /** Open prompt documents whose analysis may change when this document changes. */
  dependents(document: TextDocument): string[];
}

export function createPromptFiles(documents: TextDocuments<TextDocument>, workspaceFolders: () => readonly string[]): PromptFiles {
  const listings = new Map<string, { at: number; files: Promise<string[]> }>();
  const onDisk = new Map<string, CachedBindings>();

  function folderOf(filePath: string): string {
    const folders = workspaceFolders().filter((f) => filePath.startsWith(f.endsWith(path.sep) ? f : f + path.sep));
    // The innermost folder, or the file's own directory outside any workspace folder.
    return folders.sort((a, b) => b.length - a.length)[0] ?? path.dirname(filePath);
  }

  function codeFilesIn(folder: string): Promise<string[]> {
    const cached = listings.get(folder);
    if (cached && Date.now() - cached.at < LISTING_TTL_MS) return cached.files;
    const files = discoverFiles([folder], { cwd: folder, exclude: [], supports: (file) => languageOf(file) !== undefined })
      .then((d) => d.files.slice(0, MAX_CODE_FILES))
      .catch(() => []);
    listings.set(folder, { at: Date.now(), files });
    return files;
  }

  function openCodeDocuments(): Map<string, TextDocument> {
    const open = new Map<string, TextDocument>();
    for (const doc of documents.all()) {
      if (!doc.uri.startsWith("file:")) continue;
      const file = uriToPath(doc.uri);
      if (languageOf(file) !== undefined) open.set(file, doc);
    }
    return open;
  }

  function bindingsOf(text: string, file: string, engine: Engine): PromptBinding[] {
    if (!LOADER_MODULES.test(text)) return [];
    return engine.analyze(text, file).promptBindings ?? [];
  }

  async function diskBindings(file: string, engine: Engine): Promise<PromptBinding[]> {
    try {
      const { mtimeMs, size } = await stat(file);
      const cached = onDisk.get(file);
      if (cached && cached.mtimeMs === mtimeMs && cached.size === size) return cached.bindings;
      const bindings = size > MAX_CODE_FILE_BYTES ? [] : bindingsOf(await readFile(file, "utf8"), file, engine);
      // The engine keeps syntax trees for open documents; a file read from disk is not one.
      engine.forget(file);
      onDisk.set(file, { mtimeMs, size, bindings });
      return bindings;
    } catch {
      onDisk.delete(file);
      return [];
    }
  }

  return {
    async contextFor(filePath, engine, excluded) {
      if (promptFormatOf(filePath) === undefined) return undefined;
      const folder = folderOf(filePath);
      const open = openCodeDocuments();
      const files = new Set(await codeFilesIn(folder));
      for (const file of open.keys()) if (file.startsWith(folder + path.sep)) files.add(file);
      const promptBindings: PromptBinding[] = [];
      for (const file of files) {
        if (excluded(file)) continue;
        const doc = open.get(file);
        const bindings = doc ? bindingsOf(doc.getText(), file, engine) : await diskBindings(file, engine);
        promptBindings.push(...bindings.filter((b) => bindingNamesFile(filePath, b)));
      }
      return { promptBindings };
    },
    dependents(document) {
      if (!document.uri.startsWith("file:") || languageOf(uriToPath(document.uri)) === undefined || !LOADER_MODULES.test(document.getText())) return [];
      return documents.keys().filter((uri) => uri.startsWith("file:") && promptFormatOf(uriToPath(uri)) !== undefined);
    },
  };
}

function uriToPath(uri: string): string {
  try {
    return fileURLToPath(uri);
  } catch {
    return decodeURIComponent(new URL(uri).pathname);
  }
}
