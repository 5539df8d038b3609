import type { Program } from "../types.ts";
import { C_LANGUAGE } from "./c.ts";
import { javascript } from "./javascript.ts";
import { lua } from "./lua.ts";
import { python } from "./python.ts";
import { ruby } from "./ruby.ts";
import { sql } from "./sql.ts";

/**
 * How source code of one language becomes a WASI command: an interpreter
 * (a runtime module served by name) runs the user's code saved in the
 * workspace. Engines, the CLI and the page all read this one table, so adding a
 * language is adding an entry.
 */
export interface Interpreter {
  /** Shown to people: "Python 3.12". */
  title: string;
  /** The runtime module's name (`public/runtimes/<runtime>.wasm`, the manifest's `name`). */
  runtime: string;
  /** The command's name (the shell's word for it); argv[0] unless `argv0` says otherwise. */
  command: string;
  /**
   * argv[0] when it must differ from `command`: an interpreter that looks for
   * its own files next to argv[0] should look under /playpen, where reads are
   * always allowed, not at the root, where each look is a denial.
   */
  argv0?: string;
  /** File extensions the CLI maps to this language, with the dot. */
  extensions: readonly string[];
  /** Monaco's language id for the editor. */
  editorLanguage: string;
  /** Where the user's code is saved before the run. */
  scriptPath: string;
  /** Support files mounted read-only under /playpen, outside the user's workspace. */
  files: Readonly<Record<string, string>>;
  /** Variables the interpreter needs; the run's own environment wins. */
  env: Readonly<Record<string, string>>;
  /** The command's arguments after argv[0], around the user's arguments. */
  args(userArgs: readonly string[]): string[];
}

/** Every interpreted language, in the order the page lists them. */
export const INTERPRETERS = {
  python,
  javascript,
  sql,
  lua,
  ruby,
} as const satisfies Record<string, Interpreter>;

/** Languages whose programs are source code run by an interpreter. */
export type ScriptLanguage = keyof typeof INTERPRETERS;

export const SCRIPT_LANGUAGES = Object.keys(INTERPRETERS) as ScriptLanguage[];

export function isScriptLanguage(language: string): language is ScriptLanguage {
  return Object.hasOwn(INTERPRETERS, language);
}

/**
 * The shell is not an interpreter an engine runs: the shell layer
 * (wasm-runtime/shell) runs each of its commands as a program in a sandbox.
 * It is listed beside the interpreters for the page and the CLI.
 */
export const SHELL = { title: "Shell (busybox)", extensions: [".sh"], editorLanguage: "shell" } as const;

/** Languages whose programs are source code: the interpreted ones, the shell and C (compiled in the sandbox). */
export type SourceLanguage = ScriptLanguage | "shell" | "c";

export const SOURCE_LANGUAGES: SourceLanguage[] = [...SCRIPT_LANGUAGES, "shell", "c"];

/** How the page and the CLI present a source language. */
export function presentationOf(language: SourceLanguage): { title: string; extensions: readonly string[]; editorLanguage: string } {
  return language === "shell" ? SHELL : language === "c" ? C_LANGUAGE : INTERPRETERS[language];
}

/** The runtime command a language's runs start with, to load ahead of the first run: its interpreter, or clang for C. */
export function firstCommandOf(language: Program["language"]): { runtime: string; command: string } | undefined {
  if (language === "c") return { runtime: C_LANGUAGE.runtime, command: "clang" };
  return isScriptLanguage(language) ? INTERPRETERS[language] : undefined;
}

/** Support files of every interpreter, for a sandbox that may run any of them. */
export function interpreterFiles(): Record<string, string> {
  return Object.assign({}, ...Object.values(INTERPRETERS).map((i: Interpreter) => i.files));
}

/** What a runtime needs beside its module: the support files and variables of the interpreters built on it. */
export function runtimeSupport(runtime: string): { files: Record<string, string>; env: Record<string, string> } {
  const users = Object.values(INTERPRETERS).filter((i: Interpreter) => i.runtime === runtime);
  return { files: Object.assign({}, ...users.map((i) => i.files)), env: Object.assign({}, ...users.map((i) => i.env)) };
}

/** An interpreted program's code and where it is saved before the run; undefined for the other kinds. */
export function scriptOf(program: Program): { path: string; code: string } | undefined {
  if (program.language === "wasm" || program.language === "command" || program.language === "shell" || program.language === "c") return undefined;
  return { path: INTERPRETERS[program.language].scriptPath, code: program.code };
}

/** How a program starts: the runtime it needs (none for a raw module), argv, and the variables it needs. */
export function launchOf(program: Program, userArgs: readonly string[]): { runtime?: string; argv: string[]; env: Record<string, string> } {
  switch (program.language) {
    case "wasm":
      return { argv: [(program.name ?? "program.wasm").split("/").pop()!, ...userArgs], env: {} };
    case "command":
      return { runtime: program.runtime, argv: [program.command, ...userArgs], env: runtimeSupport(program.runtime).env };
    case "shell":
      throw new Error("a shell script is run by the shell (wasm-runtime/shell) over a sandbox, not by an engine");
    case "c":
      throw new Error("C is compiled and run by compileAndRunC (wasm-runtime/languages/c.ts) over a sandbox, not by an engine");
    default: {
      const interpreter = INTERPRETERS[program.language];
      return { runtime: interpreter.runtime, argv: [interpreter.command, ...interpreter.args(userArgs)], env: { ...interpreter.env } };
    }
  }
}

/** argv[0] as the guest gets it on an engine that runs modules itself (not wasmer, where argv[0] names the package command). */
export function guestArgv0(runtime: string | undefined, command: string): string {
  const interpreter = Object.values(INTERPRETERS).find((i: Interpreter) => i.runtime === runtime && i.command === command);
  return interpreter?.argv0 ?? command;
}
