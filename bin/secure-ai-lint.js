#!/usr/bin/env node
"use strict";
// The command-line entry installed by npm; the CLI itself is the bundle the build writes to dist/.
const { existsSync } = require("node:fs");
const path = require("node:path");

const cli = path.join(__dirname, "..", "dist", "cli.js");
if (!existsSync(cli)) {
  const root = path.dirname(__dirname);
  process.stderr.write(`secure-ai-lint: ${cli} is missing; build it first with 'npm run build' in ${root}.\n`);
  process.exit(2);
}
require(cli);
