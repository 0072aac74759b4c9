/**
 * Python: a command the model wrote that runs through a shell (`subprocess.run(cmd, shell=True)`,
 * `os.system(cmd)` as a statement, `asyncio.create_subprocess_shell(cmd)`) is split into an argv
 * with `shlex.split`, its program checked against `ALLOWED_COMMANDS`, and run without a shell.
 * Unsafe: pipes, redirections, globs, `&&` and variables stop working, and the allowlist is the
 * user's to write (an empty one is added when the module has none, which refuses every program).
 * JavaScript gets no fix: Node has no shell-quoting splitter, and splitting on spaces breaks
 * quoted arguments.
 */
import type { SinkHit } from "../../server/src/engine/dataflow";
import type { Expr, Stmt } from "../../server/src/engine/ir";
import type { CallExpr, FixKit, FixProposal, SpanEdit } from "../../server/src/engine/fixes/kit";
import { afterImports, hoistable, insertBefore, removeKeyword, topLevelValue, unusedName } from "../../server/src/engine/fixes/shapes";

const ALLOWLIST = "ALLOWED_COMMANDS";
const SUBPROCESS_WITH_SHELL = new Set(["subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"]);

export function shellFixes(kit: FixKit, hit: SinkHit): FixProposal[] {
  if (!kit.isPython || hit.spec.kind !== "shell") return [];
  const located = kit.callAt(hit.callSpan);
  if (!located || !hoistable(located.ancestors)) return [];
  const call = located.expr;
  const command = call.args[0]?.value;
  if (!command || call.args[0].spread || command.span.start !== hit.span.start || command.span.end !== hit.span.end) return [];
  if (!isWholeCommand(command) || kit.slice(command.span).includes("\n")) return [];
  const rewrite = rewriteCall(kit, hit.callee, call, located.statement);
  if (!rewrite) return [];
  const program = unusedName(kit, "program", "_", located.statement.span.start);
  const rest = unusedName(kit, "arguments", "_", located.statement.span.start);
  const guard = insertBefore(kit, located.statement, [
    `${program}, *${rest} = shlex.split(${kit.slice(command.span)})`,
    `if ${program} not in ${ALLOWLIST}:`,
    `    raise PermissionError(f"program outside ${ALLOWLIST}: {${program}}")`,
  ]);
  if (!guard) return [];
  const imports = [kit.ensureImport("shlex"), rewrite.needsSubprocess ? kit.ensureImport("subprocess") : undefined];
  const declaration = topLevelValue(kit, ALLOWLIST) ? [] : ["# Programs the model may run; any other program is refused.", `${ALLOWLIST}: tuple[str, ...] = ()`];
  const edits: SpanEdit[] = [...afterImports(kit, imports, declaration), guard, ...rewrite.edits(program, rest)];
  return [{ title: `Run the command without a shell, its program checked against ${ALLOWLIST}`, safe: false, edits }];
}

interface CallRewrite {
  needsSubprocess: boolean;
  edits(program: string, rest: string): SpanEdit[];
}

function rewriteCall(kit: FixKit, callee: string, call: CallExpr, statement: Stmt): CallRewrite | undefined {
  const command = call.args[0].value;
  if (SUBPROCESS_WITH_SHELL.has(callee)) {
    const shell = call.kwargs.find((k) => k.name === "shell");
    // With `executable=` the list's first item would only name the process, not choose the program.
    const plain = call.args.length === 1 && !call.kwargs.some((k) => k.name === "executable" || k.name === "**");
    const dropShell = shell && isTrue(shell.value) && plain ? removeKeyword(kit, call, "shell") : undefined;
    if (!dropShell) return undefined;
    return { needsSubprocess: false, edits: (program, rest) => [{ span: command.span, newText: `[${program}, *${rest}]` }, dropShell] };
  }
  if (callee === "os.system" && call.args.length === 1 && call.kwargs.length === 0) {
    // os.system returns a wait status, subprocess.run an object: only a discarded result keeps its meaning.
    if (statement.kind !== "expr" || statement.expr !== call) return undefined;
    return { needsSubprocess: true, edits: (program, rest) => [{ span: call.span, newText: `subprocess.run([${program}, *${rest}])` }] };
  }
  if (callee === "asyncio.create_subprocess_shell" && call.callee.kind === "attr" && call.args.length === 1) {
    const nameSpan = call.callee.nameSpan;
    return {
      needsSubprocess: false,
      edits: (program, rest) => [
        { span: nameSpan, newText: "create_subprocess_exec" },
        { span: command.span, newText: `${program}, *${rest}` },
      ],
    };
  }
  return undefined;
}

function isTrue(e: Expr): boolean {
  return e.kind === "const" && e.value === true;
}

/**
 * A command that is one value (a variable, a field, a call's result), not a template with the
 * model's text spliced in: splitting a spliced string lets quotes in the model's text add
 * arguments to the template's program, so those get no fix.
 */
function isWholeCommand(e: Expr): boolean {
  if (e.kind === "paren") return isWholeCommand(e.value);
  if (e.kind === "name" || e.kind === "attr" || e.kind === "index" || e.kind === "await") return true;
  return e.kind === "call" && !(e.callee.kind === "attr" && ["format", "join", "replace"].includes(e.callee.name));
}
