import Ajv from "ajv";
import addFormats from "ajv-formats";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { analyseFile, type FileOutcome } from "../../server/src/cli/analyseFile";
import { formatJson } from "../../server/src/cli/format/json";
import type { ScanReport } from "../../server/src/cli/format/report";
import { formatSarif } from "../../server/src/cli/format/sarif";
import { formatText } from "../../server/src/cli/format/text";
import { NotebookSourceMap } from "../../server/src/cli/notebookSource";
import { createEngine } from "../../server/src/engine/analyze";
import { LineIndex } from "../../server/src/engine/lines";
import type { Engine } from "../../server/src/engine/types";
import { readRepoFile, repoRoot } from "../helpers/repo";

const CELLS: Array<[kind: "code" | "markdown", source: string]> = [
  ["markdown", "# Greeter\nAsks for a name, then greets."],
  ["code", "%pip install openai\nfrom openai import OpenAI\nclient = OpenAI()"],
  ["code", 'name = input("Your name: ")'],
  ["code", 'reply = client.chat.completions.create(\n    model="gpt-4o",\n    messages=[{"role": "system", "content": f"Greet {name} \\"warmly\\"\\tñ."}],\n)'],
];

/** As Jupyter writes notebooks: one JSON string per source line, indented, non-ASCII as is. */
function ipynb(cells = CELLS, metadata: object = { kernelspec: { language: "python", name: "python3" } }): string {
  const asLines = (source: string): string[] => source.split(/(?<=\n)/);
  return `${JSON.stringify(
    {
      cells: cells.map(([kind, source]) => ({
        cell_type: kind,
        metadata: {},
        ...(kind === "code" ? { execution_count: null, outputs: [] } : {}),
        source: asLines(source),
      })),
      metadata,
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  )}\n`;
}

/** Checks that each character of each cell maps to the raw text that encodes it. */
function assertMapsEveryCharacter(raw: string): void {
  const map = new NotebookSourceMap(raw);
  const rawLines = new LineIndex(raw);
  const document = JSON.parse(raw) as { cells: Array<{ source: string | string[] }> };
  document.cells.forEach((cell, index) => {
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    source.split("\n").forEach((lineText, line) => {
      for (let character = 0; character < lineText.length; character++) {
        const at = map.position(index, { line, character });
        const rawText = rawLines.lineText(at.line).slice(at.character);
        const expected = JSON.stringify(lineText[character]).slice(1, -1);
        const encoded = rawText.startsWith("\\u") ? JSON.parse(`"${rawText.slice(0, 6)}"`) : rawText.startsWith("\\") ? JSON.parse(`"${rawText.slice(0, 2)}"`) : rawText[0];
        assert.equal(encoded, lineText[character], `cell ${index} ${line}:${character} maps to "${rawText.slice(0, 8)}", expected ${expected}`);
      }
    });
  });
}

