import type { Interpreter } from "./index.ts";

/** Lua 5.4 (compiled to WASI) runs the user's code saved as /workspace/main.lua; `arg` holds the arguments. */
export const lua: Interpreter = {
  title: "Lua 5.4",
  runtime: "lua",
  command: "lua",
  extensions: [".lua"],
  editorLanguage: "lua",
  scriptPath: "/workspace/main.lua",
  files: {},
  // wasi-libc starts in "/": the shims enter $PWD, so relative paths and require() mean the workspace.
  env: { PWD: "/workspace" },
  args: (userArgs) => [lua.scriptPath, ...userArgs],
};
