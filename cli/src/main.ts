import { readFile } from "node:fs/promises";
import { Wasmer } from "@wasmer/sdk/node";
import { EXIT_CODE, WasmerEngine, type Program, type RunResult } from "../../wasm-runtime/index.ts";
import { parseRunOptions, USAGE, UsageError, type RunOptions } from "./options.ts";
import { readRuntime } from "./runtime-files.ts";

/** `playpen run`: one program, one sandbox, output streamed or returned as JSON. */
async function main(argv: string[]): Promise<number> {
  let options: RunOptions;
  try {
    options = parseRunOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`playpen: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  let program: Program;
  let stdin: string | undefined;
  try {
    const source = options.file === "-" ? await readStdin() : await readFile(options.file);
    program = options.language === "python" ? { language: "python", code: source.toString("utf8") } : { language: "wasm", module: new Uint8Array(source), name: options.file };
    if (options.file !== "-" && !process.stdin.isTTY) stdin = (await readStdin()).toString("utf8");
  } catch (error) {
    return report(options, failed(`cannot read ${options.file === "-" ? "stdin" : `"${options.file}"`}: ${(error as Error).message}`));
  }

  const engine = new WasmerEngine(new Wasmer({ cache: false }), readRuntime);
  const sandbox = await engine.createSandbox();
  const stream = options.json
    ? undefined
    : (name: "stdout" | "stderr", text: string) => process[name].write(text);
  const result = await sandbox.run({ program, args: options.args, stdin, timeoutMs: options.timeoutMs }, stream).result;
  return report(options, result);
}

function report(options: RunOptions, result: RunResult): number {
  if (options.json) {
    const { exitCode, reason, stdout, stderr, durationMs, error } = result;
    process.stdout.write(`${JSON.stringify({ exitCode, reason, stdout, stderr, durationMs: Math.round(durationMs * 10) / 10, ...(error ? { error } : {}) })}\n`);
  } else if (result.reason === "error") {
    process.stderr.write(`playpen: ${result.error}\n`);
  } else if (result.reason === "timeout") {
    process.stderr.write(`playpen: time limit of ${options.timeoutMs} ms reached\n`);
  }
  return result.exitCode;
}

function failed(error: string): RunResult {
  return { exitCode: EXIT_CODE.error, reason: "error", stdout: "", stderr: "", stdoutTruncated: false, stderrTruncated: false, durationMs: 0, error };
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const code = await main(process.argv.slice(2));
// The SDK keeps worker threads alive; once output is flushed there is nothing left to wait for.
process.stdout.write("", () => process.exit(code));
