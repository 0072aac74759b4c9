/** Inline suppressions: what they cover, what they need (a rule and a reason), and what is reported about them. */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { createEngine } from "../../server/src/engine/analyze";
import { applyEdits } from "../../server/src/engine/fixes/apply";
import { analyzeNotebookCells } from "../../server/src/engine/notebook";
import { REASON_PLACEHOLDER, suppressionInsertion } from "../../server/src/engine/suppressions";
import type { Engine, Finding } from "../../server/src/engine/types";

const PY_HEAD = `from openai import OpenAI

client = OpenAI()

def run(question):
    reply = client.responses.create(model="gpt-4o", input=question).output_text
`;
const JS_HEAD = `import OpenAI from "openai";
const client = new OpenAI();
export async function run(question: string) {
  const reply = (await client.responses.create({ model: "gpt-4o", input: question })).output_text;
`;
const EVAL = "llm-output-to-eval";
const INVALID = "invalid-suppression";

let engine: Engine;
before(async () => {
  engine = await createEngine();
});

function findings(text: string, file: string, e: Engine = engine): Finding[] {
  const result = e.analyze(text, file);
  assert.deepEqual(result.ruleFailures, []);
  return result.findings;
}

/** `rule@line` (one-based) of every finding, in order. */
function summary(text: string, file: string, e: Engine = engine): string[] {
  return findings(text, file, e).map((f) => `${f.ruleId}@${f.range.start.line + 1}`);
}

const py = (body: string) => `${PY_HEAD}${body}`;
const js = (body: string) => `${JS_HEAD}${body}}\n`;

