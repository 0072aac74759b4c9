import { checkLabel, reportChecks, type Rule } from "../../server/src/engine/rule";
import { unsafeModelLoadFixes } from "./fix";

const MESSAGES: Record<string, string> = {
  "torch-load-without-weights-only": "unpickles the file, which can run any code it contains. Pass `weights_only=True`, or load safetensors.",
  "pickled-model-load": "unpickles the model file, which can run any code it contains. Load models only from files you produced, or switch to safetensors / ONNX.",
  "dangerous-deserialization-enabled": "unpickles the stored index, which can run any code it contains. Load only indexes you built yourself, from storage nobody else can write.",
};

const rule: Rule = {
  meta: {
    id: "unsafe-model-load",
    title: "Model or index loaded with pickle",
    summary: "A model or vector index is loaded through pickle (torch.load without weights_only, joblib, allow_dangerous_deserialization=True); load weights-only or safetensors instead.",
    severity: "warning",
    confidence: "high",
    owasp: ["LLM03:2025"],
    cwe: ["CWE-502"],
    atlas: ["AML.T0010"],
    languages: ["python"],
  },
  check(ctx) {
    reportChecks(ctx, Object.keys(MESSAGES), (hit) => `${checkLabel(hit)} ${MESSAGES[hit.check.id]}`, undefined, (hit) => unsafeModelLoadFixes(ctx.fix, hit));
  },
};

export default rule;
