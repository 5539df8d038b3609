import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  { ignores: ["dist/", "public/", "node_modules/", ".cache/", "build/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    // Example programs for QuickJS: its std/os modules and argv are globals there (qjs --std).
    files: ["examples/js/**/*.js"],
    languageOptions: { globals: { std: "readonly", os: "readonly", scriptArgs: "readonly" } },
  },
  {
    files: ["web/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The core must stay framework-free: it runs in a worker and in Node.
    files: ["wasm-runtime/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["react", "react-dom", "../web/*", "../workers/*", "../../web/*", "../../workers/*"] }],
    },
  },
);
