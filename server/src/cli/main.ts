/** The `secure-ai-lint` command: scan files, list rules, or run the language server over stdio. */
import { writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { parseArgs, ParseArgsConfig } from "node:util";
import { version } from "../../../package.json";
import { RULES } from "../../../rules";
import { bindingNamesFile, DEFAULT_MAX_FILE_BYTES, isNotebook, languageOf, promptFormatOf, unsupportedNotice } from "../engine/files";
import type { EngineOptions, Severity } from "../engine/types";
import type { FileOutcome } from "./analyseFile";
import { DiscoverOptions, Discovery, discoverFiles, ExcludePatterns, PathError } from "./discover";
import { formatJson } from "./format/json";
import { baselineEntries, displayPath, errorsOf, findingsOf, ScanReport, SEVERITY_RANK } from "./format/report";
import { baselineFor } from "./baseline";
import { fixSummary } from "./fix";
import { formatRules, RULES_FORMATS } from "./format/rules";
import { formatSarif } from "./format/sarif";
import { formatText } from "./format/text";
import { createScanPool } from "./pool";
import { ProjectConfigLoader } from "../projectConfig";

const MAIN_HELP = `secure-ai-lint ${version}: finds security bugs in LLM applications written in Python, JavaScript and TypeScript.

Usage:
  secure-ai-lint scan [paths...] [options]    Analyse files and report findings
  secure-ai-lint rules [--format text|json|markdown]   List the rules
  secure-ai-lint lsp --stdio                  Run the language server over standard input and output

Run 'secure-ai-lint <command> --help' for the options of a command.
`;

const SCAN_HELP = `Usage: secure-ai-lint scan [paths...] [options]

Analyses the Python, JavaScript and TypeScript files and the Jupyter notebooks (.ipynb) among
the given files and directories (default: the current directory). Directories are searched recursively, honouring .gitignore
files; .git, node_modules, .venv, venv, __pycache__, dist, build, out, .next and site-packages
are skipped unless named explicitly.

Rule severities, exclusions and the size limit come from the project config
(secure-ai-lint.json or .yaml) nearest to the one path given (or to the current directory)
up to the repository root;
options given here take precedence, and --exclude adds to the file's exclusions.

Options:
  -f, --format <text|json|sarif>   Output format (default: text)
  -o, --output <file>              Write the report to a file instead of standard output
      --fail-on <error|warning|info>
                                   Exit with status 1 when a finding is at least this severe
                                   (default: error)
      --exclude <pattern>          Skip paths matching a .gitignore-style pattern, relative to
                                   the current directory; repeatable
      --max-file-size <bytes>      Skip larger files (default: ${DEFAULT_MAX_FILE_BYTES})
      --baseline <file>            Leave out the findings recorded in this baseline file; only
                                   new findings are reported and count for the exit status
      --update-baseline            Record the current findings in the --baseline file (creating
                                   it) and exit 0
      --fix                        Apply the safe fixes to the Python, JavaScript and TypeScript
                                   files, then report what remains (notebooks and prompt files
                                   are not changed)
  -j, --jobs <n>                   Files analysed in parallel (default: ${availableParallelism()})
      --no-color                   No colours in text output, even on a terminal
  -q, --quiet                      Print only findings and errors
  -h, --help                       Show this help

Exit status:
  0  no finding at or above the --fail-on severity
  1  at least one finding at or above the --fail-on severity
  2  a usage error, an invalid project config, or a file that could not be analysed
     because of an internal error
`;

const RULES_HELP = `Usage: secure-ai-lint rules [--format text|json|markdown]

Lists every rule with its default severity and its OWASP Top 10 for LLM Applications and CWE ids.
Rules marked audit are heuristic and off unless given a severity in secure-ai-lint.json or in the
editor's settings.
`;

const LSP_HELP = `Usage: secure-ai-lint lsp --stdio

Runs the Secure AI Lint language server, speaking the Language Server Protocol over standard
input and output, for editors other than VS Code.
`;

const SCAN_FORMATS = ["text", "json", "sarif"] as const;
const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

/** A mistake in how the command was called: reported in one line, with a pointer to the command's help. */
class UsageError extends Error {
  constructor(
    readonly command: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Resolves with the exit status, or with undefined for a command that keeps running (the language server). */
async function main(argv: readonly string[]): Promise<number | undefined> {
  const [command, ...args] = argv;
  switch (command) {
    case "scan":
      return scan(args);
    case "rules":
      return rules(args);
    case "lsp":
      return lsp(args);
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(MAIN_HELP);
      return 0;
    case "--version":
    case "-V":
      process.stdout.write(`${version}\n`);
      return 0;
    case undefined:
      process.stderr.write(MAIN_HELP);
      return 2;
    default:
      throw new UsageError(undefined, `unknown command '${command}'`);
  }
}

interface ScanOptions {
  paths: string[];
  format: (typeof SCAN_FORMATS)[number];
  output?: string;
  failOn: Severity;
  exclude: string[];
  maxFileSize?: number;
  jobs: number;
  color: boolean;
  quiet: boolean;
  baseline?: string;
  updateBaseline: boolean;
  fix: boolean;
}

async function scan(args: readonly string[]): Promise<number> {
  const options = parseScanOptions(args);
  if (!options) {
    process.stdout.write(SCAN_HELP);
    return 0;
  }
  const cwd = process.cwd();
  // The project scanned decides: `scan ../app` uses ../app's config, found up the folder tree as in the editor.
  const configRoot = options.paths.length === 1 ? path.resolve(cwd, options.paths[0]) : cwd;
  const project = new ProjectConfigLoader(RULES.map(({ meta }) => meta.id)).forPath(configRoot);
  // Scanning with the defaults instead of a broken config would give results nobody asked for; in CI even
  // a dropped entry (an unknown rule id) is a mistake worth stopping for.
  if (project.problems.length > 0) throw new Error(`${project.file}: ${project.problems.map((problem) => problem.message).join("; ")}`);
  const { config, file: configFile } = project;
  const engineOptions: EngineOptions = {
    maxFileBytes: options.maxFileSize ?? config.maxFileSize ?? DEFAULT_MAX_FILE_BYTES,
    ruleSeverities: config.rules,
    extraModels: config.model ? [config.model] : [],
  };
  const exclude: ExcludePatterns[] = [{ directory: cwd, patterns: options.exclude }];
  if (configFile) exclude.push({ directory: path.dirname(configFile), patterns: config.exclude });

  // The main thread only finds files and reports; the engine (and its parsers) loads in the workers.
  const discovery = await discover(options.paths, { cwd, exclude, supports: (file) => languageOf(file) !== undefined || promptFormatOf(file) !== undefined || isNotebook(file) });
  if (discovery.files.length + discovery.unsupported.length === 0 && !options.quiet) {
    process.stderr.write(`secure-ai-lint: no Python, JavaScript, TypeScript or notebook files found in ${options.paths.join(", ")}\n`);
  }
  const analysed = await analyse(discovery.files, options.jobs, engineOptions, options.fix);
  // Named files of other kinds are listed as skipped, with the engine's own explanation.
  const unsupported = discovery.unsupported.map((file) => ({
    file,
    result: { findings: [], skipped: unsupportedNotice(file), ruleFailures: [], syntaxErrors: [] },
    findingLines: [],
  }));
  const outcomes = [...analysed, ...unsupported].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const report: ScanReport = { version, cwd, rules: RULES.map(({ meta }) => meta), outcomes };
  if (options.baseline !== undefined) report.baseline = await baselineFor(report, path.resolve(cwd, options.baseline), options.updateBaseline);
  if (!options.quiet) {
    const notes = [
      ...(options.fix ? fixSummary(outcomes, (file) => displayPath(cwd, file)) : []),
      ...(options.updateBaseline ? [`recorded ${baselineEntries(report, report.baseline!.directory).length} findings in ${options.baseline}`] : []),
    ];
    for (const note of notes) process.stderr.write(`secure-ai-lint: ${note}\n`);
  }

  const rendered = render(report, options);
  if (options.output === undefined) process.stdout.write(rendered);
  else await writeReport(options.output, rendered);

  const errors = errorsOf(report).length;
  if (errors > 0) {
    if (options.format !== "text" || options.output !== undefined) {
      process.stderr.write(`secure-ai-lint: ${errors === 1 ? "1 error" : `${errors} errors`} during analysis; the report lists them.\n`);
    }
    return 2;
  }
  const threshold = SEVERITY_RANK[options.failOn];
  return findingsOf(report).some(({ finding }) => SEVERITY_RANK[finding.severity] >= threshold) ? 1 : 0;
}

/** The options of `scan`, or undefined when --help asks for its help instead. */
function parseScanOptions(args: readonly string[]): ScanOptions | undefined {
  const { values, positionals } = parse("scan", args, {
    format: { type: "string", short: "f", default: "text" },
    output: { type: "string", short: "o" },
    "fail-on": { type: "string", default: "error" },
    exclude: { type: "string", multiple: true, default: [] },
    "max-file-size": { type: "string" },
    jobs: { type: "string", short: "j" },
    "no-color": { type: "boolean", default: false },
    quiet: { type: "boolean", short: "q", default: false },
    baseline: { type: "string" },
    "update-baseline": { type: "boolean", default: false },
    fix: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) return undefined;
  if (values["update-baseline"] && values.baseline === undefined) throw new UsageError("scan", "--update-baseline needs --baseline <file>: the file to write");
  return {
    paths: positionals.length > 0 ? positionals : ["."],
    format: oneOf("scan", "--format", values.format, SCAN_FORMATS),
    output: values.output,
    failOn: oneOf("scan", "--fail-on", values["fail-on"], SEVERITIES),
    exclude: values.exclude,
    maxFileSize: positiveInteger("--max-file-size", values["max-file-size"]),
    jobs: positiveInteger("--jobs", values.jobs) ?? availableParallelism(),
    color: !values["no-color"] && !process.env.NO_COLOR && values.output === undefined && process.stdout.isTTY === true,
    quiet: values.quiet,
    baseline: values.baseline,
    updateBaseline: values["update-baseline"],
    fix: values.fix,
  };
}

async function discover(paths: readonly string[], options: DiscoverOptions): Promise<Discovery> {
  try {
    return await discoverFiles(paths, options);
  } catch (error) {
    throw error instanceof PathError ? new UsageError("scan", error.message) : error;
  }
}

function render(report: ScanReport, options: ScanOptions): string {
  switch (options.format) {
    case "json":
      return formatJson(report);
    case "sarif":
      return formatSarif(report);
    case "text":
      return formatText(report, { color: options.color, quiet: options.quiet });
  }
}

async function writeReport(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (error) {
    throw new Error(`could not write the report to ${file}: ${messageOf(error)}`);
  }
}

/**
 * Two passes: code files first, then prompt template files (.prompty, .prompt) with the bindings
 * the code files found, since what a prompt file's variables receive is decided by the code that renders it.
 */
async function analyse(files: readonly string[], jobs: number, engineOptions: EngineOptions, fix: boolean): Promise<FileOutcome[]> {
  if (files.length === 0) return [];
  const promptFiles = files.filter((file) => promptFormatOf(file) !== undefined);
  const codeFiles = files.filter((file) => promptFormatOf(file) === undefined);
  const pool = createScanPool({ jobs: Math.min(jobs, files.length), engineOptions });
  try {
    const code = await pool.scan(codeFiles, { fix });
    const bindings = code.flatMap((outcome) => ("result" in outcome ? (outcome.result.promptBindings ?? []) : []));
    const prompts = await pool.scan(promptFiles, { contextFor: (file) => ({ promptBindings: bindings.filter((b) => bindingNamesFile(file, b)) }) });
    return [...code, ...prompts];
  } finally {
    await pool.close();
  }
}

async function rules(args: readonly string[]): Promise<number> {
  const { values } = parse("rules", args, {
    format: { type: "string", short: "f", default: "text" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    process.stdout.write(RULES_HELP);
    return 0;
  }
  const format = oneOf("rules", "--format", values.format, RULES_FORMATS);
  process.stdout.write(formatRules(RULES.map(({ meta }) => meta), format));
  return 0;
}

async function lsp(args: readonly string[]): Promise<undefined | number> {
  // VS Code's client adds --clientProcessId; the server reads it, and --stdio, from process.argv itself.
  const { values } = parse("lsp", args, {
    stdio: { type: "boolean", default: false },
    clientProcessId: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    process.stdout.write(LSP_HELP);
    return 0;
  }
  if (!values.stdio) throw new UsageError("lsp", "missing --stdio: the language server talks over standard input and output");
  // The server is its own bundle next to this one; loading it starts it (it reads --stdio from the arguments).
  require(path.join(__dirname, "server.js"));
  return undefined;
}

function parse<T extends NonNullable<ParseArgsConfig["options"]>>(command: string, args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: command === "scan", strict: true });
  } catch (error) {
    // Node's messages go on to explain `--`; the first sentence is the one that helps.
    const message = messageOf(error).split(/\.\s/)[0];
    throw new UsageError(command, message.charAt(0).toLowerCase() + message.slice(1));
  }
}

function oneOf<T extends string>(command: string, flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(command, `invalid value '${value}' for ${flag}: expected ${allowed.join(", ")}`);
}

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^[1-9]\d*$/.test(value)) return Number(value);
  throw new UsageError("scan", `invalid value '${value}' for ${flag}: expected a positive whole number`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// A reader that stops early (`secure-ai-lint scan | head`) is no failure of the scan.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

main(process.argv.slice(2)).then(
  (status) => {
    if (status !== undefined) process.exitCode = status;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      const help = error.command ? `secure-ai-lint ${error.command} --help` : "secure-ai-lint --help";
      process.stderr.write(`secure-ai-lint: ${error.message}\nRun '${help}' for usage.\n`);
    } else {
      process.stderr.write(`secure-ai-lint: ${messageOf(error)}\n`);
    }
    process.exitCode = 2;
  },
);
