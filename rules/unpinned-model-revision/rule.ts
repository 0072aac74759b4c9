import { checkLabel, reportChecks, type Rule } from "../../server/src/engine/rule";

const rule: Rule = {
  meta: {
    id: "unpinned-model-revision",
    title: "Hugging Face model loaded without a pinned revision",
    summary: "A Hugging Face model is downloaded without revision=, so a new commit to the repository changes what runs; pin a commit hash.",
    severity: "info",
    confidence: "audit",
    owasp: ["LLM03:2025"],
    cwe: ["CWE-1357"],
    atlas: ["AML.T0010"],
    languages: ["python"],
  },
  check(ctx) {
    reportChecks(
      ctx,
      ["unpinned-model-revision"],
      (hit) => `${checkLabel(hit)} takes whatever the repository's default branch holds when it runs. Pin \`revision=\` to a commit hash you reviewed.`,
    );
  },
};

export default rule;
