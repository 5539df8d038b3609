/**
 * Podman, daemonless, with runc as its runtime, its storage under build/ and
 * the image imported from the local rootfs tarball. On this kind of machine
 * root lacks CAP_SYS_RESOURCE, so Podman's habit of raising the nofile and
 * nproc limits to the host maximum fails unless they are given explicitly;
 * cgroups are managed directly (no systemd).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ensureArtifacts } from "../build/artifacts.ts";
import { rootfsImage, rootfsImageReference } from "../build/tarball.ts";
import { detectVersion, isRoot } from "../detect.ts";
import { processLeftovers } from "../host-processes.ts";
import { DAEMONS } from "../paths.ts";
import { runQuiet } from "../process.ts";
import { executePlan, newRunId } from "../run-plan.ts";
import { DEFAULT_LIMITS, type Backend, type CommandOptions, type CommandPlan, type Invocation, type RunOptions } from "../types.ts";
import { containerRunFlags } from "./container-flags.ts";
import { listContainers, waitUntilRemoved } from "./container-removal.ts";
import { guestView } from "./guest-view.ts";

export interface PodmanOptions {
  program?: string;
  storage?: string;
  image?: string;
}

export function createPodman(config: PodmanOptions = {}): Backend {
  const program = config.program ?? "podman";
  const storage = config.storage ?? join(DAEMONS, "podman");
  const podman = [
    program,
    "--root", join(storage, "root"), "--runroot", join(storage, "run"),
    "--cgroup-manager=cgroupfs", "--events-backend=file", "--runtime", "runc",
  ];
  const images = new Set<string>();

  const backend: Backend = {
    name: "podman",
    title: "Podman (runc)",
    layout: "rootfs",
    notes: "Podman's default seccomp profile, no capabilities, no network, read-only root, memory and pids limits; conmon supervises each container.",
    async detect() {
      if (!isRoot()) return { available: false, reason: "rootful podman needs root (rootless is not configured here)" };
      return detectVersion(program, ["--version"], /podman version (\S+)/, "apt-get install podman");
    },
    command(invocation: Invocation, options: CommandOptions): CommandPlan {
      const view = guestView("rootfs", invocation, options);
      const image = config.image ?? rootfsImageReference(options.artifacts.rootfs);
      return {
        argv: [
          ...podman, "run",
          "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096",
          ...containerRunFlags(options.runId, invocation, options.limits),
          image, view.program, ...view.args,
        ],
        files: [],
        cleanup: [[...podman, "rm", "--force", "--ignore", "--time", "0", options.runId]],
        removePaths: [],
        // conmon marks an out-of-memory kill by creating a file "oom" in its working folder: keep that in podman's own.
        cwd: storage,
      };
    },
    async run(invocation: Invocation, options: RunOptions) {
      const artifacts = ensureArtifacts();
      mkdirSync(storage, { recursive: true });
      const image = rootfsImage(artifacts.rootfs);
      if (!images.has(image.reference)) {
        const known = await runQuiet([...podman, "image", "exists", image.reference]);
        if (known.exitCode !== 0) {
          const imported = await runQuiet([...podman, "import", image.tarball, image.reference], 120_000);
          if (imported.exitCode !== 0) throw new Error(`podman import failed: ${imported.stderr.trim()}`);
        }
        images.add(image.reference);
      }
      const runId = newRunId();
      const plan = backend.command(invocation, { runId, hostScratch: "", limits: options.limits ?? DEFAULT_LIMITS, artifacts });
      const result = await executePlan(plan, options);
      await waitUntilRemoved(podman, runId, ["rm", "--force", "--ignore", "--time", "0"]);
      return { ...result, runId };
    },
    async leftovers(runId?: string) {
      const listed = await listContainers(podman, runId ? `^/?${runId}$` : "playpen-");
      return [...processLeftovers(runId), ...listed.map((id) => `container ${id} (podman)`)];
    },
  };
  return backend;
}
