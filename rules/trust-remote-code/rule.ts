import { checkLabel, reportChecks, type Rule } from "../../server/src/engine/rule";
import { trustRemoteCodeFixes } from "./fix";

const rule: Rule = {
  meta: {
    id: "trust-remote-code",
    title: "Model repository code trusted and run",
    summary: "A model or dataset is loaded with trust_remote_code=True, which runs Python from the repository; pin a reviewed revision or use a model that needs no custom code.",
    severity: "warning",
    confidence: "high",
    owasp: ["LLM03:2025"],
    cwe: ["CWE-494"],
    atlas: ["AML.T0010"],
    languages: ["python"],
  },
  check(ctx) {
    reportChecks(
      ctx,
      ["trust-remote-code"],
      (hit) =>
        `${checkLabel(hit)} downloads and runs Python code from the model repository, so whoever controls that repository (or a later commit to it) runs code here. Use a model that needs no custom code, or pin a reviewed \`revision=\` commit.`,
      undefined,
      (hit) => trustRemoteCodeFixes(ctx.fix, hit),
    );
  },
};

export default rule;
