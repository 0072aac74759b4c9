/** Worker thread entry of the scan pool: one engine, one file at a time. */
import { parentPort, workerData } from "node:worker_threads";
import { createEngine } from "../engine/analyze";
import { DEFAULT_MAX_FILE_BYTES } from "../engine/files";
import type { Engine } from "../engine/types";
import { analyseFile, FileOutcome } from "./analyseFile";
import { fixFile } from "./fix";
import type { WorkerData, WorkerReply, WorkerRequest } from "./pool";

const port = parentPort;
if (!port) throw new Error("worker.js runs inside the scan pool, not on its own.");

const { engineOptions } = workerData as WorkerData;
const maxFileBytes = engineOptions.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
const reply = (message: WorkerReply): void => port.postMessage(message);
const engine = createEngine(engineOptions);

engine.then(
  () => reply({ type: "ready" }),
  (error: unknown) => reply({ type: "fatal", message: describe(error) }),
);

port.on("message", async ({ id, file, context, fix }: WorkerRequest) => {
  let loaded: Engine;
  try {
    loaded = await engine;
  } catch {
    return; // the pool has been told that the engine could not load
  }
  let outcome: FileOutcome;
  try {
    outcome = fix ? await fixFile(loaded, file, maxFileBytes, context) : await analyseFile(loaded, file, maxFileBytes, context);
  } catch (error) {
    outcome = { file, error: `analysis failed: ${describe(error)}` };
  }
  reply({ type: "outcome", id, outcome });
});

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
