import type { Language } from "../wasm-runtime/index.ts";
import { C_LANGUAGE } from "../wasm-runtime/languages/c.ts";
import { INTERPRETERS } from "../wasm-runtime/languages/index.ts";
import type { ErrorMark } from "./components/CodeEditor.tsx";
import { pythonErrorMarks } from "./python-errors.ts";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every `PATH:LINE…` at the start of a stderr line that `pattern` (built around the escaped path) matches, as marks. */
function marksAt(stderr: string, pattern: (path: string) => RegExp, path: string): ErrorMark[] {
  const regex = pattern(escape(path));
  return stderr.split("\n").flatMap((line) => {
    const m = regex.exec(line);
    return m ? [{ line: Number(m[1]), message: m[2]!.trim() }] : [];
  });
}

/**
 * Ruby prints the innermost frame first: `main.rb:3:in 'Integer#/': divided by 0
 * (ZeroDivisionError)`, or `main.rb:2: syntax errors found (SyntaxError)`.
 */
export function rubyErrorMarks(stderr: string, scriptPath: string): ErrorMark[] {
  return marksAt(stderr, (path) => new RegExp(`^${path}:(\\d+):(?:in '[^']*':)?(.*)$`), scriptPath).slice(0, 1);
}

/** clang reports each error as `main.c:4:10: error: message`; warnings and notes are not marked. */
export function cErrorMarks(stderr: string, sourcePath: string): ErrorMark[] {
  return marksAt(stderr, (path) => new RegExp(`^${path}:(\\d+):\\d+: ((?:fatal )?error: .*)$`), sourcePath);
}

/** QuickJS prints the message, then frames innermost first: `    at f (/workspace/main.js:2)` or `    at /workspace/main.js:1`. */
export function javascriptErrorMarks(stderr: string, scriptPath: string): ErrorMark[] {
  const message = stderr.split("\n", 1)[0]!.trim();
  const frame = new RegExp(`^\\s+at (?:.* \\()?${escape(scriptPath)}:(\\d+)\\)?$`, "m").exec(stderr);
  return frame ? [{ line: Number(frame[1]), message }] : [];
}

/** Lua: `lua: /workspace/main.lua:2: attempt to …`. */
export function luaErrorMarks(stderr: string, scriptPath: string): ErrorMark[] {
  return marksAt(stderr, (path) => new RegExp(`^lua: ${path}:(\\d+):(.*)$`), scriptPath);
}

/** The SQLite shell: `Parse error near line 2: no such table: nope` (lines of the script it reads). */
export function sqlErrorMarks(stderr: string): ErrorMark[] {
  return stderr.split("\n").flatMap((line) => {
    const m = /^(?:Parse error|Runtime error|Error:) near line (\d+): (.*)$/.exec(line);
    return m ? [{ line: Number(m[1]), message: m[2]! }] : [];
  });
}

/** The lines of the user's code that a failed run's stderr points at, for the editor to mark. */
export function errorMarks(language: Language | "c", stderr: string): ErrorMark[] {
  switch (language) {
    case "python":
      return pythonErrorMarks(stderr, INTERPRETERS.python.scriptPath);
    case "ruby":
      return rubyErrorMarks(stderr, INTERPRETERS.ruby.scriptPath);
    case "c":
      return cErrorMarks(stderr, C_LANGUAGE.sourcePath);
    case "javascript":
      return javascriptErrorMarks(stderr, INTERPRETERS.javascript.scriptPath);
    case "lua":
      return luaErrorMarks(stderr, INTERPRETERS.lua.scriptPath);
    case "sql":
      return sqlErrorMarks(stderr);
    default:
      return [];
  }
}
