import type { Interpreter } from "./index.ts";

/**
 * QuickJS (compiled to WASI) runs the user's code saved as /workspace/main.js.
 * `--std` makes `std` and `os` globals as well as importable modules; the file
 * is a module when it uses import/export.
 */
export const javascript: Interpreter = {
  title: "JavaScript (QuickJS)",
  runtime: "quickjs",
  command: "qjs",
  extensions: [".js", ".mjs"],
  editorLanguage: "javascript",
  scriptPath: "/workspace/main.js",
  files: {},
  // wasi-libc starts in "/": the shims enter $PWD, so relative paths mean the workspace.
  env: { PWD: "/workspace" },
  args: (userArgs) => ["--std", javascript.scriptPath, ...userArgs],
};
