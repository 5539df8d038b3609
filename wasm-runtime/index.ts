export * from "./types.ts";
export type { Engine, FolderEntry, Sandbox, RunHandle, RuntimeSource, ModuleCompiler } from "./engine/engine.ts";
export { WasmerEngine } from "./engine/wasmer.ts";
export { ModuleError, inspectModule, assertWasiCommand } from "./module/index.ts";
export { GatedEngine } from "./engine/gated/gated-engine.ts";
export { serveRunThread } from "./engine/gated/run-thread.ts";
export type { RunThread, RunThreadFactory, RunThreadPort } from "./engine/gated/protocol.ts";
export * from "./capabilities.ts";
export { ASK_TIMEOUT_MS } from "./engine/gated/protocol.ts";
