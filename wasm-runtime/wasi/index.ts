export { createWasiHost, type WasiHost, type WasiHostOptions } from "./host.ts";
export { DEFAULT_RESOLUTION_NS, coarseRealtime } from "./clock.ts";
export type { TraceCall, TraceHook } from "./trace.ts";
