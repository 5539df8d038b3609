/**
 * The size of the host interface each contender's guest can call: Linux
 * system calls left callable by a backend's seccomp filter (or all of them),
 * the WASI calls an engine's host implements, or a VM's virtual devices.
 * Counted from the filters and hosts themselves wherever they can be read.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inspectModule } from "../wasm-runtime/index.ts";
import { createWasiHost } from "../wasm-runtime/wasi/index.ts";
import { VirtualFs } from "../wasm-runtime/vfs/index.ts";
import { buildWasiWorkloads } from "./build/wasi-workloads.ts";
import { allowedSyscallCount } from "./oci/seccomp.ts";
import { LAUNCHER_SOURCE } from "./paths.ts";
import { isWasm, type Contender } from "./types.ts";

export interface AttackSurface {
  backend: string;
  interface: "wasi-imports" | "syscalls" | "virtual-devices";
  count: number | null;
  of: number | null;
  detail: string;
}

/** Every function of wasi_snapshot_preview1, the whole interface a WASI command can import. */
export const WASI_PREVIEW1_CALLS: readonly string[] = [
  "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
  "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags", "fd_fdstat_set_rights",
  "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread", "fd_prestat_get", "fd_prestat_dir_name",
  "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek", "fd_sync", "fd_tell", "fd_write",
  "path_create_directory", "path_filestat_get", "path_filestat_set_times", "path_link", "path_open", "path_readlink",
  "path_remove_directory", "path_rename", "path_symlink", "path_unlink_file",
  "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get",
  "sock_accept", "sock_recv", "sock_send", "sock_shutdown",
];

const UNISTD_64 = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";
const FIREJAIL_FILTER = "/usr/lib/x86_64-linux-gnu/firejail/seccomp";
const FSEC_PRINT = "/usr/lib/x86_64-linux-gnu/firejail/fsec-print";

