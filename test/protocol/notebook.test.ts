import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  Diagnostic,
  DidChangeNotebookDocumentNotification,
  DidCloseNotebookDocumentNotification,
  DidOpenNotebookDocumentNotification,
  HoverRequest,
  MarkupContent,
  MessageType,
  NotebookCellKind,
  Position,
} from "vscode-languageserver-protocol/node";
import { LspSession, startSession } from "./lspSession";

const NOTEBOOK_URI = "file:///project/greeter.ipynb";
const cellUri = (id: string): string => `vscode-notebook-cell:/project/greeter.ipynb#${id}`;
const SETUP = cellUri("setup");
const ASK = cellUri("ask");
const GREET = cellUri("greet");

const SETUP_TEXT = `%pip install openai
from openai import OpenAI
client = OpenAI()
`;
const ASK_TEXT = `name = input("Your name: ")
`;
const GREET_TEXT = `resp = client.chat.completions.create(
    model="gpt-4o",
    messages=[{"role": "system", "content": f"Greet {name}."}],
)
`;
const TIMEOUT = { timeout: 30_000 };

function positionOf(text: string, line: number, fragment: string): Position {
  const character = text.split("\n")[line].indexOf(fragment);
  assert.ok(character >= 0, `"${fragment}" is not on line ${line}`);
  return { line, character };
}

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => String(diagnostic.code)).sort();
}

describe("language server with a Jupyter notebook", () => {
  let session: LspSession;
  let notebookVersion = 1;

  before(async () => {
    session = await startSession({ settings: { enable: true, rules: {} } });
  }, TIMEOUT);
  after(() => session.kill());

  const changeNotebook = (change: object) =>
    session.connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: NOTEBOOK_URI, version: ++notebookVersion },
      change,
    });

  test("a flow across cells is reported on the cell it reaches, with its path in the other cells", TIMEOUT, async () => {
    const cells = [
      [SETUP, SETUP_TEXT],
      [ASK, ASK_TEXT],
      [GREET, GREET_TEXT],
    ];
    await session.connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
      notebookDocument: {
        uri: NOTEBOOK_URI,
        notebookType: "jupyter-notebook",
        version: notebookVersion,
        cells: cells.map(([document]) => ({ kind: NotebookCellKind.Code, document })),
      },
      cellTextDocuments: cells.map(([uri, text]) => ({ uri, languageId: "python", version: 1, text })),
    });

    const diagnostics = await session.diagnostics.forVersion(GREET, 1);
    assert.deepEqual(codes(diagnostics), ["untrusted-input-in-system-prompt"]);
    const [prompt] = diagnostics;
    assert.deepEqual(prompt.range.start, positionOf(GREET_TEXT, 2, 'f"Greet'));
    const related = prompt.relatedInformation ?? [];
    assert.ok(related.length >= 2, JSON.stringify(related));
    assert.equal(related[0].location.uri, ASK);
    assert.deepEqual(related[0].location.range.start, positionOf(ASK_TEXT, 0, "input("));
    assert.equal(related.at(-1)?.location.uri, GREET);
    assert.deepEqual(related.at(-1)?.location.range, prompt.range);

    assert.deepEqual(await session.diagnostics.forVersion(SETUP, 1), []);
    assert.deepEqual(await session.diagnostics.forVersion(ASK, 1), []);
  });

  test("hover on a cell's diagnostic shows the rule", TIMEOUT, async () => {
    const position = positionOf(GREET_TEXT, 2, "Greet {name}");
    const hover = await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri: GREET }, position });
    assert.ok(hover, "a hover over the system prompt");
    assert.match((hover.contents as MarkupContent).value, /untrusted-input-in-system-prompt/);
    const elsewhere = await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri: ASK }, position: { line: 0, character: 1 } });
    assert.equal(elsewhere, null);
  });

  test("editing a cell re-analyses the whole notebook", TIMEOUT, async () => {
    const republished = session.diagnostics.next(GREET);
    const line = { start: { line: 0, character: 7 }, end: { line: 0, character: ASK_TEXT.indexOf("\n") } };
    await changeNotebook({ cells: { textContent: [{ document: { uri: ASK, version: 2 }, changes: [{ range: line, text: '"Ada"' }] }] } });
    assert.deepEqual(await republished, [], "a constant name leaves nothing to report");

    const restored = session.diagnostics.next(GREET);
    const constant = { start: { line: 0, character: 7 }, end: { line: 0, character: 12 } };
    await changeNotebook({ cells: { textContent: [{ document: { uri: ASK, version: 3 }, changes: [{ range: constant, text: 'input("Your name: ")' }] }] } });
    assert.deepEqual(codes(await restored), ["untrusted-input-in-system-prompt"]);
  });

  test("removing a cell clears its diagnostics and re-analyses the rest", TIMEOUT, async () => {
    const greetCleared = session.diagnostics.next(GREET);
    const askCleared = session.diagnostics.next(ASK);
    await changeNotebook({
      cells: { structure: { array: { start: 1, deleteCount: 1 }, didClose: [{ uri: ASK }] } },
    });
    assert.deepEqual(await greetCleared, [], "without the input cell, nothing untrusted reaches the prompt");
    assert.deepEqual(await askCleared, []);
  });

  test("closing the notebook clears every cell's diagnostics", TIMEOUT, async () => {
    const restored = session.diagnostics.next(GREET);
    await changeNotebook({
      cells: {
        structure: {
          array: { start: 1, deleteCount: 0, cells: [{ kind: NotebookCellKind.Code, document: ASK }] },
          didOpen: [{ uri: ASK, languageId: "python", version: 4, text: ASK_TEXT }],
        },
      },
    });
    assert.equal((await restored).length, 1);

    const cleared = [SETUP, ASK, GREET].map((uri) => session.diagnostics.next(uri));
    await session.connection.sendNotification(DidCloseNotebookDocumentNotification.type, {
      notebookDocument: { uri: NOTEBOOK_URI },
      cellTextDocuments: [{ uri: SETUP }, { uri: ASK }, { uri: GREET }],
    });
    assert.deepEqual(await Promise.all(cleared), [[], [], []]);
  });

  test("the server logged no errors", () => {
    const errors = session.logs.filter((log) => log.type === MessageType.Error).map((log) => log.message);
    assert.deepEqual(errors, []);
  });
});
