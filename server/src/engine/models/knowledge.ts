/** Compiles model files (SDK knowledge as data) into lookup tables the dataflow queries. */
import { createPatternTable, type PatternTable } from "./patterns";
import type { CheckSpec, HandlerSpec, ModelFile, ParamTypeSpec, SanitizerSpec, SinkSpec, SourceSpec } from "./schema";

export interface Knowledge {
  readonly models: readonly ModelFile[];
  callSources(symbol: string | undefined, method: string | undefined): SourceSpec[];
  attrSources(symbol: string): SourceSpec[];
  sinks(symbol: string | undefined, method: string | undefined): SinkSpec[];
  checks(symbol: string): CheckSpec[];
  /** Sinks that are assignments to a property of that name (`innerHTML`). */
  propertySinks(name: string): SinkSpec[];
  sanitizers(symbol: string | undefined, method: string | undefined): SanitizerSpec[];
  isBarrier(symbol: string | undefined, method: string | undefined): boolean;
  isNoReturn(symbol: string): boolean;
  handlersByDecorator(symbol: string): HandlerSpec[];
  handlersByCallback(symbol: string): HandlerSpec[];
  handlersByExportedName(name: string): HandlerSpec[];
  /** Handlers for methods of classes extending `baseSymbol`. */
  handlersBySubclass(baseSymbol: string): HandlerSpec[];
  /** True for calls that ask a person for approval before going on. */
  isApproval(symbol: string): boolean;
  paramTypes(name: string): ParamTypeSpec[];
  /** Rewrites an imported symbol (`openai.default`) to the canonical path models use (`openai.OpenAI`). */
  canonicalSymbol(symbol: string): string;
  /** True when the text mentions a module of an LLM model (or of a model with checks), so dataflow can find something. */
  mentionsLlmModule(text: string): boolean;
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Splits `*.method` patterns (any receiver) from symbol patterns. */
function splitMethodPatterns<T>(items: Array<[string, T]>): { symbols: Array<[string, T]>; methods: Map<string, T[]> } {
  const symbols: Array<[string, T]> = [];
  const methods = new Map<string, T[]>();
  for (const [pattern, value] of items) {
    if (pattern.startsWith("*.") && !pattern.slice(2).includes(".")) {
      for (const name of pattern.slice(2).replace(/[{}]/g, "").split(",")) {
        const list = methods.get(name) ?? [];
        list.push(value);
        methods.set(name, list);
      }
    } else symbols.push([pattern, value]);
  }
  return { symbols, methods };
}

function table<T>(items: Array<[string, T]>): PatternTable<T> {
  return createPatternTable(items);
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

export function compileKnowledge(models: readonly ModelFile[]): Knowledge {
  const callSourceItems: Array<[string, SourceSpec]> = [];
  const attrSourceItems: Array<[string, SourceSpec]> = [];
  const sinkItems: Array<[string, SinkSpec]> = [];
  const sanitizerItems: Array<[string, SanitizerSpec]> = [];
  const barrierItems: Array<[string, true]> = [];
  const noReturnItems: Array<[string, true]> = [];
  const checkItems: Array<[string, CheckSpec]> = [];
  const decoratorItems: Array<[string, HandlerSpec]> = [];
  const callbackItems: Array<[string, HandlerSpec]> = [];
  const subclassItems: Array<[string, HandlerSpec]> = [];
  const approvalItems: Array<[string, true]> = [];
  const exported = new Map<string, HandlerSpec[]>();
  const paramTypeMap = new Map<string, ParamTypeSpec[]>();
  const propertySinkMap = new Map<string, SinkSpec[]>();
  const aliases: Array<[string, string]> = [];
  const llmModules = new Set<string>();

  for (const model of models) {
    for (const s of model.sources ?? []) {
      for (const p of asList(s.call)) callSourceItems.push([p, s]);
      for (const p of asList(s.attr)) attrSourceItems.push([p, s]);
    }
    for (const s of model.sinks ?? []) {
      for (const p of asList(s.call)) sinkItems.push([p, s]);
      for (const name of asList(s.property)) propertySinkMap.set(name, [...(propertySinkMap.get(name) ?? []), s]);
    }
    for (const s of model.sanitizers ?? []) for (const p of asList(s.call)) sanitizerItems.push([p, s]);
    for (const p of model.barriers ?? []) barrierItems.push([p, true]);
    for (const p of model.noReturn ?? []) noReturnItems.push([p, true]);
    for (const p of model.approvals ?? []) approvalItems.push([p, true]);
    for (const c of model.checks ?? []) for (const p of asList(c.call)) checkItems.push([p, c]);
    for (const h of model.handlers ?? []) {
      for (const p of asList(h.decorator)) decoratorItems.push([p, h]);
      for (const p of asList(h.callbackOf)) callbackItems.push([p, h]);
      for (const p of asList(h.subclassOf)) subclassItems.push([p, h]);
      for (const name of h.exportedName ?? []) exported.set(name, [...(exported.get(name) ?? []), h]);
    }
    for (const t of model.paramTypes ?? []) paramTypeMap.set(t.name, [...(paramTypeMap.get(t.name) ?? []), t]);
    for (const [from, to] of Object.entries(model.aliases ?? {})) aliases.push([from, to]);
    if (model.category === "llm" || model.checks?.length) for (const m of model.modules) llmModules.add(m);
  }
  // Longest alias first, so `a.b` wins over `a`.
  aliases.sort((a, b) => b[0].length - a[0].length);

  const callSources = splitMethodPatterns(callSourceItems);
  const callSourceTable = table(callSources.symbols);
  const attrSourceTable = table(attrSourceItems);
  const sinks = splitMethodPatterns(sinkItems);
  const sinkTable = table(sinks.symbols);
  const sanitizers = splitMethodPatterns(sanitizerItems);
  const sanitizerTable = table(sanitizers.symbols);
  const barriers = splitMethodPatterns(barrierItems);
  const barrierTable = table(barriers.symbols);
  const noReturnTable = table(noReturnItems);
  const checkTable = table(checkItems);
  const decoratorTable = table(decoratorItems);
  const callbackTable = table(callbackItems);
  const subclassTable = table(subclassItems);
  const approvalTable = table(approvalItems);

  // Python mentions a module as a word (`import openai`, `from langchain_core...`);
  // JS as a quoted specifier (`from "ai"`, `require("@ai-sdk/openai")`).
  const words = [...llmModules].filter((m) => /^[\w.]+$/.test(m)).map((m) => `\\b${escapeRegExp(m)}\\b`);
  const quoted = [...llmModules].map((m) => `["'\`]${escapeRegExp(m)}(?:["'\`]|/)`);
  const trigger = new RegExp([...words, ...quoted].join("|"));

  return {
    models,
    callSources(symbol, method) {
      const bySymbol = symbol ? callSourceTable.match(symbol) : [];
      const byMethod = method ? callSources.methods.get(method) : undefined;
      return byMethod ? [...bySymbol, ...byMethod] : bySymbol;
    },
    attrSources: (symbol) => attrSourceTable.match(symbol),
    sinks(symbol, method) {
      const bySymbol = symbol ? sinkTable.match(symbol) : [];
      const byMethod = method ? sinks.methods.get(method) : undefined;
      return byMethod ? [...bySymbol, ...byMethod] : bySymbol;
    },
    propertySinks: (name) => propertySinkMap.get(name) ?? [],
    checks: (symbol) => checkTable.match(symbol),
    sanitizers(symbol, method) {
      const bySymbol = symbol ? sanitizerTable.match(symbol) : [];
      const byMethod = method ? sanitizers.methods.get(method) : undefined;
      return byMethod ? [...bySymbol, ...byMethod] : bySymbol;
    },
    isBarrier(symbol, method) {
      if (method && barriers.methods.has(method)) return true;
      return symbol !== undefined && barrierTable.match(symbol).length > 0;
    },
    isNoReturn: (symbol) => noReturnTable.match(symbol).length > 0,
    handlersByDecorator: (symbol) => decoratorTable.match(symbol),
    handlersByCallback: (symbol) => callbackTable.match(symbol),
    handlersByExportedName: (name) => exported.get(name) ?? [],
    handlersBySubclass: (symbol) => subclassTable.match(symbol),
    isApproval: (symbol) => approvalTable.match(symbol).length > 0,
    paramTypes: (name) => paramTypeMap.get(name) ?? [],
    canonicalSymbol(symbol) {
      // Aliases may chain (`@anthropic-ai/sdk.default` → `anthropic.default` → `anthropic.Anthropic`).
      for (let round = 0; round < 4; round++) {
        const hit = aliases.find(([from]) => symbol === from || symbol.startsWith(from + "."));
        if (!hit) break;
        symbol = hit[1] + symbol.slice(hit[0].length);
      }
      return symbol;
    },
    mentionsLlmModule: (text) => trigger.test(text),
  };
}
