import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { discoverFiles, PathError } from "../../server/src/cli/discover";

const TREE: Record<string, string> = {
  ".gitignore": "ignored.py\nlogs/\n*.gen.ts\nsecret/\n",
  "a.py": "",
  "b.ts": "",
  "ignored.py": "",
  "c.gen.ts": "",
  "README.md": "",
  "logs/x.py": "",
  "node_modules/pkg/index.js": "",
  ".venv/lib/site.py": "",
  "dist/bundle.js": "",
  "src/.gitignore": "local.py\n!keep.gen.ts\n",
  "src/local.py": "",
  "src/keep.gen.ts": "",
  "src/deep/d.py": "",
  "src/deep/local.py": "",
  "src/secret/s.py": "",
  "other/e.js": "",
};

describe("file discovery", () => {
  let root: string;
  const supports = (file: string): boolean => [".py", ".ts", ".js"].includes(path.extname(file));
  const discover = (paths: string[], patterns: string[] = []) =>
    discoverFiles(paths, { cwd: root, exclude: [{ directory: root, patterns }], supports });
  const relative = (files: string[]): string[] => files.map((file) => path.relative(root, file).split(path.sep).join("/"));

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), "secure-ai-lint-discover-"));
    mkdirSync(path.join(root, ".git")); // the repository root, where the top .gitignore applies from
    for (const [file, text] of Object.entries(TREE)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test("walks directories honouring .gitignore and skipping dependency and build folders, in sorted order", async () => {
    const { files, unsupported } = await discover(["."]);
    assert.deepEqual(relative(files), ["a.py", "b.ts", "other/e.js", "src/deep/d.py", "src/keep.gen.ts"]);
    assert.deepEqual(unsupported, []);
    assert.ok(files.every((file) => path.isAbsolute(file)));
  });

  test("applies nested .gitignore files below their own folder, and their re-inclusions", async () => {
    const files = relative((await discover(["."])).files);
    assert.ok(!files.includes("src/local.py") && !files.includes("src/deep/local.py"), "src/.gitignore's pattern applies at any depth below src");
    assert.ok(files.includes("src/keep.gen.ts"), "src/.gitignore re-includes what the root .gitignore ignored");
  });

  test("applies the repository's .gitignore files when scanning a subfolder", async () => {
    assert.deepEqual(relative((await discover(["src"])).files), ["src/deep/d.py", "src/keep.gen.ts"]);
  });

  test("adds --exclude patterns, relative to the working directory", async () => {
    assert.deepEqual(relative((await discover(["."], ["other/", "*.ts"])).files), ["a.py", "src/deep/d.py"]);
    assert.deepEqual(relative((await discover(["."], ["/src/deep"])).files), ["a.py", "b.ts", "other/e.js", "src/keep.gen.ts"]);
  });

  test("takes each set of exclusions relative to its own folder, or to a named path outside it", async () => {
    const fromSrc = await discoverFiles(["."], { cwd: root, exclude: [{ directory: path.join(root, "src"), patterns: ["/deep"] }], supports });
    assert.deepEqual(relative(fromSrc.files), ["a.py", "b.ts", "other/e.js", "src/keep.gen.ts"]);
    const outside = await discoverFiles(["../src"], {
      cwd: path.join(root, "other"),
      exclude: [{ directory: path.join(root, "other"), patterns: ["/deep"] }],
      supports,
    });
    assert.deepEqual(relative(outside.files), ["src/keep.gen.ts"]);
  });

  test("an --exclude pattern cannot be undone by a .gitignore re-inclusion", async () => {
    assert.ok(!relative((await discover(["."], ["*.gen.ts"])).files).includes("src/keep.gen.ts"));
  });

  test("scans what is named explicitly, even when ignored or inside a skipped folder", async () => {
    const { files } = await discover(["ignored.py", "logs", "node_modules/pkg", ".venv", "c.gen.ts"]);
    assert.deepEqual(relative(files), [".venv/lib/site.py", "c.gen.ts", "ignored.py", "logs/x.py", "node_modules/pkg/index.js"]);
  });

  test("applies --exclude to named files too", async () => {
    assert.deepEqual((await discover(["a.py", "b.ts"], ["*.py"])).files.map((file) => path.basename(file)), ["b.ts"]);
  });

  test("lists named files of other kinds separately", async () => {
    const { files, unsupported } = await discover(["README.md", "a.py"]);
    assert.deepEqual(relative(files), ["a.py"]);
    assert.deepEqual(relative(unsupported), ["README.md"]);
  });

  test("lists a file named twice, or also found under a named folder, once", async () => {
    assert.deepEqual(relative((await discover(["a.py", ".", "./a.py"])).files), ["a.py", "b.ts", "other/e.js", "src/deep/d.py", "src/keep.gen.ts"]);
  });

  test("rejects a named pipe, which could never be read to its end", { skip: process.platform === "win32" }, async () => {
    const fifo = path.join(root, "pipe.py");
    execFileSync("mkfifo", [fifo]);
    try {
      await assert.rejects(discover(["pipe.py"]), { message: "not a regular file or directory: pipe.py" });
    } finally {
      rmSync(fifo);
    }
  });

  test("rejects a path that does not exist", async () => {
    await assert.rejects(discover(["a.py", "missing"]), (error: unknown) => error instanceof PathError && error.message === "no such file or directory: missing");
  });
});
