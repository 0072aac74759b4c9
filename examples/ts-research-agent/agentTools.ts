// Tools the research chat agent can call (Vercel AI SDK), given to streamText in app/api/agent/route.ts.
import { exec, execFile } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import { tool } from "ai";
import { z } from "zod";

import { DATASETS_DIR, NOTES_DIR, WORKDIR } from "./config.js";

const execAsync = promisify(exec);
const execFileAsync = promisify(execFile);

export const researchTools = {
  readNote: tool({
    description: "Read one of the lab's notes. Paths are relative to the notes folder.",
    inputSchema: z.object({ notePath: z.string() }),
    execute: async ({ notePath }) => readFile(path.join(NOTES_DIR, notePath), "utf8"),
  }),

  runCommand: tool({
    description: "Run a shell command in the research workspace, e.g. to count rows or inspect a CSV file.",
    inputSchema: z.object({ command: z.string() }),
    execute: async ({ command }) => {
      const { stdout, stderr } = await execAsync(command, { cwd: WORKDIR, timeout: 60_000 });
      return stdout + stderr;
    },
  }),

  listDatasets: tool({
    description: "List the datasets of one kind that the lab has downloaded.",
    inputSchema: z.object({ kind: z.enum(["raw", "cleaned", "derived"]) }),
    execute: async ({ kind }) => {
      const { stdout } = await execFileAsync("ls", ["-1", path.join(DATASETS_DIR, kind)]);
      return stdout.split("\n").filter(Boolean);
    },
  }),

  deleteDataset: tool({
    description: "Delete a derived dataset that is no longer needed.",
    inputSchema: z.object({ name: z.string() }),
    // The chat UI asks the researcher to confirm before this runs.
    needsApproval: true,
    execute: async ({ name }) => {
      await rm(path.join(DATASETS_DIR, "derived", name), { recursive: true });
      return `deleted ${name}`;
    },
  }),
};
