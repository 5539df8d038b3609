/**
 * The `docker run` / `podman run` flags of a careful operator, shared by the
 * Docker and Podman backends: no network, no capabilities, no_new_privs,
 * read-only root with private tmpfs for /tmp and /workspace, nobody as the
 * user, memory (without swap) and pids limits, no core dumps, no log copy of
 * the output on the daemon's disk.
 */
import { GUEST_GID, GUEST_UID } from "../build/rootfs.ts";
import type { Invocation, Limits } from "../types.ts";
import { envFlags, GUEST_WORKSPACE } from "./guest-view.ts";

export function containerRunFlags(runId: string, invocation: Invocation, limits: Limits): string[] {
  return [
    "--rm", "--name", runId,
    "--network", "none",
    "--cap-drop", "ALL",
    "--security-opt", "no-new-privileges",
    "--read-only",
    "--tmpfs", "/tmp:rw,nosuid,nodev,size=16m,mode=1777",
    "--tmpfs", `${GUEST_WORKSPACE}:rw,nosuid,nodev,size=32m,mode=1777`,
    "--workdir", GUEST_WORKSPACE,
    "--user", `${GUEST_UID}:${GUEST_GID}`,
    "--hostname", "sandbox",
    "--memory", `${limits.memoryMiB}m`, "--memory-swap", `${limits.memoryMiB}m`,
    "--pids-limit", String(limits.pids),
    "--ulimit", "core=0",
    "--log-driver", "none",
    ...envFlags(invocation.env, "-e"),
  ];
}
