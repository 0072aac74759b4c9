/**
 * The shape of SDK and framework knowledge (rules/models/*.json and the `models`
 * section of a project config). Every pattern is a symbol pattern (see patterns.ts).
 */

/** What kind of data a source produces. */
export type TaintKind =
  /** Direct user input: request data, argv, stdin, MCP handler arguments. */
  | "untrusted"
  /** Content an attacker may have written that reaches the app indirectly: web pages, files, retrieved documents. */
  | "indirect"
  /** Text a model produced. */
  | "model"
  /** Personal data, by the name it is read through or its declared type (`user.email`, `EmailStr`). */
  | "pii"
  /** A credential: API key, password, token, connection string (by name, or a literal that looks like one). */
  | "secret";

/** Where a sink's dangerous value sits in a call. `"$receiver"` is the object a method is called on. */
export type ArgSelector =
  /** Positional argument index. */
  | number
  /**
   * A named argument: a Python keyword argument, or the property of that name in the
   * first object-literal argument of a JS call (the options-object convention).
   */
  | string;

export type SinkKind =
  | "system-prompt"
  | "code-eval"
  | "shell"
  /** An argv list or program name: the model picks what runs or its arguments. */
  | "argv"
  /** A SQL query string that is executed. */
  | "sql"
  /** Markup rendered as HTML (or a template rendered with its engine). */
  | "html"
  /** The URL of a server-side HTTP request. */
  | "url"
  /** A file-system path that is opened, written, listed or deleted. */
  | "path"
  /** Bytes or text deserialised by a format that can build arbitrary objects. */
  | "deserialize"
  /** What a logger, `print`, error tracker or telemetry span writes out. */
  | "log"
  /** What an LLM call sends to the model provider (prompts, messages, system text, embedding input). */
  | "llm-input"
  /** A variable of a prompt template file (`.prompty`, `.prompt`); recorded for `promptFiles` renders, not declared by models. */
  | "prompt-template";

export interface SinkSpec {
  kind: SinkKind;
  /** Calls whose argument is the sink. */
  call?: string | string[];
  /** Instead of a call: an assigned property (`el.innerHTML = …`), by name, on any object. */
  property?: string | string[];
  /** Alternatives tried in order; the first present one is the sink value (calls only). */
  arg?: ArgSelector | ArgSelector[];
  /** Field path inside the argument (`config.system_instruction`); `a|b` alternatives per step. */
  path?: string[];
  /**
   * `value` (default): the whole value is the sink.
   * `messages`: a list of chat messages; the content of system- and developer-role
   * messages (objects with `role`/`content`, or `("system", text)` tuples) is the sink.
   * `argv-rest`: every positional argument from `arg` on forms an argv (`os.execlp(prog, prog, *args)`).
   * `all-args`: every positional argument is the sink (`new Function(a, b, body)`).
   * `every-arg`: every positional and keyword argument is the sink (`logger.info(msg, *args, **fields)`).
   * `program-args`: `arg` is the program and the next positional argument its argument list (`spawn(cmd, args)`).
   */
  shape?: "value" | "messages" | "argv-rest" | "program-args" | "all-args" | "every-arg";
  /** Only when these named arguments (same lookup as `arg`) are truthy, e.g. `shell=True`. */
  when?: ArgSelector[];
  /** Only when these named arguments are absent or falsy. */
  whenNot?: ArgSelector[];
  /** Only a sink when the value's known leading text matches this regular expression (`^\\s*<` for HTML). */
  requiresPrefix?: string;
  /** Not a sink when the named argument is one of these symbols (`yaml.load(s, Loader=yaml.SafeLoader)`). */
  safeWhen?: Array<{ arg: ArgSelector; symbols: string[] }>;
  /** Human name used in messages: "OpenAI chat completion system message". */
  label: string;
}

export interface SourceSpec {
  kind: TaintKind;
  /** Calls whose result is the source. A leading `*.` matches the method name on any receiver. */
  call?: string | string[];
  /** Attribute reads whose value is the source (`flask.request.args`, `sys.argv`). */
  attr?: string | string[];
  /**
   * Not a source when this input is a constant: a positional argument index, or "receiver".
   * Reading a file is indirect input, but reading the app's own prompt file at a fixed path is not.
   */
  unlessConstant?: number | "receiver";
  label: string;
}

export interface SanitizerSpec {
  call: string | string[];
  /** Taint kinds removed; all kinds when omitted. */
  kinds?: TaintKind[];
  /** Sink kinds the result is safe for (e.g. shlex.quote for "shell", DOMPurify for "html"); all when omitted. */
  sinks?: SinkKind[];
  /** Not a sanitizer when the object it is called on was built with one of these options set (`html: true`). */
  receiverWhenNot?: string[];
  label: string;
}

/**
 * Functions whose parameters receive untrusted data because of how they are registered:
 * decorated route handlers, callbacks passed to a router, exported route handlers.
 */
