import { ExitRequest, ShellError } from "./errors.ts";
import type { ShellFiles } from "./files.ts";
import type { Io } from "./io.ts";
import { resolvePath } from "./paths.ts";
import type { ShellState } from "./state.ts";

/** What a builtin works with: the shell's state, its streams and the policy-checked files. */
export interface BuiltinContext {
  state: ShellState;
  io: Io;
  files: ShellFiles;
}

type Builtin = (args: string[], ctx: BuiltinContext) => Promise<number> | number;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Commands the shell runs itself: they change its state, or are too small to start a WASI instance for. */
export const BUILTINS: Record<string, Builtin> = {
  ":": () => 0,
  true: () => 0,
  false: () => 1,
  echo: (args, { io }) => {
    let newline = true;
    let escapes = false;
    while (args[0] && /^-[neE]+$/.test(args[0])) {
      const flags = args.shift()!;
      if (flags.includes("n")) newline = false;
      if (flags.includes("e")) escapes = true;
      if (flags.includes("E")) escapes = false;
    }
    const text = args.join(" ");
    io.stdout.write((escapes ? unescape(text) : text) + (newline ? "\n" : ""));
    return 0;
  },
  pwd: (_args, { state, io }) => {
    io.stdout.write(`${state.cwd}\n`);
    return 0;
  },
  cd: async (args, { state, files }) => {
    const target = args[0] === "-" ? (state.get("OLDPWD") ?? state.cwd) : (args[0] ?? state.get("HOME") ?? "/workspace");
    const path = resolvePath(state.cwd, target);
    if (!(await files.isFolder(path))) throw new ShellError(`cd: ${target}: No such file or directory`);
    state.export("OLDPWD", state.cwd);
    state.cwd = path;
    state.export("PWD", path);
    return 0;
  },
  export: (args, { state, io }) => {
    if (args.length === 0) {
      for (const [name, value] of Object.entries(state.environment())) io.stdout.write(`export ${name}=${quote(value)}\n`);
      return 0;
    }
    return assignEach(args, "export", (name, value) => state.export(name, value));
  },
  unset: (args, { state }) => {
    for (const name of args) state.unset(name);
    return 0;
  },
  exit: (args, { state }) => {
    const status = args[0] === undefined ? state.status : Number.parseInt(args[0], 10);
    if (Number.isNaN(status)) throw new ShellError(`exit: ${args[0]}: numeric argument required`, 2);
    throw new ExitRequest(status & 255);
  },
  test: (args, ctx) => test(args, ctx),
  "[": (args, ctx) => {
    if (args.at(-1) !== "]") throw new ShellError("[: missing ]", 2);
    return test(args.slice(0, -1), ctx);
  },
};

function assignEach(args: string[], builtin: string, assign: (name: string, value: string | undefined) => void): number {
  for (const arg of args) {
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!NAME.test(name)) {
      throw new ShellError(`${builtin}: \`${arg}': not a valid identifier`);
    }
    assign(name, eq < 0 ? undefined : arg.slice(eq + 1));
  }
  return 0;
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

function unescape(text: string): string {
  const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", a: "\x07", b: "\b", e: "\x1b", "0": "\0" };
  return text.replace(/\\([ntr\\abe0])/g, (_m, c: string) => map[c]!);
}

/** `test` / `[`: strings, integers, files, `!`, `-a`, `-o`. Status 0 true, 1 false, 2 a usage error. */
async function test(args: string[], ctx: BuiltinContext): Promise<number> {
  return (await evaluate(args, ctx)) ? 0 : 1;
}

async function evaluate(args: string[], ctx: BuiltinContext): Promise<boolean> {
  const or = args.indexOf("-o");
  if (or > 0) return (await evaluate(args.slice(0, or), ctx)) || evaluate(args.slice(or + 1), ctx);
  const and = args.indexOf("-a", 1);
  if (and > 0 && args.length > 3) return (await evaluate(args.slice(0, and), ctx)) && evaluate(args.slice(and + 1), ctx);
  if (args[0] === "!" && args.length > 1) return !(await evaluate(args.slice(1), ctx));
  const [a, op, b] = args;
  switch (args.length) {
    case 0:
      return false;
    case 1:
      return a !== "";
    case 2:
      return unary(a!, op!, ctx);
    case 3:
      return binary(a!, op!, b!);
    default:
      throw new ShellError("test: too many arguments", 2);
  }
}

async function unary(op: string, operand: string, { state, files }: BuiltinContext): Promise<boolean> {
  switch (op) {
    case "-z":
      return operand === "";
    case "-n":
      return operand !== "";
    case "-e":
    case "-f":
    case "-d": {
      const kind = await files.kindOf(resolvePath(state.cwd, operand)).catch(() => undefined);
      return op === "-e" ? kind !== undefined : kind === (op === "-f" ? "file" : "directory");
    }
    default:
      throw new ShellError(`test: ${op}: unary operator expected`, 2);
  }
}

function binary(a: string, op: string, b: string): boolean {
  const integers = () => {
    const [x, y] = [Number(a), Number(b)];
    if (!Number.isInteger(x) || !Number.isInteger(y) || a.trim() === "" || b.trim() === "") {
      throw new ShellError(`test: integer expression expected`, 2);
    }
    return [x, y] as const;
  };
  switch (op) {
    case "=":
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "-eq":
      return integers()[0] === integers()[1];
    case "-ne":
      return integers()[0] !== integers()[1];
    case "-lt":
      return integers()[0] < integers()[1];
    case "-le":
      return integers()[0] <= integers()[1];
    case "-gt":
      return integers()[0] > integers()[1];
    case "-ge":
      return integers()[0] >= integers()[1];
    default:
      throw new ShellError(`test: ${op}: binary operator expected`, 2);
  }
}
