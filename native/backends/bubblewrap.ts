/**
 * bubblewrap (bwrap): unprivileged namespaces around the busybox root
 * filesystem, mounted read-only. New user, pid, network, ipc, uts and cgroup
 * namespaces; the guest is nobody with no capabilities, a fresh session (no
 * TIOCSTI into the runner's terminal), a clean environment, and it dies with
 * the runner. bwrap has no memory or pids limits of its own and, as configured
 * here, no seccomp filter.
 */
import { GUEST_GID, GUEST_UID } from "../build/rootfs.ts";
import { detectVersion } from "../detect.ts";
import { processLeftovers } from "../host-processes.ts";
import { runBackend } from "../run-plan.ts";
import type { Backend, CommandOptions, CommandPlan, Invocation } from "../types.ts";
import { envFlags, GUEST_WORKSPACE, guestView } from "./guest-view.ts";

export function createBubblewrap(program = "bwrap"): Backend {
  const backend: Backend = {
    name: "bubblewrap",
    title: "bubblewrap",
    layout: "rootfs",
    notes: "Namespaces and a read-only busybox root; no capabilities. No memory, pids or seccomp limits as configured.",
    detect: () => detectVersion(program, ["--version"], /bubblewrap\s+(\S+)/, "apt-get install bubblewrap"),
    command(invocation: Invocation, options: CommandOptions): CommandPlan {
      const view = guestView("rootfs", invocation, options);
      const argv = [
        program,
        "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup",
        "--uid", String(GUEST_UID), "--gid", String(GUEST_GID),
        "--cap-drop", "ALL",
        "--die-with-parent", "--new-session",
        "--hostname", "sandbox",
        "--ro-bind", options.artifacts.rootfs, "/",
        "--proc", "/proc",
        "--dev", "/dev",
        "--tmpfs", "/tmp",
        "--tmpfs", GUEST_WORKSPACE,
        "--chdir", GUEST_WORKSPACE,
        "--clearenv", ...envFlags(invocation.env, "--setenv", true),
        "--", view.program, ...view.args,
      ];
      return { argv, files: [], cleanup: [], removePaths: [] };
    },
    run: (invocation, options) => runBackend(backend, invocation, options),
    // bwrap's children die with it (--die-with-parent), and the runner kills its process group.
    async leftovers(runId?: string) {
      return processLeftovers(runId);
    },
  };
  return backend;
}