export interface HandlerSpec {
  /** Decorator symbol (called or not): `flask.Flask().route`. */
  decorator?: string | string[];
  /** A call that receives the handler as a function argument: `express().get`. */
  callbackOf?: string | string[];
  /**
   * Where `callbackOf` calls take the function: argument indexes, keyword names or (JS) the
   * options object's property names (`tool({ execute })`). A list value registers each function
   * in it (`create_react_agent(model, tools=[f, g])`). Default: every positional argument.
   */
  callbackArg?: ArgSelector[];
  /** Methods (`methods`) of classes that extend one of these (`class Search(BaseTool): def _run`). */
  subclassOf?: string | string[];
  methods?: string[];
  /** Exported JS function names (Next.js route handlers). */
  exportedName?: string[];
  /**
   * "all": every parameter except `self`/`cls` is filled by the framework.
   * An object maps a parameter index to "untrusted" or to a type symbol the parameter
   * is an instance of (whose attributes and methods other specs describe).
   */
  params: "all" | Record<string, string>;
  /**
   * What fills the parameters: request data ("untrusted", the default) or arguments a model
   * chooses when it calls the function as a tool ("tool").
   */
  taint?: "untrusted" | "tool";
  /** Not a handler when the registration (decorator call or `callbackOf` call) sets one of these (`needs_approval=True`). */
  unlessArg?: ArgSelector[];
  /** Parameters whose default value is a call to one of these are not user input (FastAPI `Depends`). */
  skipDefaults?: string[];
  /** Parameters annotated with these types are not user input themselves. */
  skipTypes?: string[];
  label: string;
}

/**
 * A call that is a finding by itself, whatever data flows into it, when its arguments
 * say so: `from_pretrained(..., trust_remote_code=True)`, `torch.load(f)` without
 * `weights_only=True`. Rules select checks by `id`.
 */
export interface CheckSpec {
  id: string;
  call: string | string[];
  /** Only when all of these arguments are truthy. */
  when?: ArgSelector[];
  /** Only when none of these arguments is truthy (absent counts as falsy). */
  whenNot?: ArgSelector[];
  /** Only when these arguments are given as `None` / `null` (`max_iterations=None` turns a limit off). */
  whenNull?: ArgSelector[];
  /**
   * Not when this argument is given and is not a string literal failing `matches` (a regular
   * expression): `revision="main"` is no pin, `revision="3f2a…"` and `revision=REV_FROM_ENV` are.
   */
  unlessLiteral?: { arg: ArgSelector; matches: string };
  /** Report at this argument instead of the whole call. */
  at?: ArgSelector;
  /** Only inside these contexts: a loop, or a function the framework calls per request or per tool call. */
  within?: Array<"loop" | "handler">;
  label: string;
}

/** Parameters that are an instance of a type because of their name, when a module is imported (Django's `request`). */
export interface ParamTypeSpec {
  name: string;
  whenImported: string;
  type: string;
}

/**
 * Calls that use a prompt template file (`.prompty`, Dotprompt `.prompt`). A `load` returns the prompt
 * its literal path (`file`) or name (`name`, in the registry's directory) names; a `render` fills the
 * variables of a loaded prompt, or of the file its literal path names, from `inputs`; a `registry`
 * creates the object prompts are loaded from by name, with its prompt directory in `dir`.
 */
export interface PromptFileSpec {
  action: "load" | "render" | "registry";
  format: "prompty" | "dotprompt";
  call: string | string[];
  /** load: the file's path, relative to the calling file or the working directory. */
  file?: ArgSelector[];
  /** load: the prompt's name; the file is `<dir>/<name>[.<variant>].prompt`. */
  name?: ArgSelector[];
  variant?: ArgSelector[];
  /** registry: the prompt directory. */
  dir?: ArgSelector[];
  /** The prompt directory when the registry does not name one. */
  defaultDir?: string;
  /** render: where the prompt is: an argument, `$receiver` (`p.render(…)`) or `$callee` (`p(…)`). */
  prompt?: ArgSelector[];
  /** render: the object whose properties fill the template's variables. */
  inputs?: ArgSelector[];
  label: string;
}

export interface ModelFile {
  name: string;
  title: string;
  /** "llm" for model SDKs and frameworks; "web" for request sources; "runtime" for the language's own sinks. */
  category: "llm" | "web" | "runtime" | "agent" | "data";
  languages: Array<"python" | "javascript">;
  /** Module roots this model describes; used to skip files that import none of them. */
  modules: string[];
  /** Import paths rewritten to the canonical root they re-export (`"fastmcp": "mcp.server.fastmcp"`). */
  aliases?: Record<string, string>;
  sources?: SourceSpec[];
  sinks?: SinkSpec[];
  sanitizers?: SanitizerSpec[];
  handlers?: HandlerSpec[];
  paramTypes?: ParamTypeSpec[];
  /** Calls whose result carries no data of their arguments (`len`, `int`, `.startswith`). A leading `*.` matches any receiver. */
  barriers?: string[];
  /** Calls that stop and ask a person before going on (`input()`, `click.confirm`, LangGraph `interrupt`): tool arguments used after one are approved. */
  approvals?: string[];
  /** Calls that never return (`flask.abort`, `sys.exit`): a branch ending in one is an early exit. */
  noReturn?: string[];
  /** Calls that are findings by themselves (see CheckSpec). A model with checks makes its modules worth analysing. */
  checks?: CheckSpec[];
  /** Calls that load or render prompt template files (see PromptFileSpec). */
  promptFiles?: PromptFileSpec[];
}
