/// <reference lib="webworker" />
import * as Comlink from "comlink";
import { Wasmer } from "@wasmer/sdk/browser";
import { GatedEngine, WasmerEngine, type Engine, type EngineName, type RunHandle, type RunObserver, type RunResult, type Sandbox } from "../wasm-runtime/index.ts";
import { setClangResourcesSource } from "../wasm-runtime/languages/c.ts";
import { runProgram, Shell } from "../wasm-runtime/shell/index.ts";
import { compileDownloaded, fetchRuntime, fetchRuntimeFile } from "./fetch-runtime.ts";
import type { SandboxWorkerApi } from "./sandbox-api.ts";
import { startWebRunThread } from "./web-run-thread.ts";
import { setSubprocessRunner } from "../wasm-runtime/engine/gated/subprocesses.ts";

// A program's subprocesses run through the shell on its own sandbox.
setSubprocessRunner(runProgram);

// Worker side: adapts the framework-free engines to comlink, nothing more.
const engines = new Map<EngineName, Engine>();
function engineNamed(name: EngineName): Engine {
  let engine = engines.get(name);
  if (!engine) {
    engine =
      name === "gated"
        ? new GatedEngine(fetchRuntime, startWebRunThread, compileDownloaded)
        : new WasmerEngine(new Wasmer(), fetchRuntime, compileDownloaded);
    engines.set(name, engine);
  }
  return engine;
}

let engine = engineNamed("wasmer");
let sandbox = opened(engine.createSandbox());
const runs = new Map<number, RunHandle>();
const CLANG_RESOURCES = "clang-resources";
setClangResourcesSource(() => fetchRuntimeFile(CLANG_RESOURCES, `${CLANG_RESOURCES}.tar`));
/** The terminal's shell, bound to the sandbox it was made for. */
let terminal: { sandbox: Sandbox; shell: Shell } | undefined;

async function terminalShell(): Promise<Shell> {
  const current = await sandbox;
  if (terminal?.sandbox !== current) terminal = { sandbox: current, shell: new Shell(current) };
  return terminal.shell;
}

async function track(runId: number, handle: RunHandle): Promise<RunResult> {
  runs.set(runId, handle);
  try {
    return await handle.result;
  } finally {
    runs.delete(runId);
  }
}

const api: SandboxWorkerApi = {
  async open(spec, name) {
    const previous = sandbox;
    engine = engineNamed(name);
    sandbox = opened(engine.createSandbox(spec));
    await previous.then((old) => old.close(), () => {});
    await sandbox;
  },
  async prepare(language, onProgress) {
    await engine.prepare(language, onProgress);
    // C also needs clang's headers and libraries; loaded here so the progress bar covers them.
    if (language === "c") await fetchRuntimeFile(CLANG_RESOURCES, `${CLANG_RESOURCES}.tar`, onProgress);
  },
  run: async (runId, request, observer, listening) => track(runId, runProgram(await sandbox, request, only(observer, listening))),
  runShellLine: async (runId, request, observer, listening) => track(runId, (await terminalShell()).runOver(await sandbox, request, only(observer, listening))),
  shellCwd: async () => (await terminalShell()).cwd,
  stop: (runId) => runs.get(runId)?.stop(),
  abandonedGuests: () => [...engines.values()].reduce((sum, e) => sum + e.abandonedGuests, 0),
  readFile: async (path) => (await sandbox).readFile(path),
  writeFile: async (path, data) => (await sandbox).writeFile(path, data),
};

/** A sandbox that cannot open (no cross-origin isolation) fails each run that awaits it, with the reason; left unawaited it is no error of its own. */
function opened(sandbox: Promise<Sandbox>): Promise<Sandbox> {
  sandbox.catch(() => {});
  return sandbox;
}

/** A plain observer with just the callbacks the page has, so engines can tell which are there. */
function only(observer: RunObserver, listening: readonly (keyof RunObserver)[]): RunObserver {
  const plain: Record<string, unknown> = {};
  for (const key of listening) plain[key] = (...args: unknown[]) => (observer[key] as (...a: unknown[]) => unknown)(...args);
  return plain as RunObserver;
}

Comlink.expose(api);
