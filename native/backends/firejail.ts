/**
 * firejail: a setuid-root sandbox launcher built for desktop applications. Run
 * here as root (it refuses other users unless /etc/firejail/firejail.users
 * lists them), on the host's own paths: firejail's --chroot is disabled by its
 * default configuration. The whole file system is made read-only; the run's
 * scratch folder is covered by a private tmpfs (its private /dev hides
 * /dev/shm, where the other host-layout backends' scratch lives); new network
 * namespace with no interface, private /dev, no capabilities, its default seccomp filter, no_new_privs, an
 * address-space limit. No --private-tmp: the workloads run from this checkout,
 * which may itself live under /tmp (a CI clone); the read-only root keeps /tmp
 * unwritable anyway. Its pids limit (RLIMIT_NPROC) does not bind root, and
 * the guest inherits the runner's environment: firejail has no option to clear it.
 */
import { detectVersion } from "../detect.ts";
import { processLeftovers } from "../host-processes.ts";
import { RUNS } from "../paths.ts";
import { runBackend } from "../run-plan.ts";
import type { Backend, CommandOptions, CommandPlan, Invocation } from "../types.ts";
import { guestView } from "./guest-view.ts";

export function createFirejail(program = "firejail"): Backend {
  const backend: Backend = {
    name: "firejail",
    title: "firejail",
    layout: "host",
    scratchRoot: RUNS,
    notes: "Read-only view of the host's files, no network, no capabilities, seccomp, address-space limit; the host's files stay readable and the environment is inherited.",
    detect: () => detectVersion(program, ["--version"], /firejail version (\S+)/, "apt-get install firejail"),
    command(invocation: Invocation, options: CommandOptions): CommandPlan {
      const view = guestView("host", invocation, options);
      const argv = [
        program,
        "--quiet", "--noprofile",
        "--net=none", "--private-dev", "--hostname=sandbox",
        "--caps.drop=all", "--seccomp", "--nonewprivs",
        `--rlimit-as=${options.limits.memoryMiB}m`, `--rlimit-nproc=${options.limits.pids}`,
        "--read-only=/", `--tmpfs=${view.workspace}`,
        `--private-cwd=${view.workspace}`,
        view.program, ...view.args,
      ];
      return { argv, files: [], cleanup: [], removePaths: [], env: invocation.env };
    },
    run: (invocation, options) => runBackend(backend, invocation, options),
    // The tmpfs argument names the run's scratch folder, so firejail's processes name the run.
    async leftovers(runId?: string) {
      return processLeftovers(runId);
    },
  };
  return backend;
}
