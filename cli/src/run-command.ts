import { readFile } from "node:fs/promises";
import path from "node:path";
import { EXIT_CODE, type Engine, type Program, type RunResult } from "../../wasm-runtime/index.ts";
import { parseRunOptions, USAGE, UsageError, type RunOptions } from "./options.ts";

/** Where a command's input comes from and its output goes: the terminal, or a daemon client's socket. */
export interface CommandIo {
  cwd: string;
  /** The caller's stdin, read to the end; undefined when it is a terminal. */
  stdin: Uint8Array | undefined;
  write(stream: "stdout" | "stderr", text: string): void;
  /** Aborted when the caller goes away (Ctrl+C on a daemon client): the run is stopped. */
  signal?: AbortSignal;
}

/** `playpen run …`: one program in a fresh sandbox; returns the process exit status. */
export async function runCommand(argv: readonly string[], io: CommandIo, engine: Engine): Promise<number> {
  let options: RunOptions;
  try {
    options = parseRunOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.write("stderr", `playpen: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }

  const fromStdin = options.file === "-";
  let source: Uint8Array;
  try {
    source = fromStdin ? (io.stdin ?? new Uint8Array()) : new Uint8Array(await readFile(path.resolve(io.cwd, options.file)));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    return report(options, io, failure(`cannot read "${options.file}": ${reason}`));
  }
  const program: Program =
    options.language === "python"
      ? { language: "python", code: new TextDecoder().decode(source) }
      : { language: "wasm", module: source, name: options.file };

  const sandbox = await engine.createSandbox();
  try {
    const observer = options.json ? {} : { output: io.write };
    const stdin = fromStdin || !io.stdin ? undefined : new TextDecoder().decode(io.stdin);
    const handle = sandbox.run({ program, args: options.args, stdin, timeoutMs: options.timeoutMs }, observer);
    io.signal?.addEventListener("abort", () => handle.stop());
    return report(options, io, await handle.result);
  } finally {
    await sandbox.close();
  }
}

function report(options: RunOptions, io: CommandIo, result: RunResult): number {
  if (options.json) {
    const { exitCode, reason, stdout, stderr, error } = result;
    const durationMs = Math.round(result.durationMs * 10) / 10;
    io.write("stdout", `${JSON.stringify({ exitCode, reason, stdout, stderr, durationMs, ...(error ? { error } : {}) })}\n`);
  } else if (result.reason === "error") {
    io.write("stderr", `playpen: ${result.error}\n`);
  } else if (result.reason === "timeout") {
    io.write("stderr", `playpen: time limit of ${options.timeoutMs} ms reached\n`);
  }
  return result.exitCode;
}

function failure(error: string): RunResult {
  return {
    exitCode: EXIT_CODE.error,
    reason: "error",
    stdout: "",
    stderr: "",
    stdoutTruncated: false,
    stderrTruncated: false,
    durationMs: 0,
    error,
  };
}
