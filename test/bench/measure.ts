/** Runs a command, timing it and recording the peak memory of the process it starts. */
import { spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import * as path from "node:path";

/** GNU time reports the child's peak RSS (the whole process, worker threads included) from the kernel's accounting. */
const GNU_TIME = "/usr/bin/time";

export interface Sample {
  seconds: number;
  /** Undefined when GNU time is not installed. */
  peakRssMb?: number;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function hasGnuTime(): boolean {
  return isExecutable(GNU_TIME);
}

/** The absolute path of a program on PATH, if any. */
export function which(program: string): string | undefined {
  for (const directory of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(directory, program);
    if (directory && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `argv` to completion. Exit codes outside `okExitCodes` throw with the command's error output, because
 * a tool that crashed early would otherwise look fast.
 */
export async function timeCommand(argv: readonly string[], cwd: string, okExitCodes: readonly number[]): Promise<Sample> {
  const scratch = mkdtempSync(path.join(tmpdir(), "secure-ai-lint-bench-"));
  const timeOutput = path.join(scratch, "time.txt");
  const gnuTime = hasGnuTime();
  const command = gnuTime ? [GNU_TIME, "-o", timeOutput, "-f", "%M", ...argv] : [...argv];
  try {
    const started = process.hrtime.bigint();
    const { code, stderr } = await run(command, cwd);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (code === null || !okExitCodes.includes(code)) {
      throw new Error(`${argv.join(" ")} exited with ${code ?? "a signal"}:\n${stderr.slice(-4000)}`);
    }
    const peakRssMb = gnuTime ? Number(readFileSync(timeOutput, "utf8").trim().split("\n").at(-1)) / 1024 : undefined;
    return { seconds, peakRssMb };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function run(command: readonly string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      // Only the tail is ever shown; a chatty tool must not fill the benchmark's memory.
      stderr = (stderr + chunk).slice(-16_000);
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stderr }));
  });
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** The value below which `fraction` of the samples fall (nearest-rank). */
export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

/** Samples the one-minute load average while the benchmark runs: the machine may be shared. */
export function watchLoad(intervalMs = 2000): { stop(): { min: number; mean: number; max: number; samples: number } } {
  const samples = [loadNow()];
  const timer = setInterval(() => samples.push(loadNow()), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(loadNow());
      const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
      return { min: Math.min(...samples), mean, max: Math.max(...samples), samples: samples.length };
    },
  };
}

function loadNow(): number {
  return loadavg()[0];
}
