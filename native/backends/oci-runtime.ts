/**
 * What runc, crun and runsc have in common: one OCI bundle per run (the
 * config.json of ../oci/config.ts over the shared read-only rootfs), a state
 * root of our own, `delete --force` after every run, and leftovers found by
 * listing that state root and the cgroups named after runs. Each of the three
 * is this backend with its own program, flags and notes.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { detectVersion, isRoot } from "../detect.ts";
import { processLeftovers } from "../host-processes.ts";
import { ociConfig } from "../oci/config.ts";
import { runQuiet } from "../process.ts";
import { runBackend } from "../run-plan.ts";
import type { Backend, CommandOptions, CommandPlan, Detection, Invocation } from "../types.ts";
import { guestView } from "./guest-view.ts";

export interface OciRuntime {
  name: string;
  title: string;
  notes: string;
  /** The runtime's command and global flags (`runc --root DIR`), before the subcommand. */
  command: string[];
  /** `--version` output holds the version as this pattern's first group. */
  version: RegExp;
  install: string;
  /** Spelling of the flags (runsc takes Go-style single dashes). */
  flags: { force: string; quiet: string };
  /** Wraps every call of the runtime (crun's hybrid-cgroups workaround). */
  wrap?: (argv: string[]) => string[];
  /** A reason the runtime cannot run here beyond needing root, if any. */
  unavailable?: () => string | undefined;
}

export function ociBackend(runtime: OciRuntime): Backend {
  const wrap = runtime.wrap ?? ((argv: string[]) => argv);
  const program = runtime.command[0]!;
  const backend: Backend = {
    name: runtime.name,
    title: runtime.title,
    layout: "rootfs",
    notes: runtime.notes,
    async detect(): Promise<Detection> {
      if (!isRoot()) return { available: false, reason: `${program} needs root here (rootless mode is not configured)` };
      const reason = runtime.unavailable?.();
      if (reason) return { available: false, reason };
      return detectVersion(program, ["--version"], runtime.version, runtime.install);
    },
    command(invocation: Invocation, options: CommandOptions): CommandPlan {
      const bundle = bundleFor(invocation, options);
      return {
        argv: wrap([...runtime.command, "run", "--bundle", bundle.dir, options.runId]),
        files: [{ path: bundle.configPath, content: bundle.config }],
        // Killing `run` does not end the container: delete does, and removes its state and cgroups.
        cleanup: [wrap([...runtime.command, "delete", runtime.flags.force, options.runId])],
        removePaths: [bundle.dir],
      };
    },
    run: (invocation, options) => runBackend(backend, invocation, options),
    leftovers: (runId?: string) => ociLeftovers(wrap([...runtime.command, "list", runtime.flags.quiet]), runId),
  };
  return backend;
}

/** Parent cgroup of every run: /sys/fs/cgroup/<controller>/playpen-native/<runId> on cgroup v1. */
export const CGROUP_PARENT = "playpen-native";

export interface Bundle {
  dir: string;
  configPath: string;
  config: string;
}

export function bundleFor(invocation: Invocation, options: CommandOptions): Bundle {
  const view = guestView("rootfs", invocation, options);
  const dir = join(options.artifacts.bundles, options.runId);
  const config = ociConfig({
    invocation: { ...invocation, args: view.args },
    program: view.program,
    rootfs: options.artifacts.rootfs,
    cgroupsPath: `/${CGROUP_PARENT}/${options.runId}`,
    limits: options.limits,
  });
  return { dir, configPath: join(dir, "config.json"), config: `${JSON.stringify(config, null, 2)}\n` };
}

/** Cgroup folders of runs (any, or one) still present, on cgroup v1 or v2. */
export function cgroupLeftovers(runId?: string): string[] {
  const root = "/sys/fs/cgroup";
  const parents = existsSync(join(root, "cgroup.controllers"))
    ? [join(root, CGROUP_PARENT)]
    : readdirSync(root).map((controller) => join(root, controller, CGROUP_PARENT));
  const found: string[] = [];
  for (const parent of parents) {
    if (!existsSync(parent)) continue;
    for (const child of readdirSync(parent, { withFileTypes: true })) {
      if (child.isDirectory() && (!runId || child.name === runId)) found.push(`cgroup ${join(parent, child.name)}`);
    }
  }
  return found;
}

/** Containers listed in a runtime's state root (`list` prints one id per line with -q). */
export async function listedContainers(listCommand: string[], runId?: string): Promise<string[]> {
  const result = await runQuiet(listCommand);
  return result.stdout
    .split("\n")
    .map((line) => line.trim())
    .filter((id) => id && (!runId || id === runId))
    .map((id) => `container ${id} (${listCommand[0]})`);
}

export async function ociLeftovers(listCommand: string[], runId?: string): Promise<string[]> {
  return [...(await listedContainers(listCommand, runId)), ...cgroupLeftovers(runId), ...processLeftovers(runId)];
}
