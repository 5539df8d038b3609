export * from "./types.ts";
export type { Engine, Sandbox, RunHandle, RuntimeSource } from "./engine/engine.ts";
export { WasmerEngine } from "./engine/wasmer.ts";
export { ModuleError, inspectModule, assertWasiCommand } from "./module/index.ts";
