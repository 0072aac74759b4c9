/**
 * Analyses many files in parallel on worker threads. Each worker holds one engine and reads the files
 * itself, so only paths and results cross threads. A worker that crashes or hangs is replaced and its
 * file reported as an error; the scan always finishes.
 */
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { AnalysisContext, EngineOptions } from "../engine/types";
import type { FileOutcome } from "./analyseFile";

export interface ScanPoolOptions {
  /** Number of worker threads. Default: the machine's available parallelism. */
  jobs?: number;
  engineOptions?: EngineOptions;
  /** The bundled worker entry. Default: worker.js next to the running bundle. */
  workerPath?: string;
  /** A file whose analysis takes longer than this is reported as an error and its worker replaced. Default 60 s. */
  fileTimeoutMs?: number;
}

export interface ScanCallbacks {
  /** Called as each file finishes, in completion order; `index` is the file's position in the list scanned. */
  onResult?(outcome: FileOutcome, index: number): void;
  signal?: AbortSignal;
  /** What the analysis of a file may use from other files (bindings of the prompt files it renders). */
  contextFor?(file: string): AnalysisContext | undefined;
  /** Apply the safe fixes to each file and write it back (`scan --fix`). */
  fix?: boolean;
}

export interface ScanPool {
  /** Resolves with one outcome per file, in the order of `files`, whatever order they finished in. */
  scan(files: readonly string[], callbacks?: ScanCallbacks): Promise<FileOutcome[]>;
  /** Stops the workers; scans still running reject. */
  close(): Promise<void>;
}

/** Raised to every running scan when workers cannot start (missing bundle, engine that fails to load). */
export class WorkerStartError extends Error {}

/** Sent from the pool to a worker: analyse this file. */
export interface WorkerRequest {
  id: number;
  file: string;
  context?: AnalysisContext;
  fix?: boolean;
}

/** Sent from a worker to the pool: its engine is loaded, it could not be loaded, or one file's outcome. */
export type WorkerReply =
  | { type: "ready" }
  | { type: "fatal"; message: string }
  | { type: "outcome"; id: number; outcome: FileOutcome };

export interface WorkerData {
  engineOptions: EngineOptions;
}

interface ScanState {
  outcomes: FileOutcome[];
  remaining: number;
  finished: boolean;
  onResult?: ScanCallbacks["onResult"];
  resolve(outcomes: FileOutcome[]): void;
  reject(error: unknown): void;
  /** Stops listening to the scan's abort signal, which may outlive it. */
  detach(): void;
}

interface Task {
  id: number;
  file: string;
  context?: AnalysisContext;
  fix?: boolean;
  index: number;
  scan: ScanState;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
  /** Terminated on purpose (cancelled scan, closed pool): its exit is no failure. */
  stopping?: boolean;
  timedOut?: boolean;
  lastError?: Error;
  exited: Promise<void>;
}

const DEFAULT_FILE_TIMEOUT_MS = 60_000;

