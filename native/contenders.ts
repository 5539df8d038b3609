/**
 * Everything a comparison can include, in result order: the native backends
 * (baseline first, lightest to heaviest), then Playpen's two engines in Node
 * and in Chromium.
 */
import { allBackends } from "./backends/index.ts";
import type { Contender } from "./types.ts";
import { ChromiumSession, createWasmChromiumRunner } from "./wasm/chromium-runner.ts";
import { createWasmNodeRunner } from "./wasm/node-runner.ts";

export const WASM_CONTENDER_NAMES = ["wasm-wasmer-node", "wasm-gated-node", "wasm-wasmer-chromium", "wasm-gated-chromium"] as const;

export function wasmContenders(): Contender[] {
  const chromium = new ChromiumSession();
  return [
    createWasmNodeRunner("wasmer"),
    createWasmNodeRunner("gated"),
    createWasmChromiumRunner("wasmer", chromium),
    createWasmChromiumRunner("gated", chromium),
  ];
}

export function allContenders(): Contender[] {
  return [...allBackends(), ...wasmContenders()];
}
