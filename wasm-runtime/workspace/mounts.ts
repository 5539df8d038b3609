import type { MountGrant, Policy } from "../policy/index.ts";
import { RUNTIME_ROOT } from "../policy/index.ts";
import { WorkspaceError } from "./errors.ts";
import { NAME_MAX, WORKSPACE_ROOT } from "./path.ts";
import type { WorkspaceSnapshot } from "./workspace.ts";

/**
 * A tree of files placed in the guest's filesystem for one run, beside (or
 * inside) /workspace: a data set read-only at /data, a host folder given with
 * the CLI's --mount. A mount is a grant: the guest may read it, and write it
 * unless it is read-only, whatever the policy's other file rules allow
 * (a deny rule still wins, as always).
 */
export interface Mount {
  /** Absolute guest path, canonical (see `mountPath`). */
  readonly path: string;
  readonly files: WorkspaceSnapshot;
  readonly readOnly: boolean;
}

/**
 * A mount at `/` is the guest's whole filesystem: nothing of Playpen's
 * (no /workspace, no runtime files) beside it, as a folder given to wasmtime
 * with `--dir HOST::/`. Only a raw WASI module can run over it.
 */
export const ROOT_MOUNT = "/";

/** Where a mount may not go: the runtime's own files, the host tools. */
const RESERVED = [RUNTIME_ROOT, "/host"];

/**
 * The canonical form of a mount's guest path: absolute, no `.`/`..`/empty
 * components, no glob characters (it becomes a policy rule), not
 * `/workspace` itself or a reserved folder. `/` is a whole filesystem of its
 * own (ROOT_MOUNT): for a raw WASI module only.
 */
export function mountPath(input: string): string {
  if (!input.startsWith("/")) throw new WorkspaceError("path-outside", `mount point must be an absolute guest path: ${input}`, input);
  if (input.includes("\0")) throw new WorkspaceError("path-nul", `mount point contains a NUL byte`, input);
  const parts = input.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw new WorkspaceError("path-escapes", `mount point may not contain "..": ${input}`, input);
  if (parts.some((p) => /[*?]/.test(p))) throw new WorkspaceError("path-outside", `mount point may not contain * or ?: ${input}`, input);
  if (parts.some((p) => new TextEncoder().encode(p).length > NAME_MAX)) throw new WorkspaceError("name-too-long", `mount point has a name longer than ${NAME_MAX} bytes`, input);
  const path = `/${parts.join("/")}`;
  if (path === WORKSPACE_ROOT) throw new WorkspaceError("path-outside", `cannot mount over ${path}: mount below it instead`, input);
  for (const reserved of RESERVED) {
    if (path === reserved || path.startsWith(`${reserved}/`)) throw new WorkspaceError("path-outside", `${reserved} is reserved; mount elsewhere`, input);
  }
  return path;
}

/**
 * `policy` with each mount granted: read, and write unless read-only — all
 * but its protected paths (policy/protected.ts), which stay read-only unless
 * another rule grants them by name.
 */
export function grantMounts(policy: Policy, mounts: readonly Mount[]): Policy {
  if (mounts.length === 0) return policy;
  const grants = mounts.map((m): MountGrant => {
    const path = m.path === ROOT_MOUNT ? "/**" : `${m.path}/**`;
    return m.readOnly ? { path, access: "read" } : { path, access: "write", protect: true };
  });
  return { ...policy, files: [...policy.files, ...grants] };
}
