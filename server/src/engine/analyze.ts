/**
 * The engine's entry point: text + path in, findings out. Pure: no LSP, no VS Code,
 * no file system. Shared by the language server, the CLI and the report generators.
 */
import { MODELS } from "../../../rules/models";
import { RULES } from "../../../rules";
import { AnalysisTimeout, runDataflow, type DataflowResult } from "./dataflow";
import { DEFAULT_MAX_FILE_BYTES, languageOf, promptFormatOf, tooLargeNotice, unsupportedNotice } from "./files";
import type { IRFile, Language } from "./ir";
import { LineIndex } from "./lines";
import { compileKnowledge, type Knowledge } from "./models/knowledge";
import { parseJavaScript, type JavaScriptReuse } from "./parse/javascript";
import { disposePythonReuse, initPython, parsePython, type PythonReuse } from "./parse/python";
import { analyzePromptFile, promptBindingsOf } from "./prompts/check";
import type { RuleContext, RuleReport } from "./rule";
import type { AnalysisContext, AnalysisResult, Engine, EngineOptions, Finding, Fix, SkipNotice } from "./types";
import { FixKit, type FixProposal } from "./fixes/kit";
import { applySuppressions, SUPPRESSION_MARKER, SUPPRESSION_RULE_ID } from "./suppressions";

export const DEFAULT_TIME_BUDGET_MS = 2000;

/** Safe fixes first; edits as ranges. */
function toFixes(proposals: FixProposal[], lines: LineIndex): Fix[] {
  return [...proposals]
    .sort((a, b) => Number(b.safe) - Number(a.safe))
    .map((p) => ({ title: p.title, safe: p.safe, edits: p.edits.map((e) => ({ range: lines.range(e.span), newText: e.newText })) }));
}
/** Rules that read the text itself (hard-coded keys): they run on files without an LLM SDK too. */
const TEXT_RULES = RULES.map((r) => r.rule).filter((r) => r.textTrigger !== undefined);
const TEXT_RULE_IDS = new Set(TEXT_RULES.map((r) => r.meta.id));
const KNOWN_RULE_IDS = new Set(RULES.map((r) => r.meta.id));
const SUPPRESSION_RULE = RULES.find((r) => r.meta.id === SUPPRESSION_RULE_ID)!;

/** Documents whose syntax trees are kept for incremental re-parsing (open editors, in practice). */
const MAX_KEPT_DOCUMENTS = 32;

interface KeptDocument {
  python: PythonReuse;
  javascript: JavaScriptReuse;
}

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  await initPython();
  const models = [...MODELS, ...(options.extraModels ?? [])];
  // Each language sees only its own models: `search` is a harmless string method in JS and `re.search` in Python.
  const forLanguage = (lang: "python" | "javascript") => compileKnowledge(models.filter((m) => m.languages.includes(lang)));
  return new DefaultEngine({ python: forLanguage("python"), javascript: forLanguage("javascript") }, options);
}

/** Bundled or generated JS: very long lines that no one reads or edits by hand. */
function looksMinified(text: string, lines: LineIndex): boolean {
  if (text.length < 4096) return false;
  return text.length / lines.lineCount > 300 || lines.longestLine() > 20_000;
}

class DefaultEngine implements Engine {
  readonly rules = RULES.map((r) => r.meta);
  /** Most recently used last. */
  private readonly kept = new Map<string, KeptDocument>();

  constructor(
    private readonly knowledge: Record<"python" | "javascript", Knowledge>,
    private readonly options: EngineOptions,
  ) {}

  forget(filePath: string): void {
    const doc = this.kept.get(filePath);
    if (!doc) return;
    disposePythonReuse(doc.python);
    this.kept.delete(filePath);
  }

  private keptFor(filePath: string): KeptDocument | undefined {
    if (!this.options.incremental) return undefined;
    let doc = this.kept.get(filePath);
    if (doc) this.kept.delete(filePath);
    else {
      doc = { python: {}, javascript: {} };
      const oldest = this.kept.keys().next();
      if (this.kept.size >= MAX_KEPT_DOCUMENTS && !oldest.done) this.forget(oldest.value);
    }
    this.kept.set(filePath, doc);
    return doc;
  }

  supports(filePath: string): boolean {
    return languageOf(filePath) !== undefined || promptFormatOf(filePath) !== undefined;
  }

