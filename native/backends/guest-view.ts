/**
 * How an invocation looks from inside the guest, for the two layouts: in the
 * busybox root filesystem the binaries are in /bench and the workspace is a
 * private /workspace; on the host's own paths they are in the workload folder
 * and the workspace is the run's scratch folder.
 */
import { join } from "node:path";
import { resolveArgs } from "../run-plan.ts";
import type { CommandOptions, Invocation, Layout } from "../types.ts";

export const GUEST_BIN = "/bench";
export const GUEST_WORKSPACE = "/workspace";

export interface GuestView {
  program: string;
  args: string[];
  workspace: string;
}

export function guestView(layout: Layout, invocation: Invocation, options: CommandOptions): GuestView {
  const workspace = layout === "rootfs" ? GUEST_WORKSPACE : options.hostScratch;
  const program = layout === "rootfs" ? `${GUEST_BIN}/${invocation.binary}` : join(options.artifacts.workloadBin, invocation.binary);
  return { program, args: resolveArgs(invocation.args, workspace), workspace };
}

/** `--flag NAME=VALUE` pairs (or `--flag NAME VALUE` triples) for the granted environment. */
export function envFlags(env: Record<string, string>, flag: string, separate = false): string[] {
  return Object.entries(env).flatMap(([name, value]) => (separate ? [flag, name, value] : [flag, `${name}=${value}`]));
}
