/**
 * crun, the OCI runtime written in C (Podman's default on many systems), with
 * the same bundle as runc. On a host with cgroups in "hybrid" mode (v1
 * controllers plus a v2 tree at /sys/fs/cgroup/unified) crun 1.8 refuses to
 * start ("cgroups in hybrid mode not supported"); the workaround is to run it
 * in a private mount namespace where the v2 tree is unmounted, which changes
 * nothing for the host.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { findProgram } from "../detect.ts";
import { RUNTIME_STATE } from "../paths.ts";
import type { Backend } from "../types.ts";
import { ociBackend } from "./oci-runtime.ts";

const UNIFIED = "/sys/fs/cgroup/unified";

/** True when v1 controllers and a v2 tree are both mounted (systemd's "hybrid" layout). */
export function hasHybridCgroups(): boolean {
  if (!existsSync("/proc/self/mounts")) return false;
  return readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .some((line) => line.split(" ")[1] === UNIFIED && line.split(" ")[2] === "cgroup2");
}

export interface CrunOptions {
  program?: string;
  stateRoot?: string;
  /** Wrap every crun call in the private-mount-namespace workaround described above. */
  hybridWorkaround?: boolean;
}

export function createCrun(config: CrunOptions = {}): Backend {
  const program = config.program ?? "crun";
  const stateRoot = config.stateRoot ?? join(RUNTIME_STATE, "crun");
  const hybrid = config.hybridWorkaround ?? hasHybridCgroups();
  return ociBackend({
    name: "crun",
    title: "crun (OCI runtime)",
    notes: "Same bundle and limits as runc." + (hybrid ? " Run in a private mount namespace without the cgroup v2 tree (hybrid cgroups)." : ""),
    command: [program, "--root", stateRoot],
    version: /crun version (\S+)/,
    install: "apt-get install crun",
    flags: { force: "--force", quiet: "-q" },
    // `sh -c '...' sh ARGS`: the arguments reach crun untouched by the shell.
    wrap: hybrid ? (argv) => ["unshare", "-m", "--propagation", "private", "sh", "-c", `umount ${UNIFIED} && exec "$@"`, "sh", ...argv] : undefined,
    unavailable: () => (hybrid && !findProgram("unshare") ? "hybrid cgroups need unshare(1) for the crun workaround" : undefined),
  });
}
