import {
  Connection,
  Diagnostic,
  DiagnosticRelatedInformation,
  NotebookCellKind,
  NotebookDocument,
  NotebookDocuments,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { analyzeNotebookCells, findingsInCell, notebookProgramPath, type NotebookAnalysis, type NotebookCellText, type NotebookFinding } from "../engine/notebook";
import type { Engine } from "../engine/types";
import type { SettingsStore } from "../settings";
import { skipDiagnostic, toDiagnostic, uriToPath, type AnalysedDocument, type Diagnostics } from "./diagnostics";

/** What the language server declares: Jupyter notebooks, of which it is sent the Python cells. */
export const NOTEBOOK_SYNC = { notebookSelector: [{ notebook: "jupyter-notebook", cells: [{ language: "python" }] }] };

/** As for documents: long enough to coalesce a burst of keystrokes, short enough to feel immediate. */
const DEBOUNCE_MS = 10;

export interface Notebooks {
  /** What was last published for a notebook cell, by the cell's URI. */
  analysed(cellUri: string): AnalysedDocument | undefined;
}

/**
 * Notebooks are analysed whole: their Python cells form one program, re-analysed on any change to any cell,
 * and each cell gets the diagnostics that lie in it, with related information pointing into the other cells.
 */
export function registerNotebooks(connection: Connection, diagnostics: Diagnostics, settings: SettingsStore): Notebooks {
  const notebooks = new NotebookDocuments(TextDocument);
  const open = new Set<string>();
  const timers = new Map<string, NodeJS.Timeout>();
  const lastStarted = new Map<string, number>();
  // Bumped by every request to analyse a notebook; work started under an older generation is stale.
  const generations = new Map<string, number>();
  /** By notebook URI: the cells that have diagnostics, and where the engine keeps the notebook's program. */
  const published = new Map<string, { cells: string[]; engine?: Engine; programPath?: string }>();
  const analysedCells = new Map<string, AnalysedDocument>();

  /** Debounced on the leading edge, as documents are (see diagnostics.ts). */
  function schedule(uri: string): void {
    const generation = (generations.get(uri) ?? 0) + 1;
    generations.set(uri, generation);
    const pending = timers.get(uri);
    clearTimeout(pending);
    const quiet = pending === undefined && performance.now() - (lastStarted.get(uri) ?? -Infinity) >= DEBOUNCE_MS;
    const run = (): void => {
      timers.delete(uri);
      lastStarted.set(uri, performance.now());
      void analyse(uri, generation);
    };
    timers.set(uri, setTimeout(run, quiet ? 0 : DEBOUNCE_MS));
  }

  async function analyse(uri: string, generation: number): Promise<void> {
    const setup = await diagnostics.engineFor(uri);
    const notebook = notebooks.getNotebookDocument(uri);
    if (!setup || !notebook || generations.get(uri) !== generation) return;
    const cells = notebook.cells.map((cell) => ({ cell, document: notebooks.getCellTextDocument(cell) }));
    const texts = cells.map(({ cell, document }): NotebookCellText => ({
      text: document?.getText() ?? "",
      kind: cell.kind === NotebookCellKind.Code ? "code" : "markdown",
      ...(document ? { language: document.languageId } : {}),
    }));
    const notebookPath = uriToPath(uri);
    const analysis = setup.enabled ? analyzeNotebookCells(setup.engine, texts, notebookPath) : undefined;
    if (analysis) diagnostics.reportRuleFailures(uri, analysis.ruleFailures);

    const cellUris = cells.map(({ cell }) => cell.document);
    const noticeCell = texts.findIndex((text) => text.kind === "code");
    cells.forEach(({ cell, document }, index) => {
      const findings = analysis && !analysis.skipped ? findingsInCell(analysis, index) : [];
      if (setup.enabled) analysedCells.set(cell.document, { findings, engine: setup.engine, filePath: notebookPath });
      else analysedCells.delete(cell.document);
      void connection.sendDiagnostics({
        uri: cell.document,
        version: document?.version,
        diagnostics: cellDiagnostics(analysis, findings, cellUris, index === noticeCell),
      });
    });
    // Cells deleted since the last analysis lose their diagnostics.
    const previous = published.get(uri);
    for (const cellUri of previous?.cells ?? []) {
      if (cellUris.includes(cellUri)) continue;
      analysedCells.delete(cellUri);
      void connection.sendDiagnostics({ uri: cellUri, diagnostics: [] });
    }
    const kept = analysis ? { engine: setup.engine, programPath: notebookProgramPath(notebookPath) } : {};
    published.set(uri, { cells: cellUris, ...kept });
  }

  function close(notebook: NotebookDocument): void {
    const uri = notebook.uri;
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    lastStarted.delete(uri);
    generations.delete(uri);
    open.delete(uri);
    const last = published.get(uri);
    if (last?.engine && last.programPath) last.engine.forget(last.programPath);
    published.delete(uri);
    settings.forget(uri);
    const cellUris = new Set([...notebook.cells.map((cell) => cell.document), ...(last?.cells ?? [])]);
    for (const cellUri of cellUris) {
      analysedCells.delete(cellUri);
      void connection.sendDiagnostics({ uri: cellUri, diagnostics: [] });
    }
  }

  notebooks.onDidOpen((notebook) => {
    open.add(notebook.uri);
    schedule(notebook.uri);
  });
  notebooks.onDidChange(({ notebookDocument }) => schedule(notebookDocument.uri));
  notebooks.onDidClose(close);
  diagnostics.onReanalyseAll(() => open.forEach(schedule));
  notebooks.listen(connection);

  return { analysed: (cellUri) => analysedCells.get(cellUri) };
}

/** A notice for a notebook that is not analysed goes on its first code cell, where the user looks. */
function cellDiagnostics(
  analysis: NotebookAnalysis | undefined,
  findings: readonly NotebookFinding[],
  cellUris: readonly string[],
  carriesNotice: boolean,
): Diagnostic[] {
  if (analysis?.skipped) return carriesNotice ? [skipDiagnostic(analysis.skipped)] : [];
  return findings.map((finding) => {
    const relatedInformation = finding.path.map(
      (step): DiagnosticRelatedInformation => ({ location: { uri: cellUris[step.cell], range: step.range }, message: step.message }),
    );
    return { ...toDiagnostic(finding, cellUris[finding.cell]), relatedInformation: relatedInformation.length > 0 ? relatedInformation : undefined };
  });
}
