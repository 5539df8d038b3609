/** The library API: a sandbox an agent keeps, in Node or in a browser worker (docs/api.md). */
export { createSandbox, engineBackend, PlaypenSandbox, type BackendRun, type RunBackend, type RunInput, type SandboxEvents, type SandboxOptions } from "./sandbox.ts";
export { runFresh, type FreshRunHooks } from "./run-fresh.ts";
export { alertsOf, failedRun, runReportOf, type AlertReport, type RunReport } from "./report.ts";
