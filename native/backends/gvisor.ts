/**
 * gVisor (runsc): the same OCI bundle, but the guest's system calls are served
 * by gVisor's own user-space kernel (the Sentry) instead of the host's. On this
 * kind of machine only the ptrace platform works (no usable KVM; the Debian
 * 2022 build predates systrap), and runsc's own network stack is turned off.
 */
import { join } from "node:path";
import { detectVersion, isRoot } from "../detect.ts";
import { RUNTIME_STATE } from "../paths.ts";
import { runBackend } from "../run-plan.ts";
import type { Backend, CommandOptions, CommandPlan, Invocation } from "../types.ts";
import { bundleFor, ociLeftovers } from "./oci-runtime.ts";

export interface GvisorOptions {
  program?: string;
  stateRoot?: string;
  platform?: "ptrace" | "systrap" | "kvm";
}

export function createGvisor(config: GvisorOptions = {}): Backend {
  const program = config.program ?? "runsc";
  const stateRoot = config.stateRoot ?? join(RUNTIME_STATE, "runsc");
  const runsc = [program, "--root", stateRoot, "--network=none", `--platform=${config.platform ?? "ptrace"}`];

  const backend: Backend = {
    name: "gvisor",
    title: "gVisor (runsc)",
    layout: "rootfs",
    notes: "A user-space kernel between guest and host (ptrace platform), plus runc's namespaces and cgroup limits; file I/O is slow.",
    async detect() {
      if (!isRoot()) return { available: false, reason: "runsc needs root here (rootless mode is not configured)" };
      return detectVersion(program, ["--version"], /runsc version (\S+)/, "apt-get install runsc");
    },
    command(invocation: Invocation, options: CommandOptions): CommandPlan {
      const bundle = bundleFor(invocation, options);
      return {
        argv: [...runsc, "run", "--bundle", bundle.dir, options.runId],
        files: [{ path: bundle.configPath, content: bundle.config }],
        // runsc's sandbox and gofer processes live in their own sessions: delete reaches them.
        cleanup: [[...runsc, "delete", "-force", options.runId]],
        removePaths: [bundle.dir],
      };
    },
    run: (invocation, options) => runBackend(backend, invocation, options),
    leftovers: (runId?: string) => ociLeftovers([program, "--root", stateRoot, "list", "-quiet"], runId),
  };
  return backend;
}
