import type { SinkKind } from "../../server/src/engine/models/schema";
import { checkLabel, reportChecks, reportFlows, sinkLabel, type Rule } from "../../server/src/engine/rule";
import { toolApprovalFixes, toolCheckFixes } from "./fix";

/** What the tool does with the argument the model chose, and what scopes it. */
const EFFECT: Partial<Record<SinkKind, { does: string; remedy: string; severity: "error" | "warning" }>> = {
  shell: { does: "runs in a shell through", remedy: "Run a fixed program with an argument list and check the argument against an allowlist, or require approval.", severity: "error" },
  argv: { does: "picks the program run by", remedy: "Map the model's choice to a fixed program through an allowlist, or require approval.", severity: "error" },
  "code-eval": { does: "runs as code through", remedy: "Run model-written code only in a sandbox (a container or a code-interpreter service), or require approval.", severity: "error" },
  deserialize: { does: "is deserialised by", remedy: "Parse it as JSON and validate it.", severity: "error" },
  sql: { does: "runs as SQL through", remedy: "Run a parameterised query the tool owns, or give the tool a read-only connection and an allowlist of tables.", severity: "warning" },
  path: { does: "opens as a file path through", remedy: "Resolve the path under a fixed root and refuse anything outside it (`Path.resolve().is_relative_to(root)` / `path.relative`).", severity: "warning" },
  url: { does: "fetches as a URL through", remedy: "Check the host against an allowlist before fetching.", severity: "warning" },
};

const CHECKS: Record<string, { message: string; severity: "error" | "warning" }> = {
  "dangerous-agent-tool": { severity: "error", message: "gives the agent a shell or a code interpreter on this machine: whatever steers the model (a user, a web page, a document) runs commands here. Use a sandboxed interpreter, or a narrow tool of your own that checks its arguments." },
  "unscoped-file-toolkit": { severity: "warning", message: "lets the agent read, write, move and delete any file the process can reach. Pass `root_dir=` and only the `selected_tools` the agent needs (read-only if it only reads)." },
  "dangerous-tool-flag": { severity: "error", message: "turns off LangChain's own guard: the agent can then make arbitrary HTTP requests or run Python on this machine. Keep it off, or run the agent in a sandbox with no credentials and no network it should not reach." },
  "writable-sql-agent": { severity: "warning", message: "connects the SQL agent with a connection that can write: the model can run UPDATE, DELETE or DROP. Connect as a read-only database user (or `?mode=ro` for SQLite) and limit `include_tables`." },
};

const rule: Rule = {
  meta: {
    id: "unscoped-agent-tool",
    title: "Agent tool with no scope, allowlist, sandbox or approval",
    summary: "An agent tool runs shell commands or code, opens files, fetches URLs or runs SQL with the arguments the model chose, with nothing in the way; scope it with an allowlist, a root directory, a sandbox or human approval.",
    severity: "error",
    confidence: "high",
    owasp: ["LLM06:2025"],
    cwe: ["CWE-250", "CWE-78"],
    atlas: ["AML.T0053"],
  },
  check(ctx) {
    reportFlows(ctx, {
      sinks: Object.keys(EFFECT) as SinkKind[],
      taints: ["model"],
      toolArguments: true,
      // A fixed program that only receives the model's text as an argument is scoped by that program.
      accept: (hit) => hit.spec.kind !== "argv" || hit.detail === "program" || hit.detail === "shell",
      severity: (_t, hit) => EFFECT[hit.spec.kind]!.severity,
      message: (t, hit) => {
        const effect = EFFECT[hit.spec.kind]!;
        const does = hit.spec.kind === "argv" && hit.detail === "shell" ? EFFECT.shell!.does : effect.does;
        return `The model chooses ${t.label}, which the tool ${does} ${sinkLabel(hit)} with no allowlist, sandbox or human approval in the way. ${effect.remedy}`;
      },
      fixes: (hit) => toolApprovalFixes(ctx.fix, hit),
    });
    for (const [id, { message, severity }] of Object.entries(CHECKS)) reportChecks(ctx, [id], (hit) => `${checkLabel(hit)} ${message}`, severity, (hit) => toolCheckFixes(ctx.fix, hit));
  },
};

export default rule;
