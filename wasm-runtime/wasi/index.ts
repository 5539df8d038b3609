export { createWasiHost, type WasiHost, type WasiHostOptions } from "./host.ts";
export { DEFAULT_RESOLUTION_NS, coarseRealtime } from "./clock.ts";
export { MAX_TOOL_REQUEST_BYTES, TOOL_MOUNT, type ToolHostOptions } from "./tool-mount.ts";
export type { TraceCall, TraceHook } from "./trace.ts";
