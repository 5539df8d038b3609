import { Wasmer } from "@wasmer/sdk/node";
import { GatedEngine, WasmerEngine, type Engine, type EngineName } from "../../wasm-runtime/index.ts";
import { startNodeRunThread } from "./node-run-thread.ts";
import { setClangResourcesSource } from "../../wasm-runtime/languages/c.ts";
import { readRuntime, readRuntimeFile } from "./runtime-files.ts";
import { setHttpTransport } from "../../wasm-runtime/tools/index.ts";
import { nodeHttpTransport } from "./node-http-transport.ts";
import { setSubprocessRunner } from "../../wasm-runtime/engine/gated/subprocesses.ts";
import { runProgram } from "../../wasm-runtime/shell/index.ts";

setClangResourcesSource(() => readRuntimeFile("clang", "clang-resources.tar"));
// Names are resolved and decided on their addresses before the http tool connects.
setHttpTransport(nodeHttpTransport());
// A program's subprocesses run through the shell on its own sandbox.
setSubprocessRunner(runProgram);

/** An engine as Node runs it: the same core as the page, runtimes read from public/runtimes. */
export function createNodeEngine(name: EngineName = "wasmer"): Engine {
  return name === "gated"
    ? new GatedEngine(readRuntime, startNodeRunThread)
    : new WasmerEngine(new Wasmer({ cache: false }), readRuntime);
}

/** Both engines, each created on first use and then kept; `close` closes the ones created. */
export function nodeEngines(): NodeEngines {
  const engines = new Map<EngineName, Engine>();
  const get = (name: EngineName) => {
    let engine = engines.get(name);
    if (!engine) engines.set(name, (engine = createNodeEngine(name)));
    return engine;
  };
  return Object.assign(get, { close: async () => void (await Promise.all([...engines.values()].map((engine) => engine.close()))) });
}

export type NodeEngines = ((name: EngineName) => Engine) & { close(): Promise<void> };
