import { Wasmer } from "@wasmer/sdk/node";
import { WasmerEngine, type Engine } from "../../wasm-runtime/index.ts";
import { readRuntime } from "./runtime-files.ts";

/** The engine as Node runs it: the same core as the page, runtimes read from public/runtimes. */
export function createNodeEngine(): Engine {
  return new WasmerEngine(new Wasmer({ cache: false }), readRuntime);
}
