/**
 * Edit latency over the Language Server Protocol: how long after a keystroke (an incremental
 * didChange) the diagnostics for that version of the document arrive, as an editor would see it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { startSession } from "../protocol/lspSession";
import { FixtureLanguage, generateLlmModule, typingPosition } from "./generate";
import { percentile } from "./measure";

export interface DocumentLatency {
  language: FixtureLanguage;
  file: string;
  lines: number;
  /** Diagnostics published for the document as opened: proof that the engine really analysed it. */
  diagnosticsAtOpen: number;
  openMs: number;
  edits: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface LatencyResult {
  documents: DocumentLatency[];
  /** The language server's memory after the runs, and its peak, when /proc shows them. */
  serverRssMb?: number;
  serverPeakRssMb?: number;
}

const LANGUAGE_IDS: Record<FixtureLanguage, string> = { python: "python", typescript: "typescript" };
const EXTENSIONS: Record<FixtureLanguage, string> = { python: ".py", typescript: ".ts" };
/** Typed one character at a time into a string literal. */
const TYPED = "abcdefghijklmnopqrstuvwxyz ";
/** A version whose diagnostics never come would otherwise hang the benchmark. */
const PUBLISH_TIMEOUT_MS = 60_000;

export async function measureEditLatency(
  repoRoot: string,
  benchDir: string,
  options: { lines: number; edits: number },
): Promise<LatencyResult> {
  const folder = path.join(benchDir, "latency");
  mkdirSync(folder, { recursive: true });
  const session = await startSession({});
  try {
    const documents: DocumentLatency[] = [];
    for (const language of ["python", "typescript"] as const) {
      const text = generateLlmModule(repoRoot, language, options.lines);
      const file = path.join(folder, `assistant${EXTENSIONS[language]}`);
      // On disk too, so that the document the numbers describe can be read.
      writeFileSync(file, text);
      const uri = pathToFileURL(file).href;

      const opened = performance.now();
      await session.open(uri, LANGUAGE_IDS[language], text);
      const atOpen = await withinTimeout(session.diagnostics.forVersion(uri, 1), `${file} as opened`);
      const openMs = performance.now() - opened;

      const at = typingPosition(text);
      const latencies: number[] = [];
      for (let edit = 0; edit < options.edits; edit++) {
        const version = edit + 2;
        const position = { line: at.line, character: at.character + edit };
        const sent = performance.now();
        await session.change(uri, version, [{ range: { start: position, end: position }, text: TYPED[edit % TYPED.length] }]);
        await withinTimeout(session.diagnostics.forVersion(uri, version), `${file} version ${version}`);
        latencies.push(performance.now() - sent);
      }
      documents.push({
        language,
        file: path.relative(repoRoot, file),
        lines: text.split("\n").length - 1,
        diagnosticsAtOpen: atOpen.length,
        openMs,
        edits: latencies.length,
        p50Ms: percentile(latencies, 0.5),
        p95Ms: percentile(latencies, 0.95),
        maxMs: Math.max(...latencies),
      });
    }
    const memory = serverMemory();
    await session.shutdown();
    await withinTimeout(session.exitCode, "the language server's exit");
    return { documents, ...memory };
  } finally {
    session.kill();
  }
}

function withinTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer for ${what} within ${PUBLISH_TIMEOUT_MS / 1000} s`)), PUBLISH_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer)) as Promise<T>;
}

/** The server is this process's only child running dist/server.js; its RSS is read from /proc. */
function serverMemory(): { serverRssMb?: number; serverPeakRssMb?: number } {
  const tasks = `/proc/${process.pid}/task`;
  if (!existsSync(tasks)) return {};
  const children = readdirSync(tasks).flatMap((task) =>
    readFileSync(path.join(tasks, task, "children"), "utf8").split(" ").filter(Boolean),
  );
  const server = children.find((pid) => {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return commandLine.some((argument) => argument.endsWith(path.join("dist", "server.js")));
  });
  if (!server) return {};
  const status = readFileSync(`/proc/${server}/status`, "utf8");
  const megabytes = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  };
  return { serverRssMb: megabytes("VmRSS"), serverPeakRssMb: megabytes("VmHWM") };
}
