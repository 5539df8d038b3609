import { scriptOf } from "../languages/index.ts";
import type { Program, RunRequest } from "../types.ts";
import { mountPath, normalizePath, ROOT_MOUNT, WORKSPACE_ROOT, type Mount, type WorkspaceSnapshot } from "../workspace/index.ts";

/** What both engines do with RunRequest.workspace and RunRequest.mounts, around the engine-specific copying. */

/**
 * The request's mounts, each path checked to be canonical; throws an error
 * naming a bad one. A mount at / must be alone, under a raw WASI module.
 */
export function checkedMounts(request: RunRequest): Mount[] {
  const mounts = request.mounts ?? [];
  for (const mount of mounts) {
    const canonical = mountPath(mount.path);
    if (canonical !== mount.path) throw new Error(`mount path must be canonical: "${mount.path}" (use "${canonical}")`);
  }
  if (rootMountOf(request) !== undefined) {
    if (request.program.language !== "wasm") throw new Error(`a mount at / is the guest's whole filesystem: only a raw WASI module (.wasm) runs over it, not ${request.program.language}`);
    if (mounts.length > 1 || request.workspace) throw new Error("a mount at / is the guest's whole filesystem: no other mount or workspace beside it");
  }
  return mounts;
}

/** The mount at / (see ROOT_MOUNT), if the request has one. */
export function rootMountOf(request: RunRequest): Mount | undefined {
  return request.mounts?.find((m) => m.path === ROOT_MOUNT);
}

/**
 * `after` without the program's script (an interpreter's /workspace/main.py,
 * which the engine writes there) when the caller's workspace did not have it
 * and the guest left it as written: it is the program, not a change the run made.
 */
export function withoutScript(after: WorkspaceSnapshot, before: WorkspaceSnapshot, program: Program): WorkspaceSnapshot {
  const script = scriptOf(program);
  if (!script?.path.startsWith(`${WORKSPACE_ROOT}/`)) return after;
  const path = normalizePath(script.path);
  const entry = after.entries.get(path);
  if (before.entries.has(path) || entry?.kind !== "file" || new TextDecoder().decode(entry.data) !== script.code) return after;
  const entries = new Map(after.entries);
  entries.delete(path);
  return { entries, bytes: after.bytes - entry.data.length };
}
