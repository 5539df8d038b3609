/**
 * runc, the reference OCI runtime (Docker's and Podman's default), driven
 * directly with a bundle built here: no daemon, no image. Enforces the whole
 * config.json: namespaces, no capabilities, seccomp, read-only root, memory
 * and pids cgroup limits.
 */
import { join } from "node:path";
import { detectVersion, isRoot } from "../detect.ts";
import { RUNTIME_STATE } from "../paths.ts";
import { runBackend } from "../run-plan.ts";
import type { Backend, CommandOptions, CommandPlan, Invocation } from "../types.ts";
import { bundleFor, ociLeftovers } from "./oci-runtime.ts";

export function createRunc(program = "runc", stateRoot = join(RUNTIME_STATE, "runc")): Backend {
  const backend: Backend = {
    name: "runc",
    title: "runc (OCI runtime)",
    layout: "rootfs",
    notes: "Namespaces, no capabilities, seccomp allow list, read-only root, memory and pids cgroup limits.",
    async detect() {
      if (!isRoot()) return { available: false, reason: "runc needs root here (rootless mode is not configured)" };
      return detectVersion(program, ["--version"], /runc version (\S+)/, "apt-get install runc");
    },
    command(invocation: Invocation, options: CommandOptions): CommandPlan {
      const bundle = bundleFor(invocation, options);
      const runc = [program, "--root", stateRoot];
      return {
        argv: [...runc, "run", "--bundle", bundle.dir, options.runId],
        files: [{ path: bundle.configPath, content: bundle.config }],
        // Killing `runc run` does not kill the container: delete --force does, and removes its state and cgroups.
        cleanup: [[...runc, "delete", "--force", options.runId]],
        removePaths: [bundle.dir],
      };
    },
    run: (invocation, options) => runBackend(backend, invocation, options),
    leftovers: (runId?: string) => ociLeftovers([program, "--root", stateRoot, "list", "-q"], runId),
  };
  return backend;
}
