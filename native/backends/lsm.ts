/**
 * AppArmor and SELinux rows. Both are Linux security modules a container
 * runtime can put a workload under; both need the kernel to have them enabled.
 * This slice detects them and reports why they are unavailable; confining a
 * workload with a profile or a context where they are present is a later slice,
 * so even a host that has them gets an explicit "not implemented yet" reason.
 */
import { existsSync, readFileSync } from "node:fs";
import type { Backend, Detection } from "../types.ts";

type Module = "apparmor" | "selinux";

/** The active LSMs: /sys/kernel/security/lsm when securityfs is mounted, else undefined. */
function activeLsms(): string[] | undefined {
  const path = "/sys/kernel/security/lsm";
  return existsSync(path) ? readFileSync(path, "utf8").trim().split(",") : undefined;
}

export function detectLsm(module: Module): Extract<Detection, { available: false }> {
  const enabled =
    module === "apparmor"
      ? readFlag("/sys/module/apparmor/parameters/enabled") === "Y"
      : existsSync("/sys/fs/selinux/enforce");
  const active = activeLsms();
  if (!enabled && !active?.includes(module)) {
    const where = active ? `active LSMs: ${active.join(", ")}` : module === "apparmor" ? "no /sys/module/apparmor" : "no /sys/fs/selinux";
    return { available: false, reason: `${module === "apparmor" ? "AppArmor" : "SELinux"} is not enabled in this kernel (${where})` };
  }
  return { available: false, reason: `${module === "apparmor" ? "AppArmor" : "SELinux"} is enabled, but confining a workload with it is not implemented yet` };
}

function readFlag(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

function lsmBackend(module: Module): Backend {
  const title = module === "apparmor" ? "AppArmor" : "SELinux";
  const unavailable = (): never => {
    throw new Error(`${title} backend: ${detectLsm(module).reason}`);
  };
  return {
    name: module,
    title,
    layout: "rootfs",
    notes: `${title} detection only in this slice.`,
    detect: async () => detectLsm(module),
    command: unavailable,
    run: async () => unavailable(),
    leftovers: async () => [],
  };
}

export const createAppArmor = (): Backend => lsmBackend("apparmor");
export const createSelinux = (): Backend => lsmBackend("selinux");