describe("positions in the .ipynb file", () => {
  test("map each cell character to the JSON text that holds it, however the notebook was written", () => {
    const jupyter = ipynb();
    assertMapsEveryCharacter(jupyter);
    assertMapsEveryCharacter(JSON.stringify(JSON.parse(jupyter))); // one line, no indentation
    const oneString = JSON.parse(jupyter);
    for (const cell of oneString.cells) cell.source = cell.source.join("");
    assertMapsEveryCharacter(JSON.stringify(oneString, null, 2));
    const asciiOnly = jupyter.replace(/[^\x00-\x7f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
    assertMapsEveryCharacter(asciiOnly);
  });

  test("the end of a cell maps to the end of its last string, and an unknown cell to the file's start", () => {
    const raw = ipynb();
    const map = new NotebookSourceMap(raw);
    const end = map.position(2, { line: 0, character: CELLS[2][1].length });
    assert.equal(new LineIndex(raw).lineText(end.line).slice(end.character), '"');
    assert.deepEqual(map.position(9, { line: 0, character: 0 }), { line: 0, character: 0 });
  });

  test("outputs, metadata and nesting before the sources do not confuse the walk", () => {
    const document = JSON.parse(ipynb());
    document.metadata.widgets = { state: { a: [[["deep", { source: "not a cell" }]]], "key\"with\\escapes": "x" } };
    document.cells[1].outputs = [{ output_type: "stream", text: ["source\n", '{"cells": []}'] }];
    document.cells[1].metadata = { source: ["decoy"] };
    assertMapsEveryCharacter(JSON.stringify(document, null, 1));
  });
});

describe("scanning notebooks", () => {
  let engine: Engine;
  let directory: string;
  let notebook: string;
  let outcome: FileOutcome;
  const report = (outcomes: FileOutcome[]): ScanReport => ({ version: "1.0.0", cwd: directory, rules: engine.rules, outcomes });

  before(async () => {
    engine = await createEngine();
    directory = mkdtempSync(path.join(tmpdir(), "secure-ai-lint-notebook-"));
    notebook = path.join(directory, "greeter.ipynb");
    writeFileSync(notebook, ipynb());
    writeFileSync(path.join(directory, "analysis.ipynb"), ipynb([["code", "x <- 1"]], { kernelspec: { language: "R", name: "ir" } }));
    writeFileSync(path.join(directory, "broken.ipynb"), '{"cells": [');
    outcome = await analyseFile(engine, notebook, 1024 * 1024);
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  test("reports findings by cell, with the cell's own line text", () => {
    assert.ok("result" in outcome);
    assert.deepEqual(outcome.result.findings.map((finding) => finding.ruleId), ["untrusted-input-in-system-prompt"]);
    assert.deepEqual(outcome.notebookPlaces?.map((place) => [place.cell, place.path.map((step) => step.cell)]), [[3, [2, 2, 3]]]);
    assert.equal(outcome.findingLines[0], CELLS[3][1].split("\n")[2]);
    assert.equal(outcome.result.findings[0].range.start.line, 2);
  });

  test("text output names the cell and counts lines within it", () => {
    const text = formatText(report([outcome]), { color: false, quiet: true });
    const column = CELLS[3][1].split("\n")[2].indexOf('f"Greet') + 1;
    const sourceColumn = CELLS[2][1].indexOf("input(") + 1;
    assert.match(text, new RegExp(`^greeter\\.ipynb \\[cell 4\\] 3:${column}: error untrusted-input-in-system-prompt `, "m"));
    assert.match(text, new RegExp(`^    ↳ \\[cell 3\\] 1:${sourceColumn} untrusted input from input\\(\\)$`, "m"));
  });

  test("JSON output adds a one-based cell to the finding and its steps", () => {
    const [finding] = JSON.parse(formatJson(report([outcome]))).findings;
    assert.deepEqual(Object.keys(finding), ["ruleId", "severity", "message", "file", "cell", "range", "owasp", "cwe", "atlas", "path"]);
    assert.equal(finding.file, "greeter.ipynb");
    assert.equal(finding.cell, 4);
    assert.equal(finding.range.start.line, 3);
    assert.deepEqual(Object.keys(finding.path[0]), ["file", "cell", "line", "column", "endLine", "endColumn", "message"]);
    assert.deepEqual(finding.path.map((step: { cell: number }) => step.cell), [3, 3, 4]);
  });

  test("SARIF output points into the .ipynb file's own lines and names the cell", () => {
    const log = JSON.parse(formatSarif(report([outcome])));
    assert.equal(sarifValidator()(log), true);
    const [result] = log.runs[0].results;
    assert.deepEqual(result.properties, { cell: 4 });
    const raw = ipynb().split("\n");
    const region = result.locations[0].physicalLocation.region;
    assert.ok(raw[region.startLine - 1].slice(region.startColumn - 1).startsWith('f\\"Greet {name}'), raw[region.startLine - 1]);
    const source = result.codeFlows[0].threadFlows[0].locations[0].location.physicalLocation.region;
    assert.ok(raw[source.startLine - 1].slice(source.startColumn - 1).startsWith("input("), raw[source.startLine - 1]);
  });

  test("the command finds notebooks, analyses the Python ones and says why others are skipped", () => {
    const cli = path.join(repoRoot(), "dist", "cli.js");
    const { status, stdout } = spawnSync(process.execPath, [cli, "scan", ".", "--no-color"], { cwd: directory, encoding: "utf8" });
    assert.equal(status, 1, stdout);
    assert.match(stdout, /^greeter\.ipynb \[cell 4\] 3:\d+: error untrusted-input-in-system-prompt /m);
    assert.match(stdout, /^analysis\.ipynb: skipped: This notebook's kernel language is R; only Python notebooks are analysed\.$/m);
    assert.match(stdout, /^broken\.ipynb: skipped: This notebook is not valid JSON/m);
    assert.match(stdout, /1 finding .* in 1 file; 2 skipped/);
  });
});

/** The official SARIF 2.1.0 schema, as cli-format.test.ts reads it. */
function sarifValidator() {
  const { id, $schema: _draft04, ...schema } = JSON.parse(readRepoFile("test", "schemas", "sarif-schema-2.1.0.json"));
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile({ $id: id, ...schema });
}
