/**
 * The baseline: the workload as an ordinary child process of the runner, with
 * the runner's own privileges, files, network and environment. Every other
 * backend's cost is measured against this one, and its probe verdicts show
 * what "no sandbox" means.
 */
import { processLeftovers } from "../host-processes.ts";
import { runBackend } from "../run-plan.ts";
import type { Backend, CommandOptions, CommandPlan, Invocation } from "../types.ts";
import { guestView } from "./guest-view.ts";

export function createPlain(): Backend {
  const backend: Backend = {
    name: "plain",
    title: "Plain process (no sandbox)",
    layout: "host",
    notes: "No isolation and no limits: the guest sees the host's files, processes, network and the runner's environment.",
    async detect() {
      return { available: true, version: `node ${process.versions.node} child_process` };
    },
    command(invocation: Invocation, options: CommandOptions): CommandPlan {
      const view = guestView("host", invocation, options);
      return { argv: [view.program, ...view.args], files: [], cleanup: [], removePaths: [], env: invocation.env, cwd: view.workspace };
    },
    run: (invocation, options) => runBackend(backend, invocation, options),
    // A plain run is one process group, killed as a whole; its arguments name the run's scratch folder.
    async leftovers(runId?: string) {
      return processLeftovers(runId);
    },
  };
  return backend;
}
