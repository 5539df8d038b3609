/**
 * Docker, with the image imported from the local rootfs tarball (never
 * pulled) into a private dockerd that the backend starts on first use and
 * stops on close(). Two flavours: the default runc runtime, and gVisor
 * registered as the "runsc" runtime. Docker applies its own default seccomp
 * profile. A `docker run` client killed at a timeout leaves its container
 * running: `docker rm -f` is the cleanup.
 */
import { existsSync } from "node:fs";
import { acquireDockerd, releaseDockerd, type DockerDaemon } from "../daemons/dockerd.ts";
import { ensureArtifacts } from "../build/artifacts.ts";
import { rootfsImage, rootfsImageReference } from "../build/tarball.ts";
import { detectVersion, findProgram, isRoot } from "../detect.ts";
import { processLeftovers } from "../host-processes.ts";
import { runQuiet } from "../process.ts";
import { executePlan, newRunId } from "../run-plan.ts";
import { DEFAULT_LIMITS, type Backend, type CommandOptions, type CommandPlan, type Invocation, type RunOptions } from "../types.ts";
import { containerRunFlags } from "./container-flags.ts";
import { listContainers, waitUntilRemoved } from "./container-removal.ts";
import { guestView } from "./guest-view.ts";

/** docker.io's client, preferred over any other on PATH so client and daemon versions match. */
const DEBIAN_CLIENT = "/usr/bin/docker";

export interface DockerOptions {
  runtime?: "runc" | "runsc";
  /** The docker client; the Debian package's, so client and daemon versions match. */
  client?: string;
  /** Fixed -H value and image, for command construction without a daemon (tests). */
  host?: string;
  image?: string;
}

export function createDocker(config: DockerOptions = {}): Backend & { close(): Promise<void> } {
  const runtime = config.runtime ?? "runc";
  const client = config.client ?? (existsSync(DEBIAN_CLIENT) ? DEBIAN_CLIENT : "docker");
  let daemon: DockerDaemon | undefined;
  const images = new Set<string>();

  const docker = (host: string) => [client, "-H", host];
  const hostOf = () => config.host ?? daemon?.host ?? "unix:///var/run/docker.sock";

  const backend = {
    name: runtime === "runsc" ? "docker-gvisor" : "docker",
    title: runtime === "runsc" ? "Docker with gVisor (runsc)" : "Docker (runc)",
    layout: "rootfs" as const,
    notes:
      "Docker's default seccomp profile, no capabilities, no network, read-only root, memory and pids limits; a daemon (dockerd + containerd + shim) between the runner and the container." +
      (runtime === "runsc" ? " gVisor's user-space kernel on the ptrace platform." : ""),
    async detect() {
      if (!isRoot()) return { available: false as const, reason: "the private dockerd needs root" };
      if (!findProgram("dockerd")) return { available: false as const, reason: "dockerd is not installed (apt-get install docker.io)" };
      if (runtime === "runsc" && !findProgram("runsc")) return { available: false as const, reason: "runsc is not installed (apt-get install runsc)" };
      return detectVersion("dockerd", ["--version"], /Docker version ([^\s,]+)/, "apt-get install docker.io");
    },
    command(invocation: Invocation, options: CommandOptions): CommandPlan {
      const view = guestView("rootfs", invocation, options);
      const image = config.image ?? rootfsImageReference(options.artifacts.rootfs);
      return {
        argv: [...docker(hostOf()), "run", "--runtime", runtime, ...containerRunFlags(options.runId, invocation, options.limits), image, view.program, ...view.args],
        files: [],
        cleanup: [[...docker(hostOf()), "rm", "--force", options.runId]],
        removePaths: [],
      };
    },
    async run(invocation: Invocation, options: RunOptions) {
      const artifacts = ensureArtifacts();
      daemon ??= await acquireDockerd();
      const image = rootfsImage(artifacts.rootfs);
      if (!images.has(image.reference)) {
        const known = await runQuiet([...docker(daemon.host), "image", "inspect", image.reference]);
        if (known.exitCode !== 0) {
          const imported = await runQuiet([...docker(daemon.host), "import", image.tarball, image.reference], 120_000);
          if (imported.exitCode !== 0) throw new Error(`docker import failed: ${imported.stderr.trim()}`);
        }
        images.add(image.reference);
      }
      const runId = newRunId();
      const plan = backend.command(invocation, { runId, hostScratch: "", limits: options.limits ?? DEFAULT_LIMITS, artifacts });
      const result = await executePlan(plan, options);
      await waitUntilRemoved(docker(daemon.host), runId, ["rm", "--force"]);
      return { ...result, runId };
    },
    async leftovers(runId?: string) {
      const found = processLeftovers(runId);
      if (!daemon) return found;
      const listed = await listContainers(docker(daemon.host), runId ? `^/?${runId}$` : "playpen-");
      return [...found, ...listed.map((id) => `container ${id} (docker)`)];
    },
    async close() {
      if (!daemon) return;
      daemon = undefined;
      await releaseDockerd();
    },
  };
  return backend;
}