export function createScanPool(options: ScanPoolOptions = {}): ScanPool {
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  const workerPath = options.workerPath ?? path.join(__dirname, "worker.js");
  const fileTimeoutMs = options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS;
  const workerData: WorkerData = { engineOptions: options.engineOptions ?? {} };
  const queue: Task[] = [];
  const slots = new Set<Slot>();
  const scans = new Set<ScanState>();
  let nextTaskId = 0;
  let closed = false;

  function dispatch(): void {
    while (queue.length > 0) {
      const live = [...slots].filter((candidate) => !candidate.stopping);
      const slot = live.find((candidate) => !candidate.task) ?? (live.length < jobs ? spawn() : undefined);
      if (!slot) return;
      const task = queue.shift()!;
      slot.task = task;
      slot.timer = setTimeout(() => {
        slot.timedOut = true;
        void slot.worker.terminate();
      }, fileTimeoutMs);
      slot.worker.postMessage({ id: task.id, file: task.file, context: task.context, fix: task.fix } satisfies WorkerRequest);
    }
  }

  function spawn(): Slot {
    const worker = new Worker(workerPath, { workerData });
    const slot: Slot = { worker, ready: false, exited: new Promise((resolve) => worker.once("exit", () => resolve())) };
    slots.add(slot);
    worker.on("message", (reply: WorkerReply) => onReply(slot, reply));
    worker.on("error", (error) => (slot.lastError = error));
    worker.on("exit", (code) => onExit(slot, code));
    return slot;
  }

  function onReply(slot: Slot, reply: WorkerReply): void {
    if (reply.type === "ready") {
      slot.ready = true;
    } else if (reply.type === "fatal") {
      failEverything(new WorkerStartError(`the analysis engine could not start: ${reply.message}`));
    } else if (slot.task?.id === reply.id) {
      const task = slot.task;
      release(slot);
      settle(task, reply.outcome);
      dispatch();
    }
  }

  function onExit(slot: Slot, code: number): void {
    const task = slot.task;
    release(slot);
    slots.delete(slot);
    if (closed) return;
    if (task && slot.timedOut) {
      settle(task, { file: task.file, error: `analysis did not finish within ${fileTimeoutMs / 1000} s` });
    } else if (!slot.ready && !slot.stopping) {
      const reason = slot.lastError?.message ?? `it exited with code ${code}`;
      failEverything(new WorkerStartError(`the analysis worker could not start: ${reason}`));
      return;
    } else if (task) {
      settle(task, { file: task.file, error: `the analysis worker crashed: ${slot.lastError?.message ?? `exit code ${code}`}` });
    }
    dispatch(); // a replacement takes over the rest of the queue
  }

  function stop(slot: Slot): void {
    slot.stopping = true;
    void slot.worker.terminate();
  }

  function release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.task = undefined;
  }

  function settle(task: Task, outcome: FileOutcome): void {
    const scan = task.scan;
    if (scan.finished) return;
    scan.outcomes[task.index] = outcome;
    try {
      scan.onResult?.(outcome, task.index);
    } catch (error) {
      finish(scan, error);
      return;
    }
    if (--scan.remaining === 0) {
      conclude(scan);
      scan.resolve(scan.outcomes);
    }
  }

  /** Ends a scan early: its queued files are dropped and workers busy with its files are stopped. */
  function finish(scan: ScanState, error: unknown): void {
    if (scan.finished) return;
    conclude(scan);
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i].scan === scan) queue.splice(i, 1);
    for (const slot of slots) if (slot.task?.scan === scan) stop(slot);
    scan.reject(error);
  }

  function conclude(scan: ScanState): void {
    scan.finished = true;
    scans.delete(scan);
    scan.detach();
  }

  function failEverything(error: Error): void {
    for (const scan of [...scans]) finish(scan, error);
    for (const slot of slots) stop(slot);
  }

  return {
    scan(files, { onResult, signal, contextFor, fix } = {}) {
      if (closed) return Promise.reject(new Error("the scan pool is closed"));
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (files.length === 0) return Promise.resolve([]);
      return new Promise<FileOutcome[]>((resolve, reject) => {
        const abort = (): void => finish(scan, signal?.reason);
        const scan: ScanState = {
          outcomes: new Array(files.length),
          remaining: files.length,
          finished: false,
          onResult,
          resolve,
          reject,
          detach: () => signal?.removeEventListener("abort", abort),
        };
        scans.add(scan);
        signal?.addEventListener("abort", abort, { once: true });
        files.forEach((file, index) => queue.push({ id: nextTaskId++, file, context: contextFor?.(file), fix, index, scan }));
        dispatch();
      });
    },
    async close() {
      closed = true;
      queue.length = 0;
      for (const scan of [...scans]) finish(scan, new Error("the scan pool was closed"));
      const exits = [...slots].map((slot) => slot.exited);
      for (const slot of slots) stop(slot);
      await Promise.all(exits);
    },
  };
}
