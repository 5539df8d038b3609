/**
 * A Landlock + seccomp launcher of our own (../launcher/landlock-seccomp.c):
 * no namespaces, no root filesystem, no daemon. The guest runs on the host's
 * paths as nobody, may read and execute only the workload folder and write
 * only its scratch folder; TCP connect and bind are denied; a seccomp deny
 * list removes namespaces, mounts, ptrace, BPF, io_uring and the like;
 * address-space and process-count rlimits stand in for cgroup limits, and the
 * environment is replaced by the granted one.
 */
import { join } from "node:path";
import { ensureArtifacts } from "../build/artifacts.ts";
import { GUEST_GID, GUEST_UID } from "../build/rootfs.ts";
import { processLeftovers } from "../host-processes.ts";
import { runBackend } from "../run-plan.ts";
import { runQuiet } from "../process.ts";
import type { Artifacts, Backend, CommandOptions, CommandPlan, Detection, Invocation } from "../types.ts";
import { envFlags, guestView } from "./guest-view.ts";

export function createLandlockSeccomp(): Backend {
  const backend: Backend = {
    name: "landlock-seccomp",
    title: "Landlock + seccomp launcher",
    layout: "host",
    notes: "Landlock file and TCP rules, a seccomp deny list, an unprivileged uid and rlimits; the guest shares the host's pid and network namespaces and sees its kernel.",
    async detect(): Promise<Detection> {
      let artifacts: Artifacts;
      try {
        artifacts = ensureArtifacts();
      } catch (error) {
        return { available: false, reason: `the launcher could not be built: ${error instanceof Error ? error.message : String(error)}` };
      }
      const abi = await runQuiet([artifacts.landlockLauncher, "--abi"]);
      if (abi.exitCode !== 0) return { available: false, reason: abi.stderr.trim() || "Landlock is not available" };
      // A trial run: the launcher refuses to start when the kernel cannot enforce every step.
      const hello = join(artifacts.workloadBin, "hello");
      const trial = await runQuiet([artifacts.landlockLauncher, "--uid", String(GUEST_UID), "--gid", String(GUEST_GID), "--rx", artifacts.workloadBin, "--", hello]);
      if (trial.exitCode !== 0) return { available: false, reason: trial.stderr.trim() || `the launcher failed (exit ${trial.exitCode})` };
      return { available: true, version: `Landlock ABI ${abi.stdout.trim()}, seccomp-bpf` };
    },
    command(invocation: Invocation, options: CommandOptions): CommandPlan {
      const view = guestView("host", invocation, options);
      const argv = [
        options.artifacts.landlockLauncher,
        "--uid", String(GUEST_UID), "--gid", String(GUEST_GID),
        "--memory-mib", String(options.limits.memoryMiB), "--pids", String(options.limits.pids),
        "--rx", options.artifacts.workloadBin,
        ...(invocation.readPaths ?? []).flatMap((path) => ["--rx", path]),
        "--rw", view.workspace,
        "--chdir", view.workspace,
        ...envFlags(invocation.env, "--env"),
        "--", view.program, ...view.args,
      ];
      return { argv, files: [], cleanup: [], removePaths: [] };
    },
    run: (invocation, options) => runBackend(backend, invocation, options),
    async leftovers(runId?: string) {
      return processLeftovers(runId);
    },
  };
  return backend;
}

