import { readFile } from "node:fs/promises";
import { Wasmer } from "@wasmer/sdk/node";
import { WasmerEngine, type Engine } from "../../wasm-runtime/index.ts";
import { readRuntime } from "../../cli/src/runtime-files.ts";

/** The Wasmer engine as the CLI builds it: real SDK, runtimes from public/runtimes. */
export function nodeWasmerEngine(): Engine {
  return new WasmerEngine(new Wasmer({ cache: false }), readRuntime);
}

export async function exampleModule(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(new URL(`../../public/examples/${name}.wasm`, import.meta.url)));
}
