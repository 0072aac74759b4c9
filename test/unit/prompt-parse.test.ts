/** Reading prompt template files: front matter, role sections, variables and the section each sits in. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePrompt, type ParsedPrompt } from "../../server/src/engine/prompts/parse";

const at = (text: string, p: ParsedPrompt) => p.variables.map((v) => ({ name: v.name, role: v.role, text: text.slice(v.span.start, v.span.end) }));

test("prompty: front matter, implicit system section, role markers, variables per section", () => {
  const text = "---\nname: Demo\nmodel:\n  api: chat\n---\nYou help with {{topic}}.\n\nuser:\n{{ question | trim }}\n\n# Assistant:\nSure, {{question}}.\n";
  const p = parsePrompt(text, "prompty");
  assert.deepEqual(p.frontMatter, { name: "Demo", model: { api: "chat" } });
  assert.deepEqual(p.syntaxErrors, []);
  assert.deepEqual(p.sections.map((s) => s.role), ["system", "user", "assistant"]);
  assert.deepEqual(at(text, p), [
    { name: "topic", role: "system", text: "{{topic}}" },
    { name: "question", role: "user", text: "{{ question | trim }}" },
    { name: "question", role: "assistant", text: "{{question}}" },
  ]);
});

test("prompty: loops stand for the input they iterate; tests, comments and dynamic role lines print nothing", () => {
  const text = "system:\n{% for doc in documents %}{{ doc.text }}{% endfor %}\n{% if flag %}x{% endif %}{# {{secret}} #}\n{% for m in history %}\n{{m.role}}:\n{{m.content}}\n{% endfor %}\n";
  const p = parsePrompt(text, "prompty");
  assert.deepEqual(at(text, p), [
    { name: "documents", role: "system", text: "{{ doc.text }}" },
    { name: "history", role: "dynamic", text: "{{m.content}}" },
  ]);
});

test("dotprompt: text before a role helper is a user message; role helpers, each blocks, helpers with arguments", () => {
  const text = '---\nmodel: googleai/gemini-2.5-flash\n---\nHi {{name}}\n{{role "system"}}\n{{#each docs as |d|}}{{d.body}} {{@index}}{{/each}}\n{{media url=photo}} {{json filters}} {{#if vip}}VIP{{/if}}\n{{!-- {{hidden}} --}}{{history}}\n{{role "user"}}\n{{{raw}}}\n';
  const p = parsePrompt(text, "dotprompt");
  assert.deepEqual(p.sections.map((s) => s.role), ["user", "system", "user"]);
  assert.deepEqual(at(text, p), [
    { name: "name", role: "user", text: "{{name}}" },
    { name: "docs", role: "system", text: "{{d.body}}" },
    { name: "photo", role: "system", text: "{{media url=photo}}" },
    { name: "filters", role: "system", text: "{{json filters}}" },
    { name: "raw", role: "user", text: "{{{raw}}}" },
  ]);
});

test("invalid or unclosed front matter is a syntax error with a range, never a throw, and the body is still read", () => {
  const broken = "---\nname: [unclosed\n---\nsystem:\n{{x}}\n";
  const p = parsePrompt(broken, "prompty");
  assert.equal(p.frontMatter, undefined);
  assert.equal(p.syntaxErrors.length > 0, true);
  assert.ok(p.syntaxErrors.every((e) => e.span.start >= 4 && e.span.end <= broken.indexOf("\n---") + 1 && /YAML/.test(e.message)));
  assert.deepEqual(at(broken, p), [{ name: "x", role: "system", text: "{{x}}" }]);

  const unclosed = parsePrompt("---\nname: x\nsystem:\n{{x}}\n", "prompty");
  assert.equal(unclosed.syntaxErrors.length, 1);
  assert.match(unclosed.syntaxErrors[0].message, /never closed/);
  assert.deepEqual(unclosed.variables, []);
});

test("a file without front matter is all body", () => {
  const p = parsePrompt("{{role 'system'}}\nBe {{tone}}.", "dotprompt");
  assert.equal(p.frontMatter, undefined);
  assert.deepEqual(p.variables.map((v) => [v.name, v.role]), [["tone", "system"]]);
});