  analyze(text: string, filePath: string, context?: AnalysisContext): AnalysisResult {
    const result: AnalysisResult = { findings: [], ruleFailures: [], syntaxErrors: [] };
    const promptFormat = promptFormatOf(filePath);
    if (promptFormat) {
      const skipped = this.precheck(text);
      if (skipped) return { ...result, skipped };
      return analyzePromptFile(text, filePath, promptFormat, new LineIndex(text), context?.promptBindings ?? [], { rules: RULES, overrides: this.options.ruleSeverities ?? {} });
    }
    const language = languageOf(filePath);
    if (!language) return { ...result, skipped: unsupportedNotice(filePath) };
    const skipped = this.precheck(text);
    if (skipped) return { ...result, skipped };
    const kb = this.knowledge[language === "python" ? "python" : "javascript"];
    // Flow rules need an LLM SDK (or a checked API) in the file, text rules their own trigger:
    // files that offer neither are not parsed at all.
    const flows = kb.mentionsLlmModule(text);
    if (!flows && !TEXT_RULES.some((r) => r.textTrigger!.test(text))) return result;

    const lines = new LineIndex(text);
    if (language !== "python" && looksMinified(text, lines)) {
      return { ...result, skipped: { reason: "minified", message: "This file looks minified or generated; it is not analysed." } };
    }
    let dataflow: DataflowResult = { hits: [], checks: [] };
    let ir: IRFile | undefined;
    if (flows) {
      try {
        const kept = this.keptFor(filePath);
        ir = language === "python" ? parsePython(text, kept?.python) : parseJavaScript(text, filePath, kept?.javascript);
      } catch (err) {
        return { ...result, ruleFailures: [{ ruleId: "parser", error: String(err) }] };
      }
      result.syntaxErrors = ir.syntaxErrors.map((s) => lines.range(s));
      const budget = this.options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
      try {
        dataflow = runDataflow(ir, kb, Date.now() + budget);
      } catch (err) {
        if (err instanceof AnalysisTimeout) {
          return { ...result, skipped: { reason: "timeout", message: `Analysis took longer than ${budget} ms and was stopped; this file is not checked.` } };
        }
        return { ...result, ruleFailures: [{ ruleId: "dataflow", error: err instanceof Error ? err.stack ?? err.message : String(err) }] };
      }
    }
    const ran = this.runRules(dataflow, new FixKit(text, language, ir), lines, result);
    if (text.includes(SUPPRESSION_MARKER)) this.suppress(text, filePath, ir, flows ? ran : ran.filter((id) => TEXT_RULE_IDS.has(id)), lines, result);
    const promptBindings = promptBindingsOf(dataflow.hits, filePath, lines);
    if (promptBindings.length) result.promptBindings = promptBindings;
    result.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
    return result;
  }

  private precheck(text: string): SkipNotice | undefined {
    const max = this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (text.length > max / 4) {
      const bytes = Buffer.byteLength(text, "utf8");
      if (bytes > max) return tooLargeNotice(bytes, max);
    }
    if (text.slice(0, 8192).includes("\u0000")) return { reason: "binary", message: "This file looks binary; it is not analysed." };
    return undefined;
  }

  /** Returns the ids of the rules that checked the file. */
  private runRules(dataflow: DataflowResult, fix: FixKit, lines: LineIndex, result: AnalysisResult): string[] {
    const { text, language } = fix;
    const overrides = this.options.ruleSeverities ?? {};
    const ran: string[] = [];
    for (const { rule, meta } of RULES) {
      const override = overrides[meta.id];
      if (override === "off" || (meta.languages && !meta.languages.includes(language === "python" ? "python" : "javascript"))) continue;
      // Audit rules are heuristics a team opts into by giving them a severity.
      if (meta.confidence === "audit" && override === undefined) continue;
      const ctx: RuleContext = {
        hits: dataflow.hits,
        checks: dataflow.checks,
        text,
        language,
        fix,
        report: (r: RuleReport) => result.findings.push(this.toFinding(meta, r, override, lines)),
      };
      try {
        rule.check?.(ctx);
        ran.push(meta.id);
      } catch (err) {
        result.ruleFailures.push({ ruleId: meta.id, error: err instanceof Error ? err.stack ?? err.message : String(err) });
      }
    }
    return ran;
  }

  /**
   * Drops the findings that inline suppressions cover and reports the suppressions that are wrong or
   * unused. A file analysed by text rules only has no IR: it is parsed here for its comments.
   */
  private suppress(text: string, filePath: string, ir: IRFile | undefined, activeRules: string[], lines: LineIndex, result: AnalysisResult): void {
    let comments = ir?.comments;
    try {
      comments ??= (languageOf(filePath) === "python" ? parsePython(text) : parseJavaScript(text, filePath)).comments;
    } catch (err) {
      result.ruleFailures.push({ ruleId: SUPPRESSION_RULE_ID, error: String(err) });
      return;
    }
    const outcome = applySuppressions({ text, lines, comments, findings: result.findings, knownRules: KNOWN_RULE_IDS, activeRules: new Set(activeRules) });
    result.findings = outcome.findings;
    const override = this.options.ruleSeverities?.[SUPPRESSION_RULE_ID];
    if (override === "off") return;
    for (const problem of outcome.problems) result.findings.push(this.toFinding(SUPPRESSION_RULE.meta, problem, override, lines));
  }

  private toFinding(meta: (typeof RULES)[number]["meta"], r: RuleReport, override: Finding["severity"] | undefined, lines: LineIndex): Finding {
    return {
      ruleId: meta.id,
      severity: override ?? r.severity ?? meta.severity,
      message: r.message,
      range: lines.range(r.span),
      path: r.path.map((s) => ({ range: lines.range(s.span), message: s.message })),
      owasp: meta.owasp,
      cwe: meta.cwe,
      atlas: meta.atlas,
      ...(r.fixes?.length ? { fixes: toFixes(r.fixes, lines) } : {}),
    };
  }
}
