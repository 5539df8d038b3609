/**
 * What runc, crun and runsc have in common: one OCI bundle per run (the
 * config.json of ../oci/config.ts over the shared read-only rootfs), a state
 * root of our own, `delete --force` after every run, and leftovers found by
 * listing that state root and the cgroups named after runs.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { processLeftovers } from "../host-processes.ts";
import { ociConfig } from "../oci/config.ts";
import { runQuiet } from "../process.ts";
import type { CommandOptions, Invocation } from "../types.ts";
import { guestView } from "./guest-view.ts";

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
