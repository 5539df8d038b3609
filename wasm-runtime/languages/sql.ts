import type { Interpreter } from "./index.ts";

/**
 * The sqlite3 shell runs the user's script, saved as /workspace/main.sql, against
 * the database /workspace/db.sqlite, so tables persist from run to run in the
 * workspace. `-bail` stops at the first error, whose message names the line, with
 * exit status 1. The run's arguments are shell options placed before the database
 * (`-json`, `-header`, `-csv`, `-box`…).
 */
export const sql: Interpreter = {
  title: "SQL (SQLite 3.40)",
  runtime: "sqlite",
  command: "sqlite3",
  extensions: [".sql"],
  editorLanguage: "sql",
  scriptPath: "/workspace/main.sql",
  files: {},
  // The shell reads ~/.sqliterc and keeps history under HOME; without it, it asks the user database WASI lacks.
  env: { PWD: "/workspace", HOME: "/workspace" },
  args: (userArgs) => ["-batch", "-bail", ...userArgs, "/workspace/db.sqlite", `.read ${sql.scriptPath}`],
};
