/**
 * Starts a private dockerd for the Docker backends and stops it afterwards:
 * its own data root, exec root, pid file and socket under build/, no iptables
 * rules and no bridge (containers get --network none anyway), and gVisor
 * registered as the runtime "runsc". Nothing of the host's Docker set-up, if
 * any, is touched.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findProgram } from "../detect.ts";
import { DAEMONS } from "../paths.ts";
import { runQuiet } from "../process.ts";

export interface DockerDaemon {
  /** The -H value for the docker client: unix:///…/docker.sock */
  host: string;
  stop(): Promise<void>;
}

export interface DockerdOptions {
  dir?: string;
  startTimeoutMs?: number;
}

function daemonConfig(runscPath: string | undefined): string {
  const runtimes = runscPath ? { runsc: { path: runscPath, runtimeArgs: ["--network=none", "--platform=ptrace"] } } : {};
  return `${JSON.stringify({ runtimes }, null, 2)}\n`;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

export async function startDockerd(options: DockerdOptions = {}): Promise<DockerDaemon> {
  const dockerd = findProgram("dockerd");
  const docker = findProgram("docker");
  if (!dockerd || !docker) throw new Error("dockerd or docker is not installed (apt-get install docker.io)");
  // Short paths: a unix socket path is limited to 108 bytes.
  const dir = options.dir ?? join(DAEMONS, "docker");
  for (const sub of ["data", "exec"]) mkdirSync(join(dir, sub), { recursive: true });
  const socket = join(dir, "docker.sock");
  const host = `unix://${socket}`;
  const configFile = join(dir, "daemon.json");
  writeFileSync(configFile, daemonConfig(findProgram("runsc")));
  rmSync(socket, { force: true });

  const log = openSync(join(dir, "dockerd.log"), "a");
  // Its own process group, so that stopping it also stops the containerd it starts.
  const child = spawn(
    dockerd,
    [
      "--data-root", join(dir, "data"), "--exec-root", join(dir, "exec"), "--pidfile", join(dir, "dockerd.pid"),
      "-H", host, "--config-file", configFile,
      "--iptables=false", "--ip6tables=false", "--bridge=none",
    ],
    { detached: true, stdio: ["ignore", log, log] },
  );

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    }, 10_000);
    await exited(child);
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dockerd exited (${child.exitCode}); see ${join(dir, "dockerd.log")}`);
    if (existsSync(socket)) {
      const ping = await runQuiet([docker, "-H", host, "version", "--format", "{{.Server.Version}}"], 5_000);
      if (ping.exitCode === 0) return { host, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`dockerd did not answer within ${options.startTimeoutMs ?? 30_000} ms; see ${join(dir, "dockerd.log")}`);
}

// One daemon shared by the Docker backends (runc and runsc runtimes) of a process.
let shared: Promise<DockerDaemon> | undefined;
let leases = 0;

/** Starts the shared daemon on first use; every acquire needs a matching release. */
export function acquireDockerd(): Promise<DockerDaemon> {
  leases++;
  shared ??= startDockerd().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

/** Stops the shared daemon when its last user lets go. */
export async function releaseDockerd(): Promise<void> {
  if (leases === 0) return;
  leases--;
  if (leases > 0 || !shared) return;
  const daemon = await shared.catch(() => undefined);
  shared = undefined;
  await daemon?.stop();
}
