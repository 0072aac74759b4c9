/** The benchmark's results: their shape (written as JSON for machines) and the tables printed for people. */
import type { Corpus, CorpusContents } from "./corpora";
import type { LatencyResult } from "./latency";
import type { Spread } from "./measure";
import type { MissingTool, Tool } from "./tools";

export interface ScanResult extends Spread {
  corpus: string;
  tool: string;
  version: string;
  covers: Tool["covers"];
  files: number;
  lines: number;
  /** Wall-clock seconds of each run. */
  runs: number[];
  linesPerSecond: number;
  /** The highest peak RSS over the runs; undefined without GNU time. */
  peakRssMb?: number;
  /** A peer's median time over the project CLI's on the same corpus. */
  timeRatio?: number;
}

export interface BenchResults {
  date: string;
  node: string;
  cpus: number;
  iterations: number;
  /** --quick leaves the peer tools out. */
  peersSkipped: boolean;
  load: { min: number; mean: number; max: number; samples: number };
  corpora: Array<Corpus & { contents: CorpusContents }>;
  scans: ScanResult[];
  missingPeers: MissingTool[];
  latency?: LatencyResult;
}

const integer = (value: number): string => Math.round(value).toLocaleString("en-US");
const fixed = (value: number, digits: number): string => value.toFixed(digits);

function table(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join("  ")
      .trimEnd(),
  );
}

export function formatReport(results: BenchResults): string {
  const out: string[] = [];
  const runs = results.iterations === 1 ? "1 run" : `median of ${results.iterations} runs (min-max)`;
  out.push(`Whole-scan: wall time, ${runs}; peak memory is the highest peak RSS of the tool's process over the runs`);
  for (const corpus of results.corpora) {
    const { all, mentionLlmSdk } = corpus.contents;
    out.push("");
    out.push(`${corpus.name} (${corpus.roots.join(", ")})`);
    out.push(
      `  ${integer(all.files)} files, ${integer(all.lines)} lines; ${integer(mentionLlmSdk)} mention an LLM SDK and are parsed, ` +
        `the engine skips the other ${integer(all.files - mentionLlmSdk)} unparsed`,
    );
    const rows = [["tool", "version", "files", "lines", "time s", "min-max s", "lines/s", "peak MB", "time vs ours"]];
    for (const scan of results.scans.filter((s) => s.corpus === corpus.name)) {
      rows.push([
        scan.tool,
        scan.version,
        integer(scan.files),
        integer(scan.lines),
        fixed(scan.median, 2),
        `${fixed(scan.min, 2)}-${fixed(scan.max, 2)}`,
        integer(scan.linesPerSecond),
        scan.peakRssMb === undefined ? "n/a" : integer(scan.peakRssMb),
        scan.timeRatio === undefined ? "-" : `${fixed(scan.timeRatio, 1)}x`,
      ]);
    }
    out.push(...table(rows, new Set([2, 3, 4, 5, 6, 7, 8])).map((line) => `  ${line}`));
  }
  if (results.scans.some((scan) => scan.peakRssMb === undefined)) {
    out.push("", "Peak memory needs GNU time: apt-get install -y time");
  }
  if (results.peersSkipped) out.push("", "Peer tools were not run (--quick).");
  for (const missing of results.missingPeers) {
    out.push("", `${missing.name} is not installed, so it was not compared; to include it: ${missing.install}`);
  }
  if (results.latency) out.push("", ...formatLatency(results.latency));
  const { load } = results;
  out.push(
    "",
    `Machine: ${results.cpus} cores, Node ${results.node}; one-minute load average during the run: ` +
      `min ${fixed(load.min, 2)}, mean ${fixed(load.mean, 2)}, max ${fixed(load.max, 2)} (${load.samples} samples)`,
  );
  return out.join("\n");
}

function formatLatency(latency: LatencyResult): string[] {
  const edits = latency.documents[0]?.edits ?? 0;
  const out = [`Edit latency over LSP: ${edits} single-character incremental didChange edits, each timed until its version's publishDiagnostics`];
  const rows = [["language", "lines", "diagnostics at open", "open ms", "p50 ms", "p95 ms", "max ms"]];
  for (const doc of latency.documents) {
    rows.push([
      doc.language,
      integer(doc.lines),
      integer(doc.diagnosticsAtOpen),
      fixed(doc.openMs, 1),
      fixed(doc.p50Ms, 1),
      fixed(doc.p95Ms, 1),
      fixed(doc.maxMs, 1),
    ]);
  }
  out.push(...table(rows, new Set([1, 2, 3, 4, 5, 6])).map((line) => `  ${line}`));
  out.push(`  documents: ${latency.documents.map((doc) => doc.file).join(", ")}`);
  out.push(
    latency.serverRssMb === undefined
      ? "  language server memory: not available (no /proc)"
      : `  language server RSS after the edits: ${integer(latency.serverRssMb)} MB (its peak: ${integer(latency.serverPeakRssMb ?? 0)} MB)`,
  );
  return out;
}
