import { parse } from "just-bash";
import type { CommandNode, CompoundCommandNode, PipelineNode, ScriptNode, SimpleCommandNode, StatementNode } from "./ast.ts";
import type { RunHandle, Sandbox } from "../engine/engine.ts";
import type { Program, RunObserver, RunRequest, RunResult } from "../types.ts";
import { BUILTINS } from "./builtins.ts";
import { launchFor, type Launch } from "./commands.ts";
import { ExitRequest, ScriptEnded, ShellError } from "./errors.ts";
import { expandToString, expandWord, type ExpandContext } from "./expand.ts";
import type { ShellFiles } from "./files.ts";
import { BufferSink, type Io, type ScriptStdin, type Sink } from "./io.ts";
import { resolvePath } from "./paths.ts";
import { applyRedirections, type FileSink } from "./redirect.ts";
import type { ShellState } from "./state.ts";

/** What every command of one script run shares: the sandbox, the request's limits, the end of the run. */
export interface ScriptContext {
  sandbox: Sandbox;
  files: ShellFiles;
  /** The script's request: policy, secrets, tools, trace and output limit apply to each command. */
  request: RunRequest;
  /** Audit, ask and trace callbacks for each command's run. */
  observer: RunObserver;
  stdin: ScriptStdin;
  /** The script's own stderr: where a command substitution's errors go. */
  stderr: Sink;
  /** Bytes a pipe or a redirected file keeps: the output limit. */
  pipeBytes: number;
  deadline: number;
  /** Set once the time limit or Stop has ended the script. */
  ending(): "timeout" | "stopped" | undefined;
  /** The command running now, for Stop. */
  running(handle: RunHandle | undefined): void;
  /** A command's run has ended. */
  ended(result: RunResult): void;
}

/**
 * Runs a parsed script: lists, pipelines, simple and compound commands.
 * Builtins run here; every other command is a WASI program run in the
 * sandbox, one at a time.
 */
export class Interpreter {
  readonly #ctx: ScriptContext;
  readonly #state: ShellState;
  readonly #expand: ExpandContext;

  constructor(ctx: ScriptContext, state: ShellState) {
    this.#ctx = ctx;
    this.#state = state;
    this.#expand = { state, files: ctx.files, substitute: (script) => this.#substitute(script) };
  }

  /** Runs a script; `exit` ends it with its status. */
  async script(script: ScriptNode, io: Io): Promise<number> {
    try {
      return await this.#statements(script.statements, io);
    } catch (error) {
      if (error instanceof ExitRequest) return (this.#state.status = error.status);
      throw error;
    }
  }

  async #statements(statements: readonly StatementNode[], io: Io): Promise<number> {
    let status = this.#state.status;
    for (const statement of statements) status = await this.#statement(statement, io);
    return status;
  }

