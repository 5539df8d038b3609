import type { Interpreter } from "./index.ts";

/**
 * Ruby 3.4 (ruby.wasm, stdlib built in) runs the user's code saved as
 * /workspace/main.rb. The module is ruby.wasm's reactor made a command at build
 * time (module/ruby-command.ts): argv is `ruby SCRIPT ARGS…`, nothing else.
 */
export const ruby: Interpreter = {
  title: "Ruby 3.4",
  runtime: "ruby",
  command: "ruby",
  extensions: [".rb"],
  editorLanguage: "ruby",
  scriptPath: "/workspace/main.rb",
  files: {},
  env: {},
  args: (userArgs) => [ruby.scriptPath, ...userArgs],
};
