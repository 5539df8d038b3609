/**
 * The OCI runtime configuration (config.json) shared by runc, crun and runsc,
 * set up the way a careful operator would:
 *   - the guest runs as nobody, with no capabilities at all and no_new_privs;
 *   - the root filesystem is read-only; /workspace and /tmp are small private tmpfs;
 *   - new pid, network (loopback only, down), ipc, uts, mount and cgroup namespaces;
 *   - memory and pids cgroup limits; no devices beyond the runtime's defaults;
 *   - Docker's masked and read-only /proc paths; the seccomp profile of ./seccomp.ts.
 * A pure function of its input, so tests can pin the exact document.
 */
import { GUEST_GID, GUEST_UID } from "../build/rootfs.ts";
import type { Invocation, Limits } from "../types.ts";
import { seccompProfile, type SeccompProfile } from "./seccomp.ts";

export interface OciConfigInput {
  invocation: Invocation;
  /** Absolute path of the argv[0] inside the guest, e.g. /bench/hello. */
  program: string;
  /** Absolute host path of the root filesystem. */
  rootfs: string;
  /** Cgroup path, relative to each controller's root; unique per run. */
  cgroupsPath: string;
  limits: Limits;
}

const MiB = 1024 * 1024;

// Docker's defaults: kernel interfaces a container has no business reading or writing.
const MASKED_PATHS = [
  "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
  "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
];
const READONLY_PATHS = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

export interface OciConfig {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number; additionalGids: number[] };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: Record<"bounding" | "effective" | "inheritable" | "permitted" | "ambient", string[]>;
    rlimits: { type: string; hard: number; soft: number }[];
    noNewPrivileges: boolean;
  };
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: { destination: string; type: string; source: string; options: string[] }[];
  linux: {
    namespaces: { type: string }[];
    cgroupsPath: string;
    resources: {
      memory: { limit: number };
      pids: { limit: number };
      devices: { allow: boolean; access: string }[];
    };
    seccomp: SeccompProfile;
    maskedPaths: string[];
    readonlyPaths: string[];
  };
}

export function ociConfig(input: OciConfigInput): OciConfig {
  const noCapabilities = { bounding: [], effective: [], inheritable: [], permitted: [], ambient: [] };
  return {
    ociVersion: "1.0.2",
    process: {
      terminal: false,
      user: { uid: GUEST_UID, gid: GUEST_GID, additionalGids: [] },
      args: [input.program, ...input.invocation.args],
      env: Object.entries(input.invocation.env).map(([name, value]) => `${name}=${value}`),
      cwd: "/workspace",
      capabilities: noCapabilities,
      rlimits: [
        { type: "RLIMIT_NOFILE", hard: 1024, soft: 1024 },
        { type: "RLIMIT_CORE", hard: 0, soft: 0 },
      ],
      noNewPrivileges: true,
    },
    root: { path: input.rootfs, readonly: true },
    hostname: "sandbox",
    mounts: [
      { destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"] },
      { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
      { destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1777", "size=16m"] },
      { destination: "/workspace", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1777", "size=32m"] },
    ],
    linux: {
      // No user namespace: like Docker's default, the isolation is namespaces + no capabilities + seccomp.
      namespaces: [{ type: "pid" }, { type: "network" }, { type: "ipc" }, { type: "uts" }, { type: "mount" }, { type: "cgroup" }],
      cgroupsPath: input.cgroupsPath,
      resources: {
        memory: { limit: input.limits.memoryMiB * MiB },
        pids: { limit: input.limits.pids },
        devices: [{ allow: false, access: "rwm" }],
      },
      seccomp: seccompProfile(),
      maskedPaths: MASKED_PATHS,
      readonlyPaths: READONLY_PATHS,
    },
  };
}
