/**
 * How an invocation of the native runner becomes a run in a Playpen engine:
 * the WASI build of the same binary (or the Python code of `python3 -c`),
 * with `{workspace}` as the sandbox's /workspace, and the engine's result as
 * the runner's RunResult. Shared by the Node and Chromium runners.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Program, RunResult as EngineResult } from "../../wasm-runtime/index.ts";
import { buildWasiWorkloads } from "../build/wasi-workloads.ts";
import { newRunId, resolveArgs } from "../run-plan.ts";
import type { Detection, Invocation, RunResult } from "../types.ts";
import { pythonCode } from "../workloads.ts";

/** The sandbox's writable folder, in both engines. */
export const WASM_WORKSPACE = "/workspace";

export interface WasmProgram {
  program: Program;
  args: string[];
  /** The WASI module's file (for the page's upload), absent for Python. */
  file?: string;
}

export function wasmModulePath(binary: string): string {
  return join(buildWasiWorkloads(), `${binary}.wasm`);
}

export function wasmProgram(invocation: Invocation): WasmProgram {
  const code = pythonCode(invocation);
  if (code !== undefined) return { program: { language: "python", code }, args: [] };
  const file = wasmModulePath(invocation.binary);
  if (!existsSync(file)) throw new Error(`no WASI build of ${invocation.binary} (${file})`);
  return {
    program: { language: "wasm", module: new Uint8Array(readFileSync(file)), name: `${invocation.binary}.wasm` },
    args: resolveArgs(invocation.args, WASM_WORKSPACE),
    file,
  };
}

/** The WASI builds are the one thing both hosts need; a missing toolchain makes the engines unavailable. */
export function detectWasiBuilds(): Detection | undefined {
  try {
    buildWasiWorkloads();
    return undefined;
  } catch (error) {
    return { available: false, reason: `the WASI builds could not be made: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
  }
}

/** The engine's result in the runner's terms: a timeout is a kill at the time limit, an engine error exit 126 with its message. */
export function toRunResult(result: Pick<EngineResult, "exitCode" | "reason" | "stdout" | "stderr" | "stdoutTruncated" | "stderrTruncated" | "error">, durationMs: number): RunResult {
  const ended = result.reason === "timeout" || result.reason === "stopped";
  return {
    runId: newRunId(),
    exitCode: ended ? null : result.exitCode,
    signal: ended ? "SIGKILL" : null,
    stdout: result.stdout,
    stderr: result.error ? `${result.stderr}${result.error}\n` : result.stderr,
    durationMs,
    timedOut: result.reason === "timeout",
    outputTruncated: result.stdoutTruncated || result.stderrTruncated,
  };
}
