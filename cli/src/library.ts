import { engineBackend, PlaypenSandbox, type RunBackend, type SandboxOptions } from "../../wasm-runtime/api/index.ts";
import { nodeEngines, type NodeEngines } from "./node-engine.ts";

/**
 * The package's entry in Node (`import { createSandbox } from "playpen"`):
 * the library API with runs in this process on Node's engines, unless the
 * caller passes a backend of its own.
 */
export { engineBackend, PlaypenSandbox, runFresh, runReportOf, alertsOf } from "../../wasm-runtime/api/index.ts";
export type { AlertReport, BackendRun, RunBackend, RunInput, RunReport, SandboxEvents, SandboxOptions } from "../../wasm-runtime/api/index.ts";
export { parsePolicy, parsePolicyJson, PolicyError, type Policy, type PolicyInput } from "../../wasm-runtime/policy/index.ts";
export type { AuditEvent, Language, RunResult } from "../../wasm-runtime/index.ts";

/** Engines shared by the in-process sandboxes, closed with the last of them (the SDK's threads would keep Node running). */
let shared: { engines: NodeEngines; open: number } | undefined;

class InProcessSandbox extends PlaypenSandbox {
  #released = false;

  override async close(): Promise<void> {
    await super.close();
    if (this.#released || !shared) return;
    this.#released = true;
    if (--shared.open > 0) return;
    const { engines } = shared;
    shared = undefined;
    await engines.close();
  }
}

export type CreateSandboxOptions = Omit<SandboxOptions, "backend"> & { backend?: RunBackend };

/** A sandbox; its runs happen in this process unless `backend` says otherwise. */
export function createSandbox(options: CreateSandboxOptions = {}): PlaypenSandbox {
  if (options.backend) return new PlaypenSandbox({ ...options, backend: options.backend });
  shared ??= { engines: nodeEngines(), open: 0 };
  const sandbox = new InProcessSandbox({ ...options, backend: engineBackend(shared.engines) });
  shared.open++;
  return sandbox;
}