describe("Python suppressions", () => {
  test("without a suppression, the finding is reported", () => {
    assert.deepEqual(summary(py("    return eval(reply)\n"), "/p/a.py"), [`${EVAL}@7`]);
  });

  test("a trailing suppression with a reason covers its own line", () => {
    assert.deepEqual(summary(py(`    return eval(reply)  # secure-ai-lint: ignore[${EVAL}] -- sandboxed grader\n`), "/p/a.py"), []);
  });

  test("a lone suppression covers the next line only", () => {
    assert.deepEqual(summary(py(`    # secure-ai-lint: ignore[${EVAL}] -- sandboxed grader\n    return eval(reply)\n`), "/p/a.py"), []);
    const gap = py(`    # secure-ai-lint: ignore[${EVAL}] -- sandboxed grader\n    x = 1\n    return eval(reply)\n`);
    assert.deepEqual(summary(gap, "/p/a.py"), [`${INVALID}@7`, `${EVAL}@9`]);
  });

  test("a suppression without a reason, or with the placeholder, suppresses nothing and is reported", () => {
    for (const tail of ["", " --", " --   ", ` -- ${REASON_PLACEHOLDER}`, " because"]) {
      const text = py(`    return eval(reply)  # secure-ai-lint: ignore[${EVAL}]${tail}\n`);
      const reported = findings(text, "/p/a.py");
      assert.deepEqual(reported.map((f) => f.ruleId).sort(), [INVALID, EVAL], JSON.stringify(tail));
      assert.match(reported.find((f) => f.ruleId === INVALID)!.message, /gives no reason/);
    }
  });

  test("a suppression that covers no finding is reported, with a safe fix that removes it", () => {
    const text = py(`    return reply.strip()  # secure-ai-lint: ignore[${EVAL}] -- was eval once\n`);
    const [unused] = findings(text, "/p/a.py");
    assert.equal(unused.ruleId, INVALID);
    assert.match(unused.message, /Unused suppression/);
    assert.equal(unused.severity, "warning");
    const fix = unused.fixes?.[0];
    assert.ok(fix?.safe);
    assert.equal(applyEdits(text, fix.edits), py("    return reply.strip()\n"));
  });

  test("an unknown rule id is reported and suppresses nothing", () => {
    const text = py(`    # secure-ai-lint: ignore[llm-output-to-evil] -- sandboxed\n    return eval(reply)\n`);
    const reported = findings(text, "/p/a.py");
    assert.deepEqual(reported.map((f) => `${f.ruleId}@${f.range.start.line + 1}`), [`${INVALID}@7`, `${EVAL}@8`]);
    assert.match(reported[0].message, /`llm-output-to-evil` is not a Secure AI Lint rule/);
    assert.equal(reported[0].range.start.character, "    # secure-ai-lint: ignore[".length);
  });

  test("several ids: each used one suppresses its rule, an unused one is reported and can be removed alone", () => {
    const shell = "import subprocess\n";
    const both = `${shell}${py(`    return subprocess.run(reply, shell=True) or eval(reply)  # secure-ai-lint: ignore[${EVAL}, llm-output-to-shell] -- throwaway VM\n`)}`;
    assert.deepEqual(summary(both, "/p/a.py"), []);
    const one = `${shell}${py(`    return eval(reply)  # secure-ai-lint: ignore[${EVAL}, llm-output-to-shell] -- throwaway VM\n`)}`;
    const [unused] = findings(one, "/p/a.py");
    assert.equal(unused.ruleId, INVALID);
    assert.match(unused.message, /Remove `llm-output-to-shell` from the list/);
    assert.match(applyEdits(one, unused.fixes![0].edits), new RegExp(`eval\\(reply\\)  # secure-ai-lint: ignore\\[${EVAL}\\] -- throwaway VM\\n`));
  });

  test("lone suppressions stack above one line", () => {
    const text = `import subprocess\n${py(
      `    # secure-ai-lint: ignore[${EVAL}] -- VM\n    # secure-ai-lint: ignore[llm-output-to-shell] -- VM\n    return subprocess.run(reply, shell=True) or eval(reply)\n`,
    )}`;
    assert.deepEqual(summary(text, "/p/a.py"), []);
  });

  test("a suppression of a rule that did not run is not reported as unused", async () => {
    const text = py(`    # secure-ai-lint: ignore[llm-call-without-token-cap, ${EVAL}] -- batch job\n    return eval(reply)\n`);
    assert.deepEqual(summary(text, "/p/a.py"), [], "the audit rule is off by default");
    const off = await createEngine({ ruleSeverities: { [EVAL]: "off" } });
    assert.deepEqual(summary(py(`    return eval(reply)  # secure-ai-lint: ignore[${EVAL}] -- sandboxed\n`), "/p/a.py", off), []);
  });

  test("turning invalid-suppression off keeps suppressions working and stops the reports", async () => {
    const quiet = await createEngine({ ruleSeverities: { [INVALID]: "off" } });
    const text = py(`    return eval(reply)  # secure-ai-lint: ignore[${EVAL}]\n    # secure-ai-lint: ignore[${EVAL}] -- ok\n    eval(reply)\n`);
    assert.deepEqual(summary(text, "/p/a.py", quiet), [`${EVAL}@7`]);
  });

  test("a file analysed only for keys is read for suppressions too", () => {
    const key = `GROQ_API_KEY = "gsk_FAKEKEY0123456789abcdefFAKEKEY0123456789abcdefFAKEKE"`;
    assert.deepEqual(summary(`${key}\n`, "/p/keys.py"), ["hardcoded-llm-api-key@1"]);
    assert.deepEqual(summary(`${key}  # secure-ai-lint: ignore[hardcoded-llm-api-key] -- revoked test key\n`, "/p/keys.py"), []);
  });

  test("a suppression in a notebook cell covers the finding in that cell", () => {
    const cells = [
      { kind: "code" as const, text: "from openai import OpenAI\nclient = OpenAI()\n" },
      { kind: "code" as const, text: `reply = client.responses.create(model="gpt-4o", input="2+2").output_text\n# secure-ai-lint: ignore[${EVAL}] -- demo notebook, never deployed\nprint(eval(reply))\n` },
    ];
    assert.deepEqual(analyzeNotebookCells(engine, cells, "/p/demo.ipynb").findings, []);
    cells[1].text = cells[1].text.replace(" -- demo notebook, never deployed", "");
    assert.deepEqual(analyzeNotebookCells(engine, cells, "/p/demo.ipynb").findings.map((f) => [f.ruleId, f.cell, f.range.start.line]).sort(), [
      [INVALID, 1, 1],
      [EVAL, 1, 2],
    ]);
  });
});

