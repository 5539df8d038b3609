/**
 * gVisor (runsc): the same OCI bundle, but the guest's system calls are served
 * by gVisor's own user-space kernel (the Sentry) instead of the host's. On this
 * kind of machine only the ptrace platform works (no usable KVM; the Debian
 * 2022 build predates systrap), and runsc's own network stack is turned off.
 * Its sandbox and gofer processes live in their own sessions: delete reaches them.
 */
import { join } from "node:path";
import { RUNTIME_STATE } from "../paths.ts";
import type { Backend } from "../types.ts";
import { ociBackend } from "./oci-runtime.ts";

export interface GvisorOptions {
  program?: string;
  stateRoot?: string;
  platform?: "ptrace" | "systrap" | "kvm";
}

export function createGvisor(config: GvisorOptions = {}): Backend {
  const program = config.program ?? "runsc";
  const stateRoot = config.stateRoot ?? join(RUNTIME_STATE, "runsc");
  return ociBackend({
    name: "gvisor",
    title: "gVisor (runsc)",
    notes: "A user-space kernel between guest and host (ptrace platform), plus runc's namespaces and cgroup limits; file I/O is slow.",
    command: [program, "--root", stateRoot, "--network=none", `--platform=${config.platform ?? "ptrace"}`],
    version: /runsc version (\S+)/,
    install: "apt-get install runsc",
    flags: { force: "-force", quiet: "-quiet" },
  });
}
