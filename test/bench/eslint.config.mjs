// The ESLint setup the benchmark compares against: eslint-plugin-security's recommended rules on
// JavaScript and TypeScript, TypeScript parsed by typescript-eslint without type information.
import security from "eslint-plugin-security";
import tseslint from "typescript-eslint";

export default [
  {
    files: ["**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}"],
    ...security.configs.recommended,
  },
  {
    files: ["**/*.{ts,mts,cts,tsx}"],
    languageOptions: { parser: tseslint.parser },
  },
];
