/**
 * Fixes that scope what an agent's tools may do. Tools whose arguments reach a dangerous call ask
 * a person first, where the framework has a switch for it: OpenAI Agents `@function_tool` gets
 * `needs_approval=True`, an AI SDK `tool({...})` gets `needsApproval: true` (unsafe: the run
 * pauses until the application approves, so it has to handle approval requests). A
 * `FileManagementToolkit()` gets a root folder and read-only tools (unsafe: the folder is a
 * placeholder to choose, and tools that write are gone). `allow_dangerous_requests=True` /
 * `allow_dangerous_code=True` are dropped (unsafe: the toolkit or agent then refuses to start).
 * Other Python tools ask at the console first (unsafe: only right for agents run from a terminal).
 */
import type { CheckHit, SinkHit } from "../../server/src/engine/dataflow";
import { addKeywordArgument, addProperty, enclosingFunctions, joinInsertions, removeArgumentWithValue, type EnclosingFunction } from "../../server/src/engine/fixes/edits";
import type { FixKit, FixProposal } from "../../server/src/engine/fixes/kit";
import { insertBefore } from "../../server/src/engine/fixes/shapes";

const FILES_ROOT = "AGENT_FILES_ROOT";
const READ_ONLY_FILE_TOOLS = '["read_file", "list_directory"]';

export function toolApprovalFixes(kit: FixKit, hit: SinkHit): FixProposal[] {
  const chain = enclosingFunctions(kit, hit.span);
  for (const fn of chain) {
    const fixes = kit.isPython ? functionToolApproval(kit, fn) : aiSdkToolApproval(kit, fn);
    if (fixes) return fixes;
  }
  // A Python tool with no approval switch of its own asks at the console before it acts.
  const tool = hit.taints.find((t) => t.tool !== undefined)?.tool;
  const def = chain.find((fn) => fn.statement && fn.func.name === tool)?.statement;
  return kit.isPython && def ? consoleApproval(kit, def) : [];
}

const CONFIRM_HELPER = `def confirm_tool_call(tool: str, arguments: dict) -> bool:
    """Asks the person at the console before an agent tool acts on the model's arguments."""
    answer = input(f"The agent wants to run {tool} with {arguments!r}. Allow? [y/N] ")
    return answer.strip().lower() in {"y", "yes"}`;

/** `if not confirm_tool_call("run", {"cmd": cmd}): return "…"` as the tool's first statement. */
function consoleApproval(kit: FixKit, def: NonNullable<EnclosingFunction["statement"]>): FixProposal[] {
  const body = def.func.body;
  const isDocstring = (st: (typeof body)[number]) => st.kind === "expr" && st.expr.kind === "str";
  const first = body.find((st) => !isDocstring(st));
  const params = def.func.params.filter((p) => !p.rest && !p.kwrest && !p.pattern && !(p.index === 0 && (p.name === "self" || p.name === "cls")));
  if (!first || params.length === 0) return [];
  const args = `{${params.map((p) => `"${p.name}": ${p.name}`).join(", ")}}`;
  const guard = insertBefore(kit, first, [`if not confirm_tool_call("${def.func.name}", ${args}):`, `    return "The user declined this action."`]);
  if (!guard) return [];
  return [
    {
      title: "Ask the person at the console before the tool runs (for agents run from a terminal)",
      safe: false,
      edits: joinInsertions([kit.ensureHelper("confirm_tool_call", CONFIRM_HELPER)]).concat(guard),
    },
  ];
}

function functionToolApproval(kit: FixKit, fn: EnclosingFunction): FixProposal[] | undefined {
  const decorator = fn.statement?.func.decorators.find((d) => importedAs(kit, d.kind === "call" ? d.callee : d, "agents", "function_tool"));
  if (!decorator) return undefined;
  const edit = decorator.kind === "call" ? addKeywordArgument(kit, decorator, "needs_approval", "True") : { span: decorator.span, newText: `${kit.slice(decorator.span)}(needs_approval=True)` };
  return edit ? [{ title: "Ask for approval before the tool runs (needs_approval=True; the application must approve or reject)", safe: false, edits: [edit] }] : [];
}

function aiSdkToolApproval(kit: FixKit, fn: EnclosingFunction): FixProposal[] | undefined {
  const [options, call] = (fn.expr && kit.at(fn.expr.span)?.ancestors) ?? [];
  if (options?.kind !== "object" || call?.kind !== "call" || call.args[0]?.value !== options || !importedAs(kit, call.callee, "ai", "tool")) return undefined;
  const edit = addProperty(kit, options, "needsApproval", "true");
  return edit ? [{ title: "Ask for approval before the tool runs (needsApproval: true; the UI must handle approval requests)", safe: false, edits: [edit] }] : [];
}

export function toolCheckFixes(kit: FixKit, hit: CheckHit): FixProposal[] {
  if (hit.check.id === "dangerous-tool-flag") {
    const removal = removeArgumentWithValue(kit, hit.span);
    const flag = hit.check.label.replace(/`|=True/g, "");
    return removal ? [{ title: `Remove ${flag} (the toolkit then refuses to start)`, safe: false, edits: [removal] }] : [];
  }
  if (hit.check.id === "unscoped-file-toolkit") {
    const call = kit.callAt(hit.span)?.expr;
    if (!call) return [];
    const selected = call.kwargs.some((k) => k.name === "selected_tools");
    const rootEdit = addKeywordArgument(kit, call, "root_dir", selected ? FILES_ROOT : `${FILES_ROOT}, selected_tools=${READ_ONLY_FILE_TOOLS}`);
    if (!rootEdit) return [];
    return [
      {
        title: `Confine the toolkit to ${FILES_ROOT} (set it to the folder the agent may use)${selected ? "" : " with read-only tools"}`,
        safe: false,
        edits: joinInsertions([kit.ensureConstant(FILES_ROOT, '"workspace"'), rootEdit]),
      },
    ];
  }
  return [];
}

/** `name` or `module.name` as the file imports it. */
function importedAs(kit: FixKit, e: { kind: string; name?: string; object?: { kind: string; name?: string } }, module: string, name: string): boolean {
  const imports = kit.ir?.imports ?? [];
  if (e.kind === "name") return imports.some((i) => i.local === e.name && i.module === module && i.name === name);
  return e.kind === "attr" && e.name === name && e.object?.kind === "name" && imports.some((i) => i.local === e.object!.name && i.module === module && i.name === null);
}
