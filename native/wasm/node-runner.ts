/**
 * The WebAssembly engines in Node, as contenders: `createNodeEngine` (the
 * CLI's engines, the same core as the page) runs the WASI build of each
 * workload and probe. Warm, like a container runtime whose daemon and image
 * are ready: the engine, its compiled modules and one sandbox (with its
 * worker thread) stay up, and every run is a new instance of the module with
 * a new WASI host over a fresh copy of the sandbox's file system. A sample's
 * time is the wall time of `sandbox.run()` to its result. A sandbox whose run
 * was killed (time limit) is replaced. The gated engine runs under its
 * default policy (Workspace only); the Wasmer engine as it is.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { Engine, Sandbox } from "../../wasm-runtime/index.ts";
import { ROOT } from "../paths.ts";
import { DEFAULT_OUTPUT_LIMIT } from "../process.ts";
import type { EngineName, WasmContender } from "../types.ts";
import { detectWasiBuilds, toRunResult, wasmProgram } from "./program.ts";

const NOTES: Record<EngineName, string> = {
  gated:
    "Playpen's own WASI preview1 host in a Node worker thread, default policy (Workspace only): every file access is a policy decision, an in-memory file system, no sockets, no processes, a 512 MiB memory limit, clocks rounded to 1 µs.",
  wasmer:
    "@wasmer/sdk (WASIX) in Node: an in-memory file system with /workspace only, no network; memory capped by Playpen lowering the module's declared maximum (512 MiB by default), clocks of 1 ms.",
};

/** Puts the runner's own secrets in process.env for the run, so a leak from the host's environment would show. */
function exposeHostEnv(hostEnv: Record<string, string> | undefined): () => void {
  const saved = Object.keys(hostEnv ?? {}).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, hostEnv);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

export function createWasmNodeRunner(engineName: EngineName): WasmContender {
  let engine: Engine | undefined;
  let sandbox: Sandbox | undefined;
  return {
    name: `wasm-${engineName}-node`,
    title: `${engineName === "gated" ? "Gated engine" : "Wasmer engine"} (WebAssembly, Node)`,
    notes: NOTES[engineName],
    kind: "wasm",
    engine: engineName,
    host: "node",
    async detect() {
      const missing = detectWasiBuilds();
      if (missing) return missing;
      const runtime = engineName === "gated" ? "Playpen WASI preview1 host" : `@wasmer/sdk ${sdkVersion()}`;
      return { available: true, version: `${runtime}, Node ${process.versions.node}` };
    },
    async run(invocation, options) {
      const { program, args } = wasmProgram(invocation);
      engine ??= createNodeEngine(engineName);
      sandbox ??= await engine.createSandbox({ env: invocation.env });
      const restoreEnv = exposeHostEnv(options.hostEnv);
      const started = performance.now();
      const handle = sandbox.run({ program, args, timeoutMs: options.timeoutMs, outputBytes: options.outputLimitBytes ?? DEFAULT_OUTPUT_LIMIT });
      const stop = () => handle.stop();
      options.signal?.addEventListener("abort", stop, { once: true });
      try {
        const result = await handle.result;
        const durationMs = performance.now() - started;
        if (result.reason !== "exited") {
          await sandbox.close().catch(() => {});
          sandbox = undefined;
        }
        return toRunResult(result, durationMs);
      } finally {
        options.signal?.removeEventListener("abort", stop);
        restoreEnv();
      }
    },
    // The guest is a WebAssembly instance in this process's worker threads: no host process or container can outlive it.
    async leftovers() {
      return [];
    },
    async close() {
      await sandbox?.close().catch(() => {});
      await engine?.close();
      sandbox = undefined;
      engine = undefined;
    },
  };
}

function sdkVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, "node_modules/@wasmer/sdk/package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "(version unknown)";
  }
}
