import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { analyseFile, FileOutcome } from "../../server/src/cli/analyseFile";
import { createScanPool, ScanPool, WorkerStartError } from "../../server/src/cli/pool";
import type { AnalysisResult, Engine, Finding } from "../../server/src/engine/types";

/**
 * Stands in for the bundled worker, speaking the same protocol: files named crash* throw, hang* never
 * answer, slow* answer late, and every other file gets an empty result.
 */
const FAKE_WORKER = `
const { parentPort } = require("node:worker_threads");
const path = require("node:path");
parentPort.postMessage({ type: "ready" });
parentPort.on("message", ({ id, file }) => {
  const name = path.basename(file);
  if (name.startsWith("crash")) throw new Error("boom on " + name);
  if (name.startsWith("hang")) for (;;);
  const outcome = { file, result: { findings: [], ruleFailures: [], syntaxErrors: [] }, findingLines: [] };
  setTimeout(() => parentPort.postMessage({ type: "outcome", id, outcome }), name.startsWith("slow") ? 150 : 0);
});
`;
const ENGINE_THAT_FAILS_TO_LOAD = `require("node:worker_threads").parentPort.postMessage({ type: "fatal", message: "no parsers" });`;
const WORKER_THAT_DIES_AT_START = `throw new Error("cannot load bundle");`;

describe("scan pool", () => {
  let directory: string;
  let pool: ScanPool;
  const script = (name: string, source: string): string => {
    const file = path.join(directory, name);
    writeFileSync(file, source);
    return file;
  };
  const errorOf = (outcome: FileOutcome): string | undefined => ("error" in outcome ? outcome.error : undefined);

  before(() => {
    directory = mkdtempSync(path.join(tmpdir(), "secure-ai-lint-pool-"));
    pool = createScanPool({ jobs: 2, workerPath: script("worker.js", FAKE_WORKER), fileTimeoutMs: 1000 });
  });
  after(async () => {
    await pool.close();
    rmSync(directory, { recursive: true, force: true });
  });

  test("returns outcomes in the order of the files, whatever order they finished in", async () => {
    const files = ["slow-1.py", "a.py", "slow-2.py", "b.py", "c.py"];
    const completed: number[] = [];
    const outcomes = await pool.scan(files, { onResult: (_outcome, index) => completed.push(index) });
    assert.deepEqual(outcomes.map((outcome) => outcome.file), files);
    assert.deepEqual([...completed].sort(), [0, 1, 2, 3, 4]);
    assert.notDeepEqual(completed, [0, 1, 2, 3, 4], "the slow files finish after the quick ones");
  });

  test("reports a file whose worker crashed as an error, replaces the worker and carries on", async () => {
    const outcomes = await pool.scan(["a.py", "crash.py", "b.py", "c.py", "d.py"]);
    assert.match(errorOf(outcomes[1]) ?? "", /crashed: boom on crash\.py/);
    assert.deepEqual(outcomes.filter((outcome) => errorOf(outcome) !== undefined).length, 1);
  });

  test("reports a file whose analysis never finishes as an error", async () => {
    const outcomes = await pool.scan(["hang.py", "a.py", "b.py"]);
    assert.match(errorOf(outcomes[0]) ?? "", /did not finish within 1 s/);
    assert.equal(errorOf(outcomes[1]), undefined);
    assert.equal(errorOf(outcomes[2]), undefined);
  });

  test("stops a cancelled scan and stays usable", async () => {
    const controller = new AbortController();
    const cancelled = pool.scan(["hang.py", "hang-2.py", "a.py"], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(cancelled, { name: "AbortError" });
    assert.deepEqual((await pool.scan(["a.py"])).map((outcome) => errorOf(outcome)), [undefined]);
  });

  test("resolves at once for no files", async () => {
    assert.deepEqual(await pool.scan([]), []);
  });

  test("fails the scan when the engine cannot load", async () => {
    const broken = createScanPool({ jobs: 1, workerPath: script("fatal.js", ENGINE_THAT_FAILS_TO_LOAD) });
    await assert.rejects(broken.scan(["a.py"]), (error: unknown) => error instanceof WorkerStartError && /no parsers/.test(error.message));
    await broken.close();
  });

  test("fails the scan when workers cannot start", async () => {
    for (const workerPath of [script("dies.js", WORKER_THAT_DIES_AT_START), path.join(directory, "missing.js")]) {
      const broken = createScanPool({ jobs: 2, workerPath });
      await assert.rejects(broken.scan(["a.py", "b.py", "c.py"]), WorkerStartError);
      await broken.close();
    }
  });
});

describe("reading a file for analysis", () => {
  let directory: string;
  const finding = (line: number): Finding => ({
    ruleId: "r",
    severity: "error",
    message: "m",
    range: { start: { line, character: 0 }, end: { line, character: 1 } },
    path: [],
    owasp: [],
    cwe: [],
    atlas: [],
  });
  const analysed: string[] = [];
  const engine: Pick<Engine, "analyze"> = {
    analyze(text): AnalysisResult {
      analysed.push(text);
      return { findings: [finding(1), finding(0)], ruleFailures: [], syntaxErrors: [] };
    },
  };

  before(() => (directory = mkdtempSync(path.join(tmpdir(), "secure-ai-lint-read-"))));
  after(() => rmSync(directory, { recursive: true, force: true }));

  test("passes the text without a byte order mark, with the text of each finding's line", async () => {
    const file = path.join(directory, "app.py");
    writeFileSync(file, "\uFEFFfirst = 1\r\nsecond = 2\n");
    const outcome = await analyseFile(engine, file, 1000);
    assert.equal(analysed.at(-1), "first = 1\r\nsecond = 2\n");
    assert.ok("result" in outcome);
    assert.deepEqual(outcome.findingLines, ["second = 2", "first = 1"]);
  });

  test("skips a file over the size limit without reading it", async () => {
    const file = path.join(directory, "big.js");
    writeFileSync(file, "x".repeat(2000));
    const before = analysed.length;
    const outcome = await analyseFile(engine, file, 1000);
    assert.equal(analysed.length, before);
    assert.ok("result" in outcome);
    assert.deepEqual(outcome.result.skipped?.reason, "too-large");
    assert.match(outcome.result.skipped?.message ?? "", /2 KB, over the 1 KB limit/);
  });

  test("reports a file that cannot be read as an error", async () => {
    const outcome = await analyseFile(engine, path.join(directory, "gone.py"), 1000);
    assert.match("error" in outcome ? outcome.error : "", /could not read the file/);
  });
});
