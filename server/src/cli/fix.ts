/**
 * `scan --fix`: applies the safe fixes of a file's findings, re-analyses and repeats until nothing
 * more applies, then writes the file back if it changed. A round that would add a syntax error is
 * refused, and the file keeps the text of the round before. Notebooks and prompt files are only analysed.
 */
import { readFile, writeFile } from "node:fs/promises";
import { applyEdits, mergeFixes, safeFixes } from "../engine/fixes/apply";
import { isNotebook, languageOf } from "../engine/files";
import { parseJavaScript } from "../engine/parse/javascript";
import { parsePython } from "../engine/parse/python";
import type { AnalysisContext, AnalysisResult, Engine, TextEdit } from "../engine/types";
import { analyseFile, outcomeOf, type FileOutcome } from "./analyseFile";

export const MAX_FIX_ROUNDS = 10;

export async function fixFile(engine: Pick<Engine, "analyze">, file: string, maxFileBytes: number, context?: AnalysisContext): Promise<FileOutcome> {
  const analysed = await analyseFile(engine, file, maxFileBytes, context);
  const language = languageOf(file);
  if (!("result" in analysed) || analysed.result.skipped || isNotebook(file) || !language) return analysed;
  if (safeFixes(analysed.result.findings).length === 0) return analysed;

  let raw: string;
  try {
    raw = await readFile(file, "utf8");
  } catch (error) {
    return { file, error: `could not read the file: ${messageOf(error)}` };
  }
  const bom = raw.startsWith("\uFEFF") ? "\uFEFF" : "";
  const original = raw.slice(bom.length);
  const newline = original.includes("\r\n") ? "\r\n" : "\n";
  const syntaxErrors = (text: string): number => (language === "python" ? parsePython(text) : parseJavaScript(text, file)).syntaxErrors.length;
  const allowedErrors = syntaxErrors(original);

  let text = original;
  let result: AnalysisResult = analysed.result;
  let fixes = 0;
  let refusedSyntaxError = false;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const { edits, applied } = mergeFixes(text, safeFixes(result.findings));
    if (applied === 0) break;
    const next = applyEdits(text, edits.map((edit) => inNewlineStyle(edit, newline)));
    if (next === text) break;
    if (syntaxErrors(next) > allowedErrors) {
      refusedSyntaxError = true;
      break;
    }
    text = next;
    fixes += applied;
    result = engine.analyze(text, file, context);
  }
  if (text !== original) {
    try {
      await writeFile(file, bom + text);
    } catch (error) {
      return { file, error: `could not write the fixed file: ${messageOf(error)}` };
    }
  }
  return { ...outcomeOf(file, text, result), fixed: { fixes, refusedSyntaxError } };
}

/** Fixes write `\n`; a file with CRLF line ends keeps them. */
function inNewlineStyle(edit: TextEdit, newline: string): TextEdit {
  return newline === "\n" ? edit : { ...edit, newText: edit.newText.replace(/\r?\n/g, newline) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What `scan --fix` tells the user besides the report: how many fixes went where, and which files it left alone. */
export function fixSummary(outcomes: readonly FileOutcome[], show: (file: string) => string): string[] {
  const fixed = outcomes.flatMap((outcome) => ("result" in outcome && outcome.fixed ? [{ file: outcome.file, ...outcome.fixed }] : []));
  const fixes = fixed.reduce((sum, f) => sum + f.fixes, 0);
  const files = fixed.filter((f) => f.fixes > 0).length;
  const refused = fixed.filter((f) => f.refusedSyntaxError).map((f) => `${show(f.file)}: a fix was not applied because the result would not parse; the report shows what remains.`);
  return [`applied ${fixes} ${fixes === 1 ? "fix" : "fixes"} in ${files} ${files === 1 ? "file" : "files"}`, ...refused];
}
