/** The prompt-file grammars and languages the extension contributes are complete and point at files that exist. */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { repoRoot } from "../helpers/repo";

interface Manifest {
  activationEvents: string[];
  contributes: {
    languages?: Array<{ id: string; extensions?: string[]; configuration?: string }>;
    grammars?: Array<{ language: string; scopeName: string; path: string; embeddedLanguages?: Record<string, string> }>;
  };
}

const manifest = JSON.parse(readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as Manifest;
const EXPECTED = [
  { language: "prompty", extension: ".prompty", scopeName: "source.prompty" },
  { language: "dotprompt", extension: ".prompt", scopeName: "source.dotprompt" },
];

/** Every pattern of a grammar, so a broken regular expression fails here rather than silently in the editor. */
function regexesOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => regexesOf(n, out));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if ((key === "match" || key === "begin" || key === "end") && typeof value === "string") out.push(value);
      else regexesOf(value, out);
    }
  }
  return out;
}

for (const { language, extension, scopeName } of EXPECTED) {
  test(`${language}: language, grammar and activation are contributed`, () => {
    const lang = manifest.contributes.languages?.find((l) => l.id === language);
    assert.ok(lang, `no contributes.languages entry for ${language}`);
    assert.deepEqual(lang.extensions, [extension]);
    if (lang.configuration) assert.ok(existsSync(path.join(repoRoot(), lang.configuration)), `missing ${lang.configuration}`);
    const grammar = manifest.contributes.grammars?.find((g) => g.language === language);
    assert.ok(grammar, `no contributes.grammars entry for ${language}`);
    assert.equal(grammar.scopeName, scopeName);
    assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`));

    const file = path.join(repoRoot(), grammar.path);
    assert.ok(existsSync(file), `missing ${grammar.path}`);
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { scopeName: string; patterns: unknown[]; repository: Record<string, unknown> };
    assert.equal(parsed.scopeName, scopeName);
    const text = JSON.stringify(parsed);
    assert.ok(text.includes('"include":"source.yaml"'), "the front matter embeds YAML");
    for (const ref of text.match(/"include":"#[\w-]+"/g) ?? []) {
      const name = ref.slice('"include":"#'.length, -1);
      assert.ok(parsed.repository[name], `#${name} is included but not defined`);
    }
    for (const scope of Object.keys(grammar.embeddedLanguages ?? {})) assert.ok(text.includes(scope), `embedded scope ${scope} is never produced`);
  });

  test(`${language}: every grammar pattern compiles (Oniguruma-only syntax aside)`, () => {
    const grammar = manifest.contributes.grammars!.find((g) => g.language === language)!;
    const parsed = JSON.parse(readFileSync(path.join(repoRoot(), grammar.path), "utf8"));
    for (const source of regexesOf(parsed)) {
      const portable = source.replace(/\\A/g, "^").replace(/\\G/g, "").replace(/^\(\?i\)/, "");
      assert.doesNotThrow(() => new RegExp(portable), `pattern does not compile: ${source}`);
    }
  });
}

test("the client selects prompt-file documents", () => {
  const client = readFileSync(path.join(repoRoot(), "client", "src", "extension.ts"), "utf8");
  for (const { language } of EXPECTED) assert.match(client, new RegExp(`"${language}"`));
});