/** The x86-64 system calls of the kernel headers installed here (linux-libc-dev). */
export function linuxSyscallCount(): number | null {
  if (!existsSync(UNISTD_64)) return null;
  return new Set([...readFileSync(UNISTD_64, "utf8").matchAll(/^#define __NR_(\w+)\s+\d+/gm)].map((m) => m[1])).size;
}

/** The calls the Landlock launcher's seccomp filter refuses: its deny list, and clone3 (ENOSYS). */
export function launcherDeniedSyscalls(source = readFileSync(LAUNCHER_SOURCE, "utf8")): string[] {
  const list = /denied_syscalls\[\] = \{([^}]*)\}/.exec(source)?.[1];
  if (!list) throw new Error(`no denied_syscalls list in ${LAUNCHER_SOURCE}`);
  return [...[...list.matchAll(/SYS_(\w+)/g)].map((m) => m[1]!), "clone3"];
}

/** The names firejail's default `--seccomp` filter refuses, read from the compiled filter with its own printer. */
export function firejailDeniedSyscalls(): string[] | null {
  if (!existsSync(FIREJAIL_FILTER) || !existsSync(FSEC_PRINT)) return null;
  try {
    const listing = execFileSync(FSEC_PRINT, [FIREJAIL_FILTER], { encoding: "utf8" });
    return [...new Set([...listing.matchAll(/\bjeq (\w+) /g)].map((m) => m[1]!).filter((name) => !name.startsWith("ARCH_")))];
  } catch {
    return null;
  }
}

/** The WASI calls the gated engine's host provides, read off a host instance. */
export function gatedHostCalls(): string[] {
  const host = createWasiHost({ fs: new VirtualFs(), gate: () => false });
  return Object.keys(host.imports.wasi_snapshot_preview1);
}

/** How many preview1 calls each WASI workload and probe imports: what the programs measured here actually use. */
export function workloadImports(): { min: number; max: number; union: number } {
  const dir = buildWasiWorkloads();
  const perModule = readdirSync(dir)
    .filter((f) => f.endsWith(".wasm"))
    .map((f) => inspectModule(new Uint8Array(readFileSync(join(dir, f)))).imports.filter((i) => i.module === "wasi_snapshot_preview1").map((i) => i.name));
  const counts = perModule.map((names) => names.length);
  return { min: Math.min(...counts), max: Math.max(...counts), union: new Set(perModule.flat()).size };
}

/** The microvm's devices with -nodefaults and pit/pic/rtc on: what the guest reaches of qemu (besides the CPU emulation itself under TCG). */
const MICROVM_DEVICES = ["serial port (16550A, the console)", "i8254 PIT", "i8259 PIC", "MC146818 RTC"];

/** One row per contender, in the order given. */
export function attackSurface(contenders: readonly Contender[]): AttackSurface[] {
  const total = linuxSyscallCount();
  const ofTotal = (count: number | null) => ({ count, of: total });
  const all = `all ${total ?? "the"} x86-64 system calls of this kernel's headers`;
  const oci = allowedSyscallCount();
  let wasi: ReturnType<typeof workloadImports> | undefined;
  const imports = () => (wasi ??= workloadImports());
  return contenders.map((contender): AttackSurface => {
    const backend = contender.name;
    if (isWasm(contender)) {
      const used = imports();
      const modules = `the WASI builds measured here import ${used.min}–${used.max} of them (${used.union} distinct)`;
      if (contender.engine === "gated") {
        const provided = gatedHostCalls().filter((name) => WASI_PREVIEW1_CALLS.includes(name));
        return {
          backend, interface: "wasi-imports", count: provided.length, of: WASI_PREVIEW1_CALLS.length,
          detail: `Playpen's WASI host implements ${provided.length} of the ${WASI_PREVIEW1_CALLS.length} wasi_snapshot_preview1 calls and nothing else, each file access a policy decision; ${modules}. Beneath it, the ${contender.host === "node" ? "Node process" : "browser's renderer"} has the host's system calls.`,
        };
      }
      return {
        backend, interface: "wasi-imports", count: null, of: WASI_PREVIEW1_CALLS.length,
        detail: `@wasmer/sdk provides all ${WASI_PREVIEW1_CALLS.length} wasi_snapshot_preview1 calls plus WASIX's own namespace (sockets, threads, fork/exec emulation) that a WASIX-built module may import; that namespace's size is not counted here; ${modules}.`,
      };
    }
    switch (backend) {
      case "plain":
        return { backend, interface: "syscalls", ...ofTotal(total), detail: `No filter: ${all}.` };
      case "bubblewrap":
        return { backend, interface: "syscalls", ...ofTotal(total), detail: `bwrap as configured here installs no seccomp filter: ${all}, inside namespaces.` };
      case "landlock-seccomp": {
        const denied = launcherDeniedSyscalls();
        return {
          backend, interface: "syscalls", ...ofTotal(total === null ? null : total - denied.length),
          detail: `The launcher's deny list refuses ${denied.length} calls (${denied.slice(0, 6).join(", ")}…), and namespace flags of clone; everything else is callable.`,
        };
      }
      case "firejail": {
        const denied = firejailDeniedSyscalls();
        return {
          backend, interface: "syscalls", ...ofTotal(denied && total !== null ? total - denied.length : null),
          detail: denied
            ? `firejail's default --seccomp filter (${FIREJAIL_FILTER}) refuses ${denied.length} calls; the rest are callable.`
            : "firejail's default --seccomp blacklist could not be read here (fsec-print missing).",
        };
      }
      case "runc":
      case "crun":
        return { backend, interface: "syscalls", ...ofTotal(oci), detail: `Our OCI seccomp allow list (Docker's default profile for a container without capabilities, native/oci/seccomp.ts): ${oci} calls, clone without namespace flags.` };
      case "docker":
      case "podman":
        return { backend, interface: "syscalls", ...ofTotal(oci), detail: `The engine's own default seccomp profile with every capability dropped; native/oci/seccomp.ts is that profile written out (${oci} calls), the count assumes the installed engine's matches it.` };
      case "gvisor":
      case "docker-gvisor":
        return {
          backend, interface: "syscalls", ...ofTotal(total),
          detail: `Guest-visible: gVisor's Sentry implements the Linux system calls for the guest itself (${all} are answered by it, not by the host kernel). The host calls the Sentry may make are limited by its own seccomp filter, whose size is not known here.`,
        };
      case "qemu":
        return {
          backend, interface: "virtual-devices", count: MICROVM_DEVICES.length, of: null,
          detail: `The guest has every system call of its own kernel; what it reaches of the host is qemu's virtual hardware: ${MICROVM_DEVICES.join(", ")} (microvm, -nodefaults), and under TCG the CPU emulation itself.`,
        };
      default:
        return { backend, interface: "syscalls", count: null, of: total, detail: "Not measured: the backend is not usable here." };
    }
  });
}
