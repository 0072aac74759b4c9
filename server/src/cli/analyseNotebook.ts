/** A Jupyter notebook scanned from disk: its findings in cell terms, and where they are in the .ipynb file. */
import { LineIndex } from "../engine/lines";
import { analyzeNotebook, readIpynb, type NotebookAnalysis } from "../engine/notebook";
import type { AnalysisResult, Engine, Finding, Range } from "../engine/types";
import type { FileOutcome } from "./analyseFile";
import { fingerprintText } from "./fingerprint";
import { NotebookSourceMap } from "./notebookSource";

/** Where one finding of a notebook lies. */
export interface NotebookPlace {
  /** Zero-based index of the cell among all the notebook's cells; the finding's range is within it. */
  cell: number;
  /** The same range in the .ipynb file, as code-scanning services show the notebook. */
  fileRange: Range;
  /** The cell and file range of each step of the finding's path, in order. */
  path: Array<{ cell: number; fileRange: Range }>;
}

/**
 * Outputs (plots, tables) make a notebook many times larger than its code, and the code is held to the size
 * limit by the engine; this only keeps absurdly large files from being read at all.
 */
export const NOTEBOOK_SIZE_ALLOWANCE = 16;

export function analyseNotebookText(engine: Pick<Engine, "analyze">, file: string, text: string): FileOutcome {
  const notebook = readIpynb(text);
  const analysis = analyzeNotebook(engine, notebook, file);
  const result: AnalysisResult = {
    findings: analysis.findings.map(withoutCells),
    ruleFailures: analysis.ruleFailures,
    // Syntax errors are not part of any report; a cell range without its cell would mislead.
    syntaxErrors: [],
    ...(analysis.skipped ? { skipped: analysis.skipped } : {}),
  };
  if (analysis.findings.length === 0 || "skipped" in notebook) return { file, result, findingLines: [] };
  const cellLines = new Map<number, LineIndex>();
  const linesOf = (cell: number): LineIndex => {
    let lines = cellLines.get(cell);
    if (!lines) cellLines.set(cell, (lines = new LineIndex(notebook.cells[cell]?.text ?? "")));
    return lines;
  };
  return {
    file,
    result,
    findingLines: analysis.findings.map((finding) => linesOf(finding.cell).lineText(finding.range.start.line)),
    fingerprintTexts: analysis.findings.map((finding) => fingerprintText(linesOf(finding.cell), withoutCells(finding), linesOf(finding.path[0]?.cell ?? finding.cell))),
    notebookPlaces: places(analysis, new NotebookSourceMap(text)),
  };
}

function places(analysis: NotebookAnalysis, source: NotebookSourceMap): NotebookPlace[] {
  return analysis.findings.map((finding) => ({
    cell: finding.cell,
    fileRange: source.range(finding.cell, finding.range),
    path: finding.path.map((step) => ({ cell: step.cell, fileRange: source.range(step.cell, step.range) })),
  }));
}

/** The public finding shape: the cells travel beside it, in `notebookPlaces`. */
function withoutCells({ cell: _cell, path, ...finding }: NotebookAnalysis["findings"][number]): Finding {
  return { ...finding, path: path.map(({ cell: _stepCell, ...step }) => step) };
}
