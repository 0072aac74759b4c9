/**
 * Which files the engine reads, and the notices for those it does not. Kept apart from
 * the analysis so that callers (the CLI's main thread) can decide without loading parsers.
 */
import * as path from "node:path";
import type { Language } from "./ir";
import type { PromptBinding, SkipNotice } from "./types";

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

const LANGUAGES: Record<string, Language> = {
  ".py": "python",
  ".pyi": "python",
  ".pyw": "python",
  ".js": "javascript",
  ".jsx": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".ts": "typescript",
  ".tsx": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
};

export function languageOf(filePath: string): Language | undefined {
  return LANGUAGES[path.extname(filePath).toLowerCase()];
}

const PROMPT_FORMATS: Record<string, "prompty" | "dotprompt"> = { ".prompty": "prompty", ".prompt": "dotprompt" };

/** Prompt template files: Microsoft Prompty and Google Dotprompt. */
export function promptFormatOf(filePath: string): "prompty" | "dotprompt" | undefined {
  return PROMPT_FORMATS[path.extname(filePath).toLowerCase()];
}

/** True when code names this prompt file: its path ends with the binding's target (`prompts/support.prompty`). */
export function bindingNamesFile(filePath: string, binding: Pick<PromptBinding, "format" | "target">): boolean {
  if (binding.format !== promptFormatOf(filePath)) return false;
  const normalised = filePath.replace(/\\/g, "/");
  return normalised === binding.target || normalised.endsWith(`/${binding.target}`);
}

/** Jupyter notebooks: their Python cells are analysed as one program (see notebook.ts). */
export function isNotebook(filePath: string): boolean {
  return path.extname(filePath).toLowerCase() === ".ipynb";
}

export function unsupportedNotice(filePath: string): SkipNotice {
  return { reason: "unsupported", message: `${path.extname(filePath) || "This file type"} is not analysed.` };
}

/** The notice for a file over the size limit; the CLI gives it before reading the file. */
export function tooLargeNotice(bytes: number, max: number): SkipNotice {
  return {
    reason: "too-large",
    message: `This file is ${formatBytes(bytes)}, over the ${formatBytes(max)} limit, and is not analysed. Raise secureAiLint.maxFileSize (or --max-file-size) to include it.`,
  };
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
