/** Reads one file from disk and analyses it. */
import { readFile, stat } from "node:fs/promises";
import { isNotebook, tooLargeNotice } from "../engine/files";
import { LineIndex } from "../engine/lines";
import type { AnalysisContext, AnalysisResult, Engine } from "../engine/types";
import { analyseNotebookText, NOTEBOOK_SIZE_ALLOWANCE, type NotebookPlace } from "./analyseNotebook";
import { fingerprintText } from "./fingerprint";

/** What happened to one file: analysed (possibly skipped by the engine), or failed. */
export type FileOutcome =
  | {
      file: string;
      result: AnalysisResult;
      /** The source text of each finding's first line, in the order of `result.findings`. */
      findingLines: string[];
      /** What each finding's fingerprint hashes (fingerprint.ts), in the order of `result.findings`. */
      fingerprintTexts?: string[];
      /** Set by `scan --fix`: the fixes applied to the file, and whether a round of fixes was refused. */
      fixed?: { fixes: number; refusedSyntaxError: boolean };
      /** For a notebook: where each finding lies, in the order of `result.findings`, whose ranges are within cells. */
      notebookPlaces?: NotebookPlace[];
    }
  | { file: string; error: string };

export type AnalysedOutcome = Extract<FileOutcome, { result: unknown }>;

export async function analyseFile(engine: Pick<Engine, "analyze">, file: string, maxFileBytes: number, context?: AnalysisContext): Promise<FileOutcome> {
  let text: string;
  try {
    // The engine checks the size too, but only once the text is in memory: a 500 MB bundle
    // that happens to end in .js must not be read at all. Binary content is the engine's to detect.
    const { size } = await stat(file);
    const limit = isNotebook(file) ? maxFileBytes * NOTEBOOK_SIZE_ALLOWANCE : maxFileBytes;
    if (size > limit) return tooLarge(file, size, limit);
    text = (await readFile(file, "utf8")).replace(/^\uFEFF/, "");
  } catch (error) {
    return { file, error: `could not read the file: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (isNotebook(file)) return analyseNotebookText(engine, file, text);
  return outcomeOf(file, text, engine.analyze(text, file, context));
}

/** The outcome of a file analysed from `text`, with the lines the reports quote. */
export function outcomeOf(file: string, text: string, result: AnalysisResult): AnalysedOutcome {
  if (result.findings.length === 0) return { file, result, findingLines: [] };
  const lines = new LineIndex(text);
  return {
    file,
    result,
    findingLines: result.findings.map((finding) => lines.lineText(finding.range.start.line)),
    fingerprintTexts: result.findings.map((finding) => fingerprintText(lines, finding)),
  };
}

function tooLarge(file: string, size: number, maxFileBytes: number): FileOutcome {
  const skipped = tooLargeNotice(size, maxFileBytes);
  return { file, result: { findings: [], skipped, ruleFailures: [], syntaxErrors: [] }, findingLines: [] };
}
