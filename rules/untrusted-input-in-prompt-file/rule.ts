import * as path from "node:path";
import type { Rule } from "../../server/src/engine/rule";
import { isSystemRole } from "../../server/src/engine/prompts/parse";
import type { PromptBinding } from "../../server/src/engine/types";

const REPORTED_KINDS: ReadonlyArray<PromptBinding["kind"]> = ["untrusted", "indirect"];

const rule: Rule = {
  meta: {
    id: "untrusted-input-in-prompt-file",
    title: "Untrusted input in the system section of a prompt file",
    summary: "A .prompty or .prompt template puts a variable that code fills with untrusted input in its system section; keep the system section constant and move the variable to the user section.",
    severity: "error",
    confidence: "high",
    owasp: ["LLM01:2025"],
    cwe: ["CWE-1427"],
    atlas: ["AML.T0051.000", "AML.T0051.001"],
    languages: [],
  },
  checkPromptFile(ctx) {
    const file = path.basename(ctx.filePath);
    for (const variable of ctx.prompt.variables) {
      if (!isSystemRole(variable.role)) continue;
      const fed = ctx.bindings.filter((b) => REPORTED_KINDS.includes(b.kind) && (b.input === variable.name || b.input === "*"));
      // The most direct source decides the severity; one finding per variable occurrence.
      const binding = fed.find((b) => b.kind === "untrusted") ?? fed[0];
      if (!binding) continue;
      const section = `the ${variable.role} section of ${file}`;
      ctx.report({
        severity: binding.kind === "untrusted" ? "error" : "warning",
        message:
          binding.kind === "untrusted"
            ? `Untrusted input from ${binding.label} fills \`${variable.name}\` in ${section}, where it carries the authority of your instructions. Keep the system section constant and move the variable to the user section.`
            : `Content from ${binding.label}, which an attacker may have written, fills \`${variable.name}\` in ${section}. Move it to the user section as clearly delimited data, not instructions.`,
        span: variable.span,
        path: [...binding.path, { range: ctx.range(variable.span), message: `lands in ${section}` }],
      });
    }
  },
};

export default rule;
