/**
 * JavaScript / TypeScript / JSX / TSX -> IR, with the TypeScript compiler's parser.
 *
 * Only the syntax tree is used (no program, no checker), so a file parses in isolation
 * and nothing in the workspace is ever resolved or executed. Type-only syntax produces
 * no IR; JSX elements become calls of `jsx:<tag>` so props flow like call arguments.
 */
import * as ts from "typescript";
import type { FunctionDef, IRFile, Language, Span } from "../ir";
import { JavaScriptLowerer } from "./js-statements";
import { textChange } from "./reuse";

/** A document's previous syntax tree, kept between edits so the TypeScript parser re-parses only what changed. */
export interface JavaScriptReuse {
  sourceFile?: ts.SourceFile;
}

function parse(fileName: string, text: string, scriptKind: ts.ScriptKind, reuse: JavaScriptReuse | undefined): ts.SourceFile {
  const previous = reuse?.sourceFile;
  if (previous && previous.fileName === fileName) {
    const change = textChange(previous.text, text);
    const range = { span: { start: change.start, length: change.oldEnd - change.start }, newLength: change.newEnd - change.start };
    return ts.updateSourceFile(previous, text, range);
  }
  // JSDoc is only needed for type checking; skipping it makes parsing about 30% faster.
  const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
  return ts.createSourceFile(fileName, text, options, false, scriptKind);
}

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  ".ts": ts.ScriptKind.TS,
  ".mts": ts.ScriptKind.TS,
  ".cts": ts.ScriptKind.TS,
  ".tsx": ts.ScriptKind.TSX,
  ".js": ts.ScriptKind.JS,
  ".mjs": ts.ScriptKind.JS,
  ".cjs": ts.ScriptKind.JS,
  ".jsx": ts.ScriptKind.JSX,
};

const TYPESCRIPT_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx"]);

export function parseJavaScript(text: string, fileName: string, reuse?: JavaScriptReuse): IRFile {
  const dot = fileName.lastIndexOf(".");
  const extension = dot < 0 ? "" : fileName.slice(dot).toLowerCase();
  // Unknown extensions get the most permissive grammar: types and JSX both parse.
  const scriptKind = SCRIPT_KINDS[extension] ?? ts.ScriptKind.TSX;
  const language: Language = TYPESCRIPT_EXTENSIONS.has(extension) ? "typescript" : "javascript";
  const wholeFile: Span = { start: 0, end: text.length };
  const module: FunctionDef = { name: "<module>", params: [], body: [], decorators: [], isAsync: false, span: wholeFile, nameSpan: { start: 0, end: 0 } };
  const file: IRFile = { language, module, imports: [], syntaxErrors: [], comments: [] };
  let sourceFile: ts.SourceFile;
  try {
    sourceFile = parse(fileName, text, scriptKind, reuse);
    if (reuse) reuse.sourceFile = sourceFile;
  } catch {
    // The parser recurses without a depth limit and overflows the stack on pathological nesting.
    if (reuse) reuse.sourceFile = undefined;
    file.syntaxErrors.push({ start: 0, end: text.length });
    return file;
  }
  for (const d of (sourceFile as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] }).parseDiagnostics) {
    file.syntaxErrors.push({ start: d.start, end: d.start + d.length });
  }
  try {
    new JavaScriptLowerer(sourceFile, file).lowerModule();
  } catch {
    file.syntaxErrors.push({ start: 0, end: text.length });
  }
  file.comments.sort((a, b) => a.span.start - b.span.start);
  return file;
}
