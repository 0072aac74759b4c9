import { reportFlows, sinkLabel, type Rule } from "../../server/src/engine/rule";
import { shellFixes } from "./fix";

const rule: Rule = {
  meta: {
    id: "llm-output-to-shell",
    title: "Model output run as an OS command",
    summary: "Model output reaches a shell or chooses the program to run; run a fixed program with an argument list and check the model's choice against an allowlist.",
    severity: "error",
    confidence: "high",
    owasp: ["LLM05:2025"],
    cwe: ["CWE-78"],
    atlas: ["AML.T0102"],
  },
  check(ctx) {
    reportFlows(ctx, {
      sinks: ["shell", "argv"],
      taints: ["model"],
      // A fixed program that only receives the model's text as an argument is not command injection.
      accept: (hit) => hit.spec.kind === "shell" || hit.detail === "program" || hit.detail === "shell",
      severity: () => "error",
      fixes: (hit) => shellFixes(ctx.fix, hit),
      message: (t, hit) =>
        hit.spec.kind === "argv" && hit.detail === "program"
          ? `Model output from ${t.label} chooses the program that ${sinkLabel(hit)} runs. Map the model's choice to a fixed program through an allowlist.`
          : `Model output from ${t.label} reaches a shell through ${sinkLabel(hit)}, so whoever steers the model runs commands on this machine. Run a fixed program with an argument list (no shell) and check the model's choice against an allowlist.`,
    });
  },
};

export default rule;
