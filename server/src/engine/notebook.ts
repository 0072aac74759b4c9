/**
 * Jupyter notebooks: the Python code cells are analysed as one program, in cell order, as the kernel runs
 * them, so a value defined in one cell and used in a later one is followed. Every position found in that
 * program is mapped back to a cell and a position within it. Pure, like the rest of the engine.
 */
import { prepareCell } from "./ipython";
import type { Engine, Finding, PathStep, Position, Range, RuleFailure, SkipNotice } from "./types";

export interface NotebookCellText {
  text: string;
  kind: "code" | "markdown";
  /** The cell's language when the notebook records one for it (VS Code does, for cells that differ from the kernel's). */
  language?: string;
}

export interface NotebookPathStep extends PathStep {
  /** Zero-based index of the cell the step is in, among the cells given. */
  cell: number;
}

export interface NotebookFinding extends Finding {
  /** Zero-based index of the cell the finding is in; `range` is within that cell. */
  cell: number;
  path: NotebookPathStep[];
}

export interface CellRange {
  cell: number;
  range: Range;
}

export interface NotebookAnalysis {
  /** Ordered by cell, then position. */
  findings: NotebookFinding[];
  /** Set when the notebook was not analysed; `findings` is then empty. */
  skipped?: SkipNotice;
  ruleFailures: RuleFailure[];
  syntaxErrors: CellRange[];
}

export interface ReadNotebook {
  cells: NotebookCellText[];
  /** The kernel's language, from the notebook's metadata, when it names one. */
  language?: string;
}

/** Where one cell's text sits in the program made of all the cells. */
interface Segment {
  cell: number;
  firstLine: number;
  lineCount: number;
  lastLineLength: number;
}

/** The path under which the engine analyses (and, in the language server, keeps) a notebook's program. */
export function notebookProgramPath(notebookPath: string): string {
  return `${notebookPath}.py`;
}

function isPythonLanguage(language: string): boolean {
  return /^i?python/i.test(language.trim());
}

/** Never throws: a notebook that cannot be read comes back as a notice saying why. */
export function readIpynb(text: string): ReadNotebook | { skipped: SkipNotice } {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? ` (${error.message})` : "";
    return notice(`This notebook is not valid JSON${detail}; it is not analysed.`);
  }
  if (!isRecord(document)) return notice("This notebook is not a JSON object; it is not analysed.");
  if (typeof document.nbformat === "number" && document.nbformat < 4) {
    return notice(`This notebook uses nbformat ${document.nbformat}; only nbformat 4 notebooks are analysed. Saving it from Jupyter upgrades it.`);
  }
  if (!Array.isArray(document.cells)) return notice("This notebook has no list of cells; it is not analysed.");
  const metadata = isRecord(document.metadata) ? document.metadata : {};
  const language = stringAt(metadata, "kernelspec", "language") ?? stringAt(metadata, "language_info", "name");
  const cells = document.cells.map((cell): NotebookCellText => {
    if (!isRecord(cell)) return { text: "", kind: "markdown" };
    const source = Array.isArray(cell.source) ? cell.source.filter((part) => typeof part === "string").join("") : cell.source;
    const cellLanguage = isRecord(cell.metadata) ? stringAt(cell.metadata, "vscode", "languageId") : undefined;
    return {
      text: typeof source === "string" ? source : "",
      kind: cell.cell_type === "code" ? "code" : "markdown",
      ...(cellLanguage === undefined ? {} : { language: cellLanguage }),
    };
  });
  return language === undefined ? { cells } : { cells, language };
}

