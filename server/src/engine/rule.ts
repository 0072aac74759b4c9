/** What a rule module is, and the helper most rules use: report the flows that reach certain sinks. */
import type { Language, Span } from "./ir";
import type { SinkKind, TaintKind } from "./models/schema";
import type { CheckHit, SinkHit } from "./dataflow";
import type { RuleMeta, Severity } from "./types";
import { stepsToArray, type Step, type Taint } from "./values";
import type { FixKit, FixProposal } from "./fixes/kit";

export interface RuleReport {
  severity?: Severity;
  message: string;
  span: Span;
  path: Step[];
  fixes?: FixProposal[];
}

export interface RuleContext {
  /** Tainted data reaching sinks. */
  readonly hits: readonly SinkHit[];
  /** Calls that are findings by themselves (models' `checks`). */
  readonly checks: readonly CheckHit[];
  readonly text: string;
  readonly language: Language;
  /** The IR and edit helpers, for fixes. */
  readonly fix: FixKit;
  report(r: RuleReport): void;
}

export interface Rule {
  meta: Omit<RuleMeta, "docs">;
  /** For rules that read the text itself: files matching it are analysed even without an LLM SDK. */
  textTrigger?: RegExp;
  /** Code rules: the dataflow of a Python, JavaScript or TypeScript file. */
  check?(ctx: RuleContext): void;
  /** Prompt-file rules (with `languages: []`): a prompt template file and what code passes into it. */
  checkPromptFile?(ctx: import("./prompts/check").PromptFileContext): void;
}

/** Reports every call check with one of these ids, at the argument or call it names. */
export function reportChecks(
  ctx: RuleContext,
  ids: string[],
  message: (hit: CheckHit) => string,
  severity?: Severity,
  fixes?: (hit: CheckHit) => FixProposal[],
): void {
  for (const hit of ctx.checks) {
    if (!ids.includes(hit.check.id)) continue;
    ctx.report({ severity, message: message(hit), span: hit.span, path: [], fixes: fixes?.(hit) });
  }
}

export function checkLabel(hit: CheckHit): string {
  const segments = displayCallee(hit.callee).replace(/\(\)/g, "").split(".");
  // `Class.method` reads best; a module prefix (`tools.ShellTool`) adds nothing.
  const short = segments.length > 1 && /^[A-Z]/.test(segments[segments.length - 2]) ? segments.slice(-2).join(".") : segments[segments.length - 1];
  return hit.check.label.replace("{callee}", short);
}

/** Human name of a called API: `builtins.eval` → `eval`, `globalThis.Function` → `Function`. */
export function displayCallee(symbol: string): string {
  return symbol.replace(/^(builtins|globalThis)\./, "").replace(/\(\)/g, "()");
}

export function sinkLabel(hit: SinkHit): string {
  return hit.spec.label.replace("{callee}", displayCallee(hit.callee));
}

const KIND_RANK: Record<string, number> = { untrusted: 0, model: 0, indirect: 1 };

export interface FlowRuleOptions {
  sinks: SinkKind[];
  taints: TaintKind[];
  /** Drops hits the rule does not cover (e.g. argv hits where the model only picks an argument). */
  accept?: (hit: SinkHit) => boolean;
  /**
   * Model output that arrives as an agent tool's argument is the tool rule's business: rules
   * see either only those taints (true) or none of them (default).
   */
  toolArguments?: boolean;
  severity: (taint: Taint, hit: SinkHit) => Severity;
  message: (taint: Taint, hit: SinkHit) => string;
  fixes?: (hit: SinkHit, taint: Taint) => FixProposal[];
}

/**
 * Reports each sink location once, for its most direct source, with the path
 * source → steps → sink.
 */
export function reportFlows(ctx: RuleContext, o: FlowRuleOptions): void {
  const best = new Map<string, { hit: SinkHit; taint: Taint }>();
  for (const hit of ctx.hits) {
    if (!o.sinks.includes(hit.spec.kind) || (o.accept && !o.accept(hit))) continue;
    for (const taint of hit.taints) {
      if (!o.taints.includes(taint.kind as TaintKind) || (taint.tool !== undefined) !== (o.toolArguments ?? false)) continue;
      const key = `${hit.span.start}:${hit.span.end}`;
      const prev = best.get(key);
      if (!prev || KIND_RANK[taint.kind] < KIND_RANK[prev.taint.kind]) best.set(key, { hit, taint });
    }
  }
  for (const { hit, taint } of best.values()) {
    ctx.report({
      severity: o.severity(taint, hit),
      message: o.message(taint, hit),
      span: hit.span,
      path: [taint.origin, ...stepsToArray(taint.steps), { span: hit.span, message: `reaches ${sinkLabel(hit)}` }],
      fixes: o.fixes?.(hit, taint),
    });
  }
}
