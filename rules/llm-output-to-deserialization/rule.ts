import { reportFlows, sinkLabel, type Rule } from "../../server/src/engine/rule";
import { deserializationFixes } from "./fix";

const rule: Rule = {
  meta: {
    id: "llm-output-to-deserialization",
    title: "Model output deserialised unsafely",
    summary: "Model output is deserialised by a format that can run code (pickle, unsafe YAML); parse it as JSON and validate it instead.",
    severity: "error",
    confidence: "high",
    owasp: ["LLM05:2025"],
    cwe: ["CWE-502"],
    atlas: ["AML.T0102"],
  },
  check(ctx) {
    reportFlows(ctx, {
      sinks: ["deserialize"],
      taints: ["model"],
      severity: () => "error",
      fixes: (hit) => deserializationFixes(ctx.fix, hit),
      message: (t, hit) =>
        `Model output from ${t.label} reaches ${sinkLabel(hit)}, a format that can build arbitrary objects and run code. Parse it as JSON (or yaml.safe_load) and validate it instead.`,
    });
  },
};

export default rule;