/** Analyses a notebook read by `readIpynb`: its Python cells, or a notice when it could not be read or is not Python. */
export function analyzeNotebook(
  engine: Pick<Engine, "analyze">,
  notebook: ReturnType<typeof readIpynb>,
  notebookPath: string,
): NotebookAnalysis {
  if ("skipped" in notebook) return { findings: [], skipped: notebook.skipped, ruleFailures: [], syntaxErrors: [] };
  if (notebook.language !== undefined && !isPythonLanguage(notebook.language)) {
    const { skipped } = notice(`This notebook's kernel language is ${notebook.language}; only Python notebooks are analysed.`);
    return { findings: [], skipped, ruleFailures: [], syntaxErrors: [] };
  }
  return analyzeNotebookCells(engine, notebook.cells, notebookPath);
}

/**
 * Analyses the code cells as one program. Markdown cells and cells in another language are left out;
 * cells whose cell magic makes them something other than Python (`%%bash`) take part as comments only,
 * so a key written in them is still found.
 */
export function analyzeNotebookCells(
  engine: Pick<Engine, "analyze">,
  cells: readonly NotebookCellText[],
  notebookPath: string,
): NotebookAnalysis {
  const segments: Segment[] = [];
  const parts: string[] = [];
  let line = 0;
  cells.forEach((cell, index) => {
    if (cell.kind !== "code" || (cell.language !== undefined && !isPythonLanguage(cell.language))) return;
    const { python, closing } = prepareCell(cell.text);
    const lines = python.split("\n");
    segments.push({ cell: index, firstLine: line, lineCount: lines.length, lastLineLength: lines[lines.length - 1].replace(/\r$/, "").length });
    // The closing text goes on a line of its own, between cells, where no position of a cell can fall.
    const separator = closing === "" ? "\n" : `\n${closing}\n`;
    parts.push(python, separator);
    line += lines.length + (closing === "" ? 0 : 1);
  });
  if (segments.length === 0) return { findings: [], ruleFailures: [], syntaxErrors: [] };

  const result = engine.analyze(parts.join(""), notebookProgramPath(notebookPath));
  const locate = (range: Range): CellRange => toCell(segments, range);
  const findings = result.findings.map((finding): NotebookFinding => {
    const { cell, range } = locate(finding.range);
    const path = finding.path.map((step): NotebookPathStep => ({ ...step, ...locate(step.range) }));
    return { ...finding, cell, range, path };
  });
  findings.sort(
    (a, b) =>
      a.cell - b.cell ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      a.ruleId.localeCompare(b.ruleId),
  );
  return {
    findings,
    ...(result.skipped ? { skipped: result.skipped } : {}),
    ruleFailures: result.ruleFailures,
    syntaxErrors: result.syntaxErrors.map(locate),
  };
}

/** The findings that lie in one cell, in order. */
export function findingsInCell(analysis: NotebookAnalysis, cell: number): NotebookFinding[] {
  return analysis.findings.filter((finding) => finding.cell === cell);
}

/** A range of the program as a range of the cell it starts in; a range running on into the next cell stops at the end of its own. */
function toCell(segments: readonly Segment[], range: Range): CellRange {
  const segment = segmentAt(segments, range.start.line);
  const start = withinSegment(segment, range.start);
  const endsInside = range.end.line < segment.firstLine + segment.lineCount;
  const end = endsInside ? withinSegment(segment, range.end) : endOf(segment);
  return { cell: segment.cell, range: { start, end } };
}

function segmentAt(segments: readonly Segment[], line: number): Segment {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid].firstLine <= line) lo = mid;
    else hi = mid - 1;
  }
  return segments[lo];
}

/** Positions on the closing line after a cell belong to the end of that cell. */
function withinSegment(segment: Segment, position: Position): Position {
  const line = position.line - segment.firstLine;
  return line < segment.lineCount ? { line, character: position.character } : endOf(segment);
}

function endOf(segment: Segment): Position {
  return { line: segment.lineCount - 1, character: segment.lastLineLength };
}

function notice(message: string): { skipped: SkipNotice } {
  return { skipped: { reason: "unsupported", message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringAt(record: Record<string, unknown>, key: string, field: string): string | undefined {
  const inner = record[key];
  const value = isRecord(inner) ? inner[field] : undefined;
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
