/**
 * Builds (or reuses) everything the backends run from, and says where it is.
 * Cheap when up to date, so every run may call it.
 */
import { join } from "node:path";
import { BUNDLES } from "../paths.ts";
import type { Artifacts } from "../types.ts";
import { buildRootfs } from "./rootfs.ts";
import { buildWorkloads } from "./workloads.ts";

let cached: Artifacts | undefined;

export function ensureArtifacts(): Artifacts {
  if (cached) return cached;
  const workloadBin = buildWorkloads();
  cached = {
    workloadBin,
    rootfs: buildRootfs(workloadBin),
    bundles: BUNDLES,
    landlockLauncher: join(workloadBin, "landlock-seccomp"),
  };
  return cached;
}
