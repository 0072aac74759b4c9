/** Public shapes of the engine: what analysis returns to the server, the CLI and the reports. */

export type Severity = "error" | "warning" | "info";

/** Zero-based line and UTF-16 column, as in LSP. The CLI's JSON output converts lines to 1-based. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** One step of a dataflow path: where the value came from, each hop, and the sink. */
export interface PathStep {
  range: Range;
  message: string;
  /** The step's file, when it is not the finding's own (code that renders a prompt file): an absolute path. */
  file?: string;
}

/**
 * Data that code passes into one variable of a prompt template file it renders. Code analysis
 * yields these; the analysis of the prompt file uses them.
 */
export interface PromptBinding {
  format: "prompty" | "dotprompt";
  /** The prompt file as the code names it: its trailing path segments, `/`-separated (`prompts/support.prompty`). */
  target: string;
  /** The template variable, or `*` when the code passes an object whose keys are unknown. */
  input: string;
  kind: "untrusted" | "indirect" | "model";
  /** What produced the data: "Flask request.args". */
  label: string;
  /** Source → steps → the render call; every step carries the code file. */
  path: PathStep[];
}

/** What the analysis of one file may use from the analysis of others. */
export interface AnalysisContext {
  /** Bindings found in code files; a prompt file uses those that name it. */
  promptBindings?: readonly PromptBinding[];
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A proposed change that removes a finding. */
export interface Fix {
  title: string;
  /** Keeps what the code does for legitimate input and needs nothing new installed; only safe fixes are applied by fix-all and `--fix`. */
  safe: boolean;
  edits: TextEdit[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Source → steps → sink, in order. Empty for findings that are not flows. */
  path: PathStep[];
  owasp: string[];
  cwe: string[];
  atlas: string[];
  /** Fixes the rule offers, safe ones first. */
  fixes?: Fix[];
}

export interface SkipNotice {
  reason: "too-large" | "minified" | "binary" | "unsupported" | "timeout";
  message: string;
}

export interface RuleFailure {
  ruleId: string;
  error: string;
}

export interface AnalysisResult {
  findings: Finding[];
  /** Set when the file was not analysed; `findings` is then empty. */
  skipped?: SkipNotice;
  /** A rule that threw on this file: the other rules' findings are still returned. */
  ruleFailures: RuleFailure[];
  /** Ranges the parser could not read; analysis covers the rest. */
  syntaxErrors: Range[];
  /** Prompt template files this code file renders, and what their variables receive. */
  promptBindings?: PromptBinding[];
}

/** What every consumer (server, CLI, reports) knows about a rule. */
export interface RuleMeta {
  id: string;
  title: string;
  /** One sentence: the problem and the remedy. */
  summary: string;
  severity: Severity;
  /** "high": default-on precision. "audit": heuristic, off unless enabled. */
  confidence: "high" | "audit";
  owasp: string[];
  cwe: string[];
  atlas: string[];
  /** Code languages the rule applies to; all when absent; none for rules that check prompt template files. */
  languages?: Array<"python" | "javascript">;
  /** The rule's Markdown doc (What it does / Why is this bad? / Example / Use instead / Fix safety / References). */
  docs: string;
}

export interface EngineOptions {
  /** Files larger than this are skipped with a notice. Default 1 MiB. */
  maxFileBytes?: number;
  /** Analysis of one file stops (skipped, reason "timeout") after this many milliseconds. Default 2000. */
  timeBudgetMs?: number;
  /** Per-rule severity overrides and "off". */
  ruleSeverities?: Record<string, Severity | "off">;
  /**
   * Keep each document's syntax tree between calls so an edit re-parses only what changed
   * (the language server); `forget` releases a document.
   */
  incremental?: boolean;
  /** Project knowledge (from the project config) layered over the built-in SDK models. */
  extraModels?: import("./models/schema").ModelFile[];
}

export interface Engine {
  readonly rules: readonly RuleMeta[];
  /** True when the file's extension is one the engine analyses (code or prompt template files). */
  supports(filePath: string): boolean;
  /** Never throws: failures come back as `skipped` or `ruleFailures`. */
  analyze(text: string, filePath: string, context?: AnalysisContext): AnalysisResult;
  /** Drops what incremental analysis kept for a document (when it is closed). */
  forget(filePath: string): void;
}