  async #statement(statement: StatementNode, io: Io): Promise<number> {
    if (statement.deferredError) return this.#report(new ShellError(statement.deferredError.message, 2), io);
    if (statement.background) return this.#report(new ShellError("background jobs (&) are not supported: commands run one at a time", 2), io);
    let status = await this.#pipeline(statement.pipelines[0]!, io);
    for (const [i, operator] of statement.operators.entries()) {
      if ((operator === "&&" && status !== 0) || (operator === "||" && status === 0)) continue;
      status = await this.#pipeline(statement.pipelines[i + 1]!, io);
    }
    return status;
  }

  /** Stages run one after another; each one's stdout, buffered, is the next one's stdin. */
  async #pipeline(pipeline: PipelineNode, io: Io): Promise<number> {
    let stdin = io.stdin;
    let status = 0;
    for (const [i, command] of pipeline.commands.entries()) {
      const last = i === pipeline.commands.length - 1;
      const stdout = last ? io.stdout : new BufferSink(this.#ctx.pipeBytes);
      const stderr = pipeline.pipeStderr?.[i] ? stdout : io.stderr;
      status = await this.#command(command, { stdin, stdout, stderr });
      if (stdout instanceof BufferSink) stdin = stdout.text;
    }
    if (pipeline.negated) status = status === 0 ? 1 : 0;
    return (this.#state.status = status);
  }

  async #command(command: CommandNode, io: Io): Promise<number> {
    const ended = this.#ctx.ending();
    if (ended) throw new ScriptEnded(ended);
    try {
      if (command.type === "SimpleCommand") return await this.#simple(command, io);
      if (command.type === "FunctionDef") throw new ShellError("functions are not supported by this shell", 2);
      return await this.#withRedirections(command.redirections, io, (inner) => this.#compound(command, inner));
    } catch (error) {
      if (error instanceof ShellError) return this.#report(error, io);
      throw error;
    }
  }

  async #simple(command: SimpleCommandNode, io: Io): Promise<number> {
    const assignments: Record<string, string> = {};
    for (const a of command.assignments) {
      if (a.array) throw new ShellError("arrays are not supported by this shell", 2);
      const value = a.value ? await expandToString(a.value, this.#expand) : "";
      assignments[a.name] = a.append ? (this.#state.get(a.name) ?? "") + value : value;
    }
    const words: string[] = [];
    for (const word of [...(command.name ? [command.name] : []), ...command.args]) words.push(...(await expandWord(word, this.#expand)));
    if (words.length === 0) {
      for (const [name, value] of Object.entries(assignments)) this.#state.set(name, value);
      return this.#withRedirections(command.redirections, io, async () => 0);
    }
    const [name, ...args] = words as [string, ...string[]];
    return this.#withRedirections(command.redirections, io, (inner) => this.#invoke(name, args, assignments, inner));
  }

  async #invoke(name: string, args: string[], assignments: Record<string, string>, io: Io): Promise<number> {
    const builtin = BUILTINS[name];
    if (builtin) return builtin(args, { state: this.#state, io, files: this.#ctx.files });
    if (name === "source" || name === ".") return this.#source(args, io);
    if (name === "sh" || name === "bash") {
      await this.#ctx.files.startCommand(name, true);
      return this.#shell(args, io);
    }
    const launch = name.includes("/") ? await this.#modulePath(name, args) : launchFor(name, args, this.#state.cwd);
    await this.#ctx.files.startCommand(name.includes("/") ? name.slice(name.lastIndexOf("/") + 1) : name, launch !== undefined);
    return this.#run(name, launch!, assignments, io);
  }

  /** A WASI program in the sandbox under the script's policy, with this shell's folder and exports. */
  async #run(name: string, launch: Launch, assignments: Record<string, string>, io: Io): Promise<number> {
    const { request, observer } = this.#ctx;
    const handle = this.#ctx.sandbox.run(
      {
        program: launch.program,
        args: launch.args,
        stdin: io.stdin ?? this.#ctx.stdin.take(),
        cwd: this.#state.cwd,
        env: { ...this.#state.environment(assignments), ...launch.env },
        timeoutMs: Math.max(1, this.#ctx.deadline - performance.now()),
        ...(request.outputBytes !== undefined && { outputBytes: request.outputBytes }),
        ...(request.policy && { policy: request.policy }),
        ...(request.secrets && { secrets: request.secrets }),
        ...(request.tools && { tools: request.tools }),
        ...(request.trace && { trace: true }),
      },
      { ...observer, output: (stream, text) => (stream === "stdout" ? io.stdout : io.stderr).write(text) },
    );
    this.#ctx.running(handle);
    const result = await handle.result;
    this.#ctx.running(undefined);
    this.#ctx.ended(result);
    const ended = this.#ctx.ending();
    if (ended) throw new ScriptEnded(ended);
    if (result.reason === "timeout" || result.reason === "stopped") throw new ScriptEnded(result.reason);
    if (result.reason === "error") throw new ShellError(`${name}: ${result.error ?? "cannot run"}`, 126);
    if (result.memoryLimitReached) io.stderr.write(`sh: ${name}: memory limit reached\n`);
    return result.exitCode;
  }

  /** `./prog.wasm`: a module from the sandbox's files, read under the policy like any file. */
  async #modulePath(name: string, args: string[]): Promise<Launch> {
    const path = resolvePath(this.#state.cwd, name);
    const module = await this.#ctx.files.readBytes(path, "shell exec");
    const program: Program = { language: "wasm", module, name: path };
    return { program, args, env: {} };
  }

  /** `sh -c SCRIPT [NAME ARGS…]` or `sh FILE [ARGS…]`: a script in a subshell. */
  async #shell(args: string[], io: Io): Promise<number> {
    const [first, ...rest] = args;
    if (first === undefined) throw new ShellError("sh: an interactive shell needs the terminal: give a script or -c", 2);
    const inline = first === "-c";
    const text = inline ? (rest[0] ?? "") : await this.#ctx.files.read(resolvePath(this.#state.cwd, first), "shell source");
    const state = this.#state.fork();
    state.positional = inline ? rest.slice(2) : rest;
    return new Interpreter(this.#ctx, state).script(parseScript(text), io);
  }

  /** `source FILE` / `. FILE`: a script run in this shell, so its variables and `cd` stay. */
  async #source(args: string[], io: Io): Promise<number> {
    if (!args[0]) throw new ShellError("source: filename argument required", 2);
    const text = await this.#ctx.files.read(resolvePath(this.#state.cwd, args[0]), "shell source");
    return this.#statements(parseScript(text).statements, io);
  }

  async #compound(command: CompoundCommandNode, io: Io): Promise<number> {
    switch (command.type) {
      case "Group":
        return this.#statements(command.body, io);
      case "Subshell":
        return new Interpreter(this.#ctx, this.#state.fork()).script({ type: "Script", statements: command.body }, io);
      case "If": {
        for (const clause of command.clauses) {
          if ((await this.#statements(clause.condition, io)) === 0) return this.#statements(clause.body, io);
        }
        return command.elseBody ? this.#statements(command.elseBody, io) : 0;
      }
      case "For": {
        const values: string[] = [];
        if (command.words) for (const word of command.words) values.push(...(await expandWord(word, this.#expand)));
        else values.push(...this.#state.positional);
        let status = 0;
        for (const value of values) {
          await this.#breathe();
          this.#state.set(command.variable, value);
          status = await this.#statements(command.body, io);
        }
        return status;
      }
      case "While":
      case "Until": {
        let status = 0;
        for (;;) {
          await this.#breathe();
          const condition = await this.#statements(command.condition, io);
          if ((condition === 0) !== (command.type === "While")) return status;
          status = await this.#statements(command.body, io);
        }
      }
      default:
        throw new ShellError(`${command.type} commands are not supported by this shell`, 2);
    }
  }

  async #withRedirections(redirections: SimpleCommandNode["redirections"], io: Io, body: (io: Io) => Promise<number>): Promise<number> {
    if (redirections.length === 0) return body(io);
    const applied = await applyRedirections(redirections, io, this.#expand, this.#ctx.pipeBytes);
    try {
      return await body(applied.io);
    } finally {
      await closeAll(applied.files, this.#ctx.files);
    }
  }

  /** `$( … )`: the script in a subshell, its stdout captured. */
  async #substitute(script: ScriptNode): Promise<string> {
    const stdout = new BufferSink(this.#ctx.pipeBytes);
    const inner = new Interpreter(this.#ctx, this.#state.fork());
    this.#state.status = await inner.script(script, { stdin: undefined, stdout, stderr: this.#ctx.stderr });
    return stdout.text;
  }

  /** A loop of builtins alone must still let Stop and the time limit in: yield to the event loop. */
  async #breathe(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const ended = this.#ctx.ending();
    if (ended) throw new ScriptEnded(ended);
  }

  #report(error: ShellError, io: Io): number {
    io.stderr.write(`sh: ${error.message}\n`);
    return (this.#state.status = error.status);
  }
}

async function closeAll(files: FileSink[], shellFiles: ShellFiles): Promise<void> {
  for (const file of files) await file.close(shellFiles);
}

/** Parses a script with just-bash's parser; a syntax error is a ShellError with status 2. */
export function parseScript(text: string): ScriptNode {
  try {
    return parse(text);
  } catch (error) {
    throw new ShellError(`syntax error: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
}