describe("JavaScript and TypeScript suppressions", () => {
  test("line and block comments, trailing and above", () => {
    assert.deepEqual(summary(js("  return eval(reply);\n"), "/p/a.ts"), [`${EVAL}@5`]);
    assert.deepEqual(summary(js(`  return eval(reply); // secure-ai-lint: ignore[${EVAL}] -- sandboxed worker\n`), "/p/a.ts"), []);
    assert.deepEqual(summary(js(`  // secure-ai-lint: ignore[${EVAL}] -- sandboxed worker\n  return eval(reply);\n`), "/p/a.ts"), []);
    assert.deepEqual(summary(js(`  /* secure-ai-lint: ignore[${EVAL}] -- sandboxed\n     worker */\n  return eval(reply);\n`), "/p/a.ts"), []);
    assert.deepEqual(summary(js(`  return eval(reply) /* secure-ai-lint: ignore[${EVAL}] -- sandboxed */;\n`), "/p/a.ts"), []);
  });

  test("reason required, unknown ids and unused suppressions are reported", () => {
    assert.deepEqual(summary(js(`  return eval(reply); // secure-ai-lint: ignore[${EVAL}]\n`), "/p/a.ts"), [`${EVAL}@5`, `${INVALID}@5`]);
    assert.deepEqual(summary(js(`  return eval(reply); // secure-ai-lint: ignore[eval] -- sandboxed\n`), "/p/a.js"), [`${EVAL}@5`, `${INVALID}@5`]);
    assert.deepEqual(summary(js(`  return reply; // secure-ai-lint: ignore[${EVAL}] -- sandboxed\n`), "/p/a.js"), [`${INVALID}@5`]);
  });

  test("JSX: a {/* … */} suppression above an element covers it", () => {
    const page = `import OpenAI from "openai";
const client = new OpenAI();
export async function Answer({ question }: { question: string }) {
  const html = (await client.responses.create({ model: "gpt-4o", input: question })).output_text;
  return (
    <section>
      {/* secure-ai-lint: ignore[llm-output-to-html] -- rendered in the sandboxed preview iframe */}
      <div dangerouslySetInnerHTML={{ __html: html }} />
    </section>
  );
}
`;
    assert.deepEqual(summary(page.replace(/ {6}\{\/\*.*\*\/\}\n/, ""), "/p/answer.tsx"), ["llm-output-to-html@7"]);
    assert.deepEqual(summary(page, "/p/answer.tsx"), []);
    const unused = page.replace("<div dangerouslySetInnerHTML={{ __html: html }} />", "<div>{html}</div>");
    const [problem] = findings(unused, "/p/answer.tsx");
    assert.equal(problem.ruleId, INVALID);
    assert.equal(applyEdits(unused, problem.fixes![0].edits), unused.replace(/ {6}\{\/\*.*\*\/\}\n/, ""));
  });
});

describe("where the editor puts a new suppression", () => {
  const typed = (text: string, file: string, line: number, ruleId: string, reason: string): string => {
    const place = suppressionInsertion(text, file, line, ruleId);
    assert.ok(place, "a place for the suppression");
    return text.slice(0, place.offset) + place.before + reason + place.after + text.slice(place.offset);
  };

  test("on the line above, indented like it; a placeholder reason is no reason, a typed one is", () => {
    const text = py("    return eval(reply)\n");
    const placeholder = typed(text, "/p/a.py", 6, EVAL, REASON_PLACEHOLDER);
    assert.match(placeholder, /\n {4}# secure-ai-lint: ignore\[llm-output-to-eval\] -- <reason>\n {4}return eval\(reply\)\n$/);
    assert.deepEqual(summary(placeholder, "/p/a.py"), [`${INVALID}@7`, `${EVAL}@8`]);
    assert.deepEqual(summary(typed(text, "/p/a.py", 6, EVAL, "sandboxed grader"), "/p/a.py"), []);
  });

  test("JSX children get a {/* … */} comment; other JS a line comment", () => {
    const page = `import OpenAI from "openai";
const client = new OpenAI();
export async function Answer({ question }: { question: string }) {
  const html = (await client.responses.create({ model: "gpt-4o", input: question })).output_text;
  return (
    <section>
      <div dangerouslySetInnerHTML={{ __html: html }} />
    </section>
  );
}
`;
    const fixed = typed(page, "/p/answer.tsx", 6, "llm-output-to-html", "sandboxed preview");
    assert.match(fixed, /\n {6}\{\/\* secure-ai-lint: ignore\[llm-output-to-html\] -- sandboxed preview \*\/\}\n {6}<div/);
    assert.deepEqual(summary(fixed, "/p/answer.tsx"), []);
    assert.match(typed(js("  return eval(reply);\n"), "/p/a.ts", 4, EVAL, "why"), /\n {2}\/\/ secure-ai-lint: ignore\[llm-output-to-eval\] -- why\n {2}return eval/);
  });

  test("no place inside a multi-line string or after a line continuation", () => {
    const inString = py(`    prompt = f"""Answer:\n{reply}\n"""\n    return prompt\n`);
    assert.equal(suppressionInsertion(inString, "/p/a.py", 7, EVAL), undefined);
    const continued = py("    total = 1 + \\\n        eval(reply)\n    return total\n");
    assert.equal(suppressionInsertion(continued, "/p/a.py", 7, EVAL), undefined);
    const template = js("  const text = `first\n${reply}\n`;\n  return text;\n");
    assert.equal(suppressionInsertion(template, "/p/a.ts", 5, EVAL), undefined);
  });

  test("the file's newline style is kept", () => {
    const crlf = py("    return eval(reply)\n").replace(/\n/g, "\r\n");
    const place = suppressionInsertion(crlf, "/p/a.py", 6, EVAL);
    assert.equal(place?.after, "\r\n");
  });
});
