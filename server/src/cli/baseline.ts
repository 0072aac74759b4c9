/**
 * Baselines: the findings a team has accepted for now, by fingerprint, so that CI fails on new ones
 * only. The file is JSON, versioned and sorted, one finding per line, so that its diffs read well:
 * `{"version":1,"findings":[{"ruleId","file","fingerprint"}]}`, with `file` relative to the
 * baseline's own folder and `/`-separated.
 */
import { readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { baselineEntries, type ScanReport } from "./format/report";

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  file: string;
  fingerprint: string;
}

export class Baseline {
  private readonly keys: Set<string>;

  constructor(
    /** The folder the entries' paths are relative to. */
    readonly directory: string,
    entries: readonly BaselineEntry[],
  ) {
    this.keys = new Set(entries.map(keyOf));
  }

  has(entry: BaselineEntry): boolean {
    return this.keys.has(keyOf(entry));
  }
}

/** Thrown for a baseline file that cannot be read or is not a baseline. */
export class BaselineError extends Error {}

export async function readBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new BaselineError(`could not read the baseline ${file}: ${messageOf(error)} (--update-baseline creates it)`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`the baseline ${file} is not valid JSON: ${messageOf(error)}`);
  }
  return new Baseline(path.dirname(file), entriesOf(data, file));
}

export async function writeBaseline(file: string, entries: readonly BaselineEntry[]): Promise<void> {
  try {
    await writeFile(file, formatBaseline(entries));
  } catch (error) {
    throw new BaselineError(`could not write the baseline ${file}: ${messageOf(error)}`);
  }
}

/** Sorted and without duplicates, one entry per line. */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const unique = new Map(entries.map((e) => [keyOf(e), { ruleId: e.ruleId, file: e.file, fingerprint: e.fingerprint }]));
  const sorted = [...unique.values()].sort((a, b) => compare(a.file, b.file) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint));
  const lines = sorted.map((e) => `    ${JSON.stringify(e)}`);
  return `{\n  "version": ${BASELINE_VERSION},\n  "findings": [${lines.length ? `\n${lines.join(",\n")}\n  ` : ""}]\n}\n`;
}

function entriesOf(data: unknown, file: string): BaselineEntry[] {
  const fail = (why: string): never => {
    throw new BaselineError(`the baseline ${file} is not a Secure AI Lint baseline: ${why}`);
  };
  if (typeof data !== "object" || data === null) return fail("expected an object");
  const { version, findings } = data as { version?: unknown; findings?: unknown };
  if (version !== BASELINE_VERSION) return fail(`expected "version": ${BASELINE_VERSION}, found ${JSON.stringify(version)}`);
  if (!Array.isArray(findings)) return fail(`expected a "findings" array`);
  return findings.map((entry: unknown, index) => {
    const { ruleId, file: entryFile, fingerprint } = (entry ?? {}) as Record<string, unknown>;
    if (typeof ruleId !== "string" || typeof entryFile !== "string" || typeof fingerprint !== "string") {
      return fail(`finding ${index + 1} needs the strings "ruleId", "file" and "fingerprint"`);
    }
    return { ruleId, file: entryFile, fingerprint };
  });
}

function keyOf(entry: BaselineEntry): string {
  return `${entry.file}\0${entry.ruleId}\0${entry.fingerprint}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The baseline a scan reports against: read from `file`, or, with `update`, made of the scan's own
 * findings and written to `file` first (so that nothing is new).
 */
export async function baselineFor(report: ScanReport, file: string, update: boolean): Promise<Baseline> {
  if (!update) return readBaseline(file);
  const directory = path.dirname(file);
  const entries = baselineEntries(report, directory);
  await writeBaseline(file, entries);
  return new Baseline(directory, entries);
}
