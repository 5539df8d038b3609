/// <reference lib="webworker" />
import * as Comlink from "comlink";
import { Wasmer } from "@wasmer/sdk/browser";
import { WasmerEngine, type RunHandle, type Sandbox } from "../wasm-runtime/index.ts";
import { fetchRuntime } from "./fetch-runtime.ts";
import type { SandboxWorkerApi } from "./sandbox-api.ts";

// Worker side: adapts the framework-free engine to comlink, nothing more.
const engine = new WasmerEngine(new Wasmer(), fetchRuntime);
let sandbox: Promise<Sandbox> = engine.createSandbox();
const runs = new Map<number, RunHandle>();

const api: SandboxWorkerApi = {
  async open(spec) {
    const previous = sandbox;
    sandbox = engine.createSandbox(spec);
    await (await previous).close();
    await sandbox;
  },
  prepare: (language, onProgress) => engine.prepare(language, onProgress),
  async run(runId, request, observer) {
    const handle = (await sandbox).run(request, observer);
    runs.set(runId, handle);
    try {
      return await handle.result;
    } finally {
      runs.delete(runId);
    }
  },
  stop: (runId) => runs.get(runId)?.stop(),
  readFile: async (path) => (await sandbox).readFile(path),
  writeFile: async (path, data) => (await sandbox).writeFile(path, data),
};

Comlink.expose(api);
