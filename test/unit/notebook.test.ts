import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { createEngine } from "../../server/src/engine/analyze";
import { prepareCell } from "../../server/src/engine/ipython";
import {
  analyzeNotebook,
  analyzeNotebookCells,
  findingsInCell,
  notebookProgramPath,
  readIpynb,
  type NotebookCellText,
} from "../../server/src/engine/notebook";
import type { Engine, Position } from "../../server/src/engine/types";

const code = (text: string): NotebookCellText => ({ kind: "code", text });
const markdown = (text: string): NotebookCellText => ({ kind: "markdown", text });

const SETUP = `from openai import OpenAI
client = OpenAI()
`;
const READ_NAME = `name = input("Your name: ")
`;
const CHAT = `resp = client.chat.completions.create(
    model="gpt-4o",
    messages=[{"role": "system", "content": f"Greet {name}."}],
)
answer = resp.choices[0].message.content
`;

/** Where `fragment` starts on a zero-based line of `text`. */
function at(text: string, line: number, fragment: string): Position {
  const character = text.split("\n")[line].indexOf(fragment);
  assert.ok(character >= 0, `"${fragment}" is not on line ${line} of ${JSON.stringify(text)}`);
  return { line, character };
}

function notebookJson(cells: Array<{ cell_type: string; source: string | string[]; metadata?: object }>, metadata: object = {}): string {
  return JSON.stringify({ cells: cells.map((cell) => ({ metadata: {}, ...cell })), metadata, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

describe("notebook analysis", () => {
  test("follows a value from one cell into a later one and places the finding and each step in its cell", () => {
    const cells = [markdown("# Greeter\n"), code(SETUP), code(READ_NAME), markdown("Then ask the model."), code(CHAT)];
    const analysis = analyzeNotebookCells(engine, cells, "/work/greeter.ipynb");
    assert.equal(analysis.skipped, undefined);
    assert.deepEqual(analysis.syntaxErrors, []);
    const [finding, ...others] = analysis.findings;
    assert.deepEqual(others, [], JSON.stringify(analysis.findings, null, 1));
    assert.equal(finding.ruleId, "untrusted-input-in-system-prompt");
    assert.equal(finding.cell, 4);
    assert.deepEqual(finding.range.start, at(CHAT, 2, 'f"Greet'));
    assert.deepEqual(finding.range.end, { line: 2, character: at(CHAT, 2, 'f"Greet').character + 'f"Greet {name}."'.length });

    const source = finding.path[0];
    assert.equal(source.cell, 2);
    assert.deepEqual(source.range.start, at(READ_NAME, 0, "input("));
    assert.deepEqual(
      finding.path.map((step) => step.cell),
      [2, 2, 4],
      JSON.stringify(finding.path),
    );
    assert.deepEqual(finding.path.at(-1)?.range, finding.range);
    assert.deepEqual(findingsInCell(analysis, 4), [finding]);
    assert.deepEqual(findingsInCell(analysis, 2), []);
  });

  test("the same code in one Python file gives the same finding", () => {
    const file = engine.analyze(SETUP + READ_NAME + CHAT, "/work/greeter.py");
    const notebook = analyzeNotebookCells(engine, [code(SETUP), code(READ_NAME), code(CHAT)], "/work/greeter.ipynb");
    assert.deepEqual(
      notebook.findings.map((finding) => [finding.ruleId, finding.message, finding.path.map((step) => step.message)]),
      file.findings.map((finding) => [finding.ruleId, finding.message, finding.path.map((step) => step.message)]),
    );
  });

  test("IPython magics, shell escapes and help queries neither break parsing nor move positions", () => {
    const setup = `%pip install openai
!echo "unbalanced (
from openai import OpenAI
client = OpenAI()
client?
??OpenAI
files = !ls -la
`;
    const chat = `%%time
if True:
    !echo "inside a block"
    resp = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    %env OTHER=1
result = eval(resp.choices[0].message.content)
`;
    const analysis = analyzeNotebookCells(engine, [code(setup), code(chat)], "/work/magic.ipynb");
    assert.deepEqual(analysis.syntaxErrors, []);
    const evaluated = analysis.findings.find((finding) => finding.ruleId === "llm-output-to-eval");
    assert.ok(evaluated, JSON.stringify(analysis.findings, null, 1));
    assert.equal(evaluated.cell, 1);
    assert.deepEqual(evaluated.range.start, at(chat, 5, "resp.choices"));
    assert.deepEqual(evaluated.path[0].range.start, at(chat, 3, "client.chat"));
  });

  test("cells whose cell magic is not Python take no part, but a key written in them is still found", () => {
    const key = ["sk-proj-", "Zt4Qw8Er2Ty6Ui0Op3As7Df1Gh5Jk9Lz2Xc6Vb0Nm4Qa8Ws"].join("");
    const cells = [
      code(SETUP),
      code(`%%writefile tool.py\nanswer = client.chat.completions.create(model="m", messages=[]).choices[0].message.content\neval(answer)\n`),
      code(`%%bash\nexport OPENAI_API_KEY=${key}\n`),
    ];
    const analysis = analyzeNotebookCells(engine, cells, "/work/cells.ipynb");
    assert.deepEqual(
      analysis.findings.map((finding) => [finding.ruleId, finding.cell, finding.range.start]),
      [["hardcoded-llm-api-key", 2, at(cells[2].text, 1, "sk-proj-")]],
    );
  });

  test("a cell left with an open bracket or string does not swallow the cells after it", () => {
    for (const broken of ["print(client", 'note = """unfinished']) {
      const analysis = analyzeNotebookCells(engine, [code(SETUP), code(broken), code(READ_NAME), code(CHAT)], "/work/typing.ipynb");
      assert.deepEqual(
        analysis.findings.map((finding) => [finding.ruleId, finding.cell]),
        [["untrusted-input-in-system-prompt", 3]],
        broken,
      );
      for (const { cell, range } of analysis.syntaxErrors) {
        assert.ok(range.start.line <= range.end.line, `a syntax error in cell ${cell} has an ordered range`);
      }
    }
  });

  test("code cells in another language are left out; notebooks without Python code give nothing", () => {
    const sql: NotebookCellText = { kind: "code", text: "SELECT eval(answer) FROM t", language: "sql" };
    assert.deepEqual(analyzeNotebookCells(engine, [sql, markdown("# only notes")], "/work/x.ipynb"), {
      findings: [],
      ruleFailures: [],
      syntaxErrors: [],
    });
  });

  test("the program is analysed under its own path, which the language server releases on close", () => {
    assert.equal(notebookProgramPath("/work/a.ipynb"), "/work/a.ipynb.py");
    const seen: string[] = [];
    analyzeNotebookCells(
      {
        analyze: (text, filePath) => {
          seen.push(filePath);
          return { findings: [], ruleFailures: [], syntaxErrors: [] };
        },
      },
      [code("x = 1")],
      "/work/a.ipynb",
    );
    assert.deepEqual(seen, ["/work/a.ipynb.py"]);
  });
});

describe("IPython rewriting", () => {
  const rewritten = (text: string): string => prepareCell(text).python;

  test("keeps every line's length", () => {
    const text = "%matplotlib inline\n!pip install x \\\n   --upgrade\nx = %pwd\ny?\n\r\n%%time\nz = 1\r\n";
    const before = text.split("\n").map((line) => line.length);
    assert.deepEqual(rewritten(text).split("\n").map((line) => line.length), before);
  });

  test("turns magics into a no-op followed by a comment", () => {
    assert.equal(rewritten("%pip install openai"), "...# install openai");
    assert.equal(rewritten("    !ls"), "    0#s");
    assert.equal(rewritten("files = !ls -la"), "files = ...#-la");
    assert.equal(rewritten("client.chat?"), "...#nt.chat?");
    assert.equal(rewritten("!pip install \\\n    openai"), "...# install \\\n    #penai");
    assert.equal(rewritten("%%capture\nx = 1"), "...#pture\nx = 1");
  });

  test("leaves Python alone where a statement cannot start", () => {
    for (const text of ['x = ("a %s"\n     % b)', 's = """\n!not a shell escape\n"""', "y = 1 + \\\n    2", "a = b % c", "a != b"]) {
      assert.equal(rewritten(text), text);
    }
  });

  test("says how to close what a cell leaves open", () => {
    assert.equal(prepareCell("f(a, [b").closing, "])");
    assert.equal(prepareCell('x = """doc').closing, '"""');
    assert.equal(prepareCell("x = {'a': (1,").closing, ")}");
    assert.equal(prepareCell("x = 1  # (").closing, "");
  });
});

describe("reading .ipynb files", () => {
  test("reads nbformat 4 cells with sources as lists or strings", () => {
    const read = readIpynb(
      notebookJson(
        [
          { cell_type: "markdown", source: ["# Title\n", "text"] },
          { cell_type: "code", source: "x = 1\ny = 2" },
          { cell_type: "code", source: ["%%sql\n", "SELECT 1"], metadata: { vscode: { languageId: "sql" } } },
          { cell_type: "raw", source: "raw" },
        ],
        { kernelspec: { language: "python", name: "python3" } },
      ),
    );
    assert.deepEqual(read, {
      cells: [
        { kind: "markdown", text: "# Title\ntext" },
        { kind: "code", text: "x = 1\ny = 2" },
        { kind: "code", text: "%%sql\nSELECT 1", language: "sql" },
        { kind: "markdown", text: "raw" },
      ],
      language: "python",
    });
  });

  test("a notebook for another kernel gets a notice naming its language", () => {
    const r = notebookJson([{ cell_type: "code", source: "x <- eval(parse(text = answer))" }], { language_info: { name: "R" } });
    const analysis = analyzeNotebook(engine, readIpynb(r), "/work/r.ipynb");
    assert.equal(analysis.skipped?.reason, "unsupported");
    assert.match(analysis.skipped?.message ?? "", /kernel language is R; only Python notebooks/);
    assert.deepEqual(analysis.findings, []);
  });

  test("malformed notebooks get a notice, never an exception", () => {
    const cases: Array<[string, RegExp]> = [
      ['{"cells": [', /not valid JSON/],
      ["[1, 2]", /not a JSON object/],
      ['{"nbformat": 3, "worksheets": []}', /nbformat 3/],
      ['{"nbformat": 4, "cells": "none"}', /no list of cells/],
      ["", /not valid JSON/],
    ];
    for (const [text, message] of cases) {
      const analysis = analyzeNotebook(engine, readIpynb(text), "/work/bad.ipynb");
      assert.match(analysis.skipped?.message ?? "", message, text);
    }
  });

  test("cells of the wrong shape are read as empty, keeping the numbering of the rest", () => {
    const read = readIpynb('{"nbformat": 4, "cells": [null, {"cell_type": "code", "source": 7}, {"cell_type": "code", "source": ["a", 1, "b"]}]}');
    assert.deepEqual(read, {
      cells: [
        { kind: "markdown", text: "" },
        { kind: "code", text: "" },
        { kind: "code", text: "ab" },
      ],
    });
  });
});
