import { BUSYBOX_APPLETS } from "../languages/busybox.ts";
import { INTERPRETERS, type Interpreter } from "../languages/index.ts";
import type { Program } from "../types.ts";
import { resolvePath } from "./paths.ts";

/** Busybox's applets; each runs as `busybox` with argv[0] = the applet (the shell's builtins come first). */
export const BUSYBOX_COMMANDS: ReadonlySet<string> = new Set(BUSYBOX_APPLETS);

/** Other names people use for an interpreter's command. */
const ALIASES: Record<string, string> = { python3: "python", node: "qjs" };

/** A command line ready to run: the program, its arguments, and variables it needs from the shell. */
export interface Launch {
  program: Program;
  args: string[];
  env: Record<string, string>;
}

/**
 * The WASI program behind a command name: an interpreter's command (python,
 * qjs, sqlite3, lua, ruby… from the language registry) or a busybox applet.
 * Undefined when there is none: "command not found". Paths (`./x.wasm`) are
 * loaded by the caller.
 */
export function launchFor(name: string, args: string[], cwd: string): Launch | undefined {
  const command = ALIASES[name] ?? name;
  const interpreter = Object.values(INTERPRETERS).find((i: Interpreter) => i.command === command);
  if (interpreter) {
    const adapted = ADAPTERS[interpreter.command]?.(args, cwd) ?? { args, env: {} };
    return { program: { language: "command", runtime: interpreter.runtime, command: interpreter.command }, ...adapted };
  }
  if (command === "busybox" && args[0] && BUSYBOX_COMMANDS.has(args[0])) return launchFor(args[0], args.slice(1), cwd);
  if (BUSYBOX_COMMANDS.has(command)) return { program: { language: "command", runtime: "busybox", command }, args, env: {} };
  return undefined;
}

type Adapter = (args: string[], cwd: string) => { args: string[]; env: Record<string, string> };

const ADAPTERS: Record<string, Adapter> = {
  /**
   * CPython makes the script's path absolute against WASI's initial folder "/"
   * before its start-up code changes to $PWD, so a relative script path is
   * resolved here. Unbuffered, so output streams as it is printed.
   */
  python: (args, cwd) => {
    const out = [...args];
    for (let i = 0; i < out.length; i++) {
      const arg = out[i]!;
      if (arg === "-c" || arg === "-m" || arg === "-") break;
      if (arg.startsWith("-")) continue;
      out[i] = resolvePath(cwd, arg);
      break;
    }
    return { args: out, env: { PYTHONUNBUFFERED: "1" } };
  },
};
