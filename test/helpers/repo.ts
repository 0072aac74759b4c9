/** Locations in the repository, for tests bundled into out/test/. */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, "package.json")) || !existsSync(path.join(dir, "rules"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no repository root above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

export function readRepoFile(...parts: string[]): string {
  return readFileSync(path.join(repoRoot(), ...parts), "utf8");
}
