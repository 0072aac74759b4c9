/**
 * The benchmark: whole-scan speed and memory of the CLI next to peer tools on the same corpora,
 * and edit latency in the language server. It measures and prints; nothing here passes or fails on time.
 * Usage: npm run bench [-- [--quick] [dir...]]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../helpers/repo";
import { Corpus, CorpusContents, defaultCorpora, describeCorpus, namedCorpora } from "./corpora";
import { measureEditLatency } from "./latency";
import { hasGnuTime, spread, timeCommand, watchLoad } from "./measure";
import { BenchResults, formatReport, ScanResult } from "./report";
import { MissingTool, peerTools, secureAiLint, Tool, workingDirectory } from "./tools";

const USAGE = `Usage: npm run bench -- [--quick] [dir...]

Scans each directory (default: CPython's standard library and a TS/JS corpus of effect, rxjs and
ESLint sources) with the secure-ai-lint CLI and with the peer tools that are installed, then times
edits in the language server. Results go to standard output and to .bench/results.json.

  --quick   one run per tool and no peer tools (to check that the benchmark itself works)
`;

const ITERATIONS = 3;
const LATENCY_DOCUMENT_LINES = 2000;
const LATENCY_EDITS = 100;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { quick: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const root = repoRoot();
  const benchDir = path.join(root, ".bench");
  mkdirSync(benchDir, { recursive: true });
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const iterations = values.quick ? 1 : ITERATIONS;

  const load = watchLoad();
  const corpora = positionals.length > 0 ? namedCorpora(positionals) : defaultCorpora(root, benchDir, progress);
  const ours = secureAiLint(root, benchDir);
  const peers = values.quick ? { available: [], missing: [] } : peerTools(root);
  if (!hasGnuTime()) progress("GNU time (/usr/bin/time) is missing: peak memory is not measured (apt-get install -y time).");

  const described: BenchResults["corpora"] = [];
  const scans: ScanResult[] = [];
  const missingPeers: MissingTool[] = [];
  for (const corpus of corpora) {
    progress(`reading ${corpus.name}`);
    const contents = await describeCorpus(corpus);
    described.push({ ...corpus, contents });
    const applicable = (tool: { covers: Tool["covers"] }) => contents[tool.covers].files > 0;
    for (const missing of peers.missing.filter(applicable)) {
      if (!missingPeers.some((m) => m.name === missing.name)) missingPeers.push(missing);
    }
    scans.push(...(await scanCorpus(corpus, contents, [ours, ...peers.available.filter(applicable)], iterations, progress)));
  }

  progress(`timing ${LATENCY_EDITS} edits per document in the language server`);
  const latency = await measureEditLatency(root, benchDir, { lines: LATENCY_DOCUMENT_LINES, edits: LATENCY_EDITS });

  const results: BenchResults = {
    date: new Date().toISOString(),
    node: process.versions.node,
    cpus: availableParallelism(),
    iterations,
    peersSkipped: values.quick,
    load: load.stop(),
    corpora: described,
    scans,
    missingPeers,
    latency,
  };
  const json = JSON.stringify(results);
  writeFileSync(path.join(benchDir, "results.json"), `${json}\n`);
  process.stdout.write(`${formatReport(results)}\n\n${json}\n`);
}

/** The tools take turns, run after run, so that a burst of load from elsewhere does not fall on one tool only. */
async function scanCorpus(
  corpus: Corpus,
  contents: CorpusContents,
  tools: Tool[],
  iterations: number,
  progress: (line: string) => void,
): Promise<ScanResult[]> {
  const cwd = workingDirectory(corpus);
  const samples = tools.map(() => [] as Awaited<ReturnType<typeof timeCommand>>[]);
  for (let iteration = 1; iteration <= iterations; iteration++) {
    for (const [index, tool] of tools.entries()) {
      progress(`  ${tool.name}, run ${iteration}/${iterations}`);
      samples[index].push(await timeCommand(tool.command(corpus), cwd, tool.okExitCodes));
    }
  }
  const results = tools.map((tool, index): ScanResult => {
    const times = spread(samples[index].map((sample) => sample.seconds));
    const peaks = samples[index].flatMap((sample) => (sample.peakRssMb === undefined ? [] : [sample.peakRssMb]));
    const { files, lines } = contents[tool.covers];
    return {
      corpus: corpus.name,
      tool: tool.name,
      version: tool.version,
      covers: tool.covers,
      files,
      lines,
      runs: samples[index].map((sample) => sample.seconds),
      ...times,
      linesPerSecond: lines / times.median,
      peakRssMb: peaks.length > 0 ? Math.max(...peaks) : undefined,
    };
  });
  const ourMedian = results[0].median;
  return results.map((result, index) => (index === 0 ? result : { ...result, timeRatio: result.median / ourMedian }));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
