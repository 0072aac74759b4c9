/**
 * Python source -> IR, using tree-sitter-python on web-tree-sitter (wasm, no native build).
 *
 * `initPython()` loads both wasm files once; `parsePython()` is synchronous afterwards and
 * never throws: whatever cannot be read is reported in `syntaxErrors` and the rest is lowered.
 * Node offsets from web-tree-sitter are already UTF-16 code units (it feeds the parser UTF-16),
 * which is what the IR uses, so no conversion is needed.
 */
import * as fs from "fs";
import * as path from "path";
import { Language, Parser, type Tree } from "web-tree-sitter";
import type { IRFile, Span } from "../ir";
import { PythonLowerer } from "./python-lower";
import { lowerModuleReusing, type StatementCache } from "./python-reuse";
import { materialize, NodeTypeTable } from "./python-tree";
import { pointAt, textChange } from "./reuse";

/**
 * A document's previous text and tree, kept between edits so tree-sitter re-parses only
 * what changed. The holder owns the tree: call `disposePythonReuse` when the document goes.
 */
export interface PythonReuse {
  text?: string;
  tree?: Tree;
  /**
   * How the top-level statements of the last version lowered statement by statement were
   * lowered, so those an edit leaves alone are not lowered again.
   */
  statements?: StatementCache;
}

export function disposePythonReuse(reuse: PythonReuse): void {
  releaseTree(reuse);
  reuse.statements = undefined;
}

function releaseTree(reuse: PythonReuse): void {
  reuse.tree?.delete();
  reuse.tree = undefined;
  reuse.text = undefined;
}

/** Tells the previous tree about the edit that turns `reuse.text` into `text`, so it can be reused. */
function editedPreviousTree(reuse: PythonReuse | undefined, text: string): Tree | undefined {
  if (!reuse?.tree || reuse.text === undefined) return undefined;
  const change = textChange(reuse.text, text);
  reuse.tree.edit({
    startIndex: change.start,
    oldEndIndex: change.oldEnd,
    newEndIndex: change.newEnd,
    startPosition: pointAt(text, change.start),
    oldEndPosition: pointAt(reuse.text, change.oldEnd),
    newEndPosition: pointAt(text, change.newEnd),
  });
  return reuse.tree;
}

const RUNTIME_WASM = "tree-sitter.wasm";
const PYTHON_WASM = "tree-sitter-python.wasm";

interface LoadedGrammar {
  parser: Parser;
  types: NodeTypeTable;
}

let loading: Promise<void> | undefined;
let grammar: LoadedGrammar | undefined;

export function initPython(): Promise<void> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(): Promise<void> {
  const runtimePath = locateWasm(RUNTIME_WASM, "web-tree-sitter");
  const pythonPath = locateWasm(PYTHON_WASM, "tree-sitter-python");
  await Parser.init({ locateFile: (name: string) => path.join(path.dirname(runtimePath), name) });
  const language = await Language.load(pythonPath);
  const parser = new Parser();
  parser.setLanguage(language);
  grammar = { parser, types: new NodeTypeTable(language) };
}

/**
 * The release copies the wasm files next to the bundle; tests and development resolve them
 * from node_modules (from the bundle's location, then from the working directory for bundles
 * written outside the project). SECURE_AI_LINT_WASM_DIR overrides all of these.
 */
function locateWasm(file: string, packageName: string): string {
  const candidates: string[] = [];
  const override = process.env.SECURE_AI_LINT_WASM_DIR;
  if (override) candidates.push(path.join(override, file));
  candidates.push(path.join(__dirname, file), path.join(__dirname, "..", file));
  for (const searchFrom of [__dirname, process.cwd()]) {
    for (const specifier of [`${packageName}/${file}`, `${packageName}/package.json`]) {
      try {
        const resolved = require.resolve(specifier, { paths: [searchFrom] });
        candidates.push(specifier.endsWith(file) ? resolved : path.join(path.dirname(resolved), file));
      } catch {
        // Not resolvable from here (or hidden by the package's exports); other candidates remain.
      }
    }
  }
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (found === undefined) throw new Error(`Cannot find ${file}. Looked in:\n  ${candidates.join("\n  ")}`);
  return found;
}

export function parsePython(text: string, reuse?: PythonReuse): IRFile {
  if (grammar === undefined) throw new Error("parsePython() called before initPython() finished");
  const wholeFile: Span = { start: 0, end: text.length };
  const lowerer = new PythonLowerer(text);
  const file: IRFile = {
    language: "python",
    module: { name: "<module>", params: [], body: [], decorators: [], isAsync: false, span: wholeFile, nameSpan: wholeFile },
    imports: lowerer.imports,
    syntaxErrors: [],
    comments: [],
  };
  let failures = lowerer.failures;
  try {
    const previous = editedPreviousTree(reuse, text);
    const tree = grammar.parser.parse(text, previous);
    if (reuse) releaseTree(reuse);
    if (tree === null) throw new Error("tree-sitter returned no tree");
    try {
      const parts = reuse && lowerModuleReusing(tree.rootNode, text, grammar.types, reuse.statements);
      if (reuse && parts) {
        file.module.body = parts.body;
        file.imports = parts.imports;
        file.comments = parts.comments;
        file.syntaxErrors = parts.syntaxErrors;
        failures = parts.failures;
        reuse.statements = parts.statements;
      } else {
        const { root, comments, syntaxErrors } = materialize(tree.rootNode, text, grammar.types);
        file.comments = comments;
        file.syntaxErrors = syntaxErrors;
        file.module = lowerer.lowerModule(root);
      }
    } finally {
      if (reuse) {
        reuse.tree = tree;
        reuse.text = text;
      } else tree.delete();
    }
  } catch {
    if (reuse) disposePythonReuse(reuse);
    // Out of wasm memory or an internal fault: report the file as unreadable rather than fail the caller.
    file.syntaxErrors.push(wholeFile);
  }
  if (failures.length > 0) {
    file.syntaxErrors = [...file.syntaxErrors, ...failures].sort((a, b) => a.start - b.start);
  }
  return file;
}
