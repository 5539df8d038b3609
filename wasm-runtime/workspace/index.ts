export { WorkspaceError, type WorkspaceErrorCode } from "./errors.ts";
export { NAME_MAX, PATH_MAX, WORKSPACE_ROOT, isWithin, normalizePath, parentOf } from "./path.ts";
export {
  DEFAULT_WORKSPACE_LIMITS,
  EMPTY_SNAPSHOT,
  Workspace,
  checkLimits,
  type WorkspaceDir,
  type WorkspaceEntry,
  type WorkspaceFile,
  type WorkspaceLimits,
  type WorkspaceSnapshot,
  type WorkspaceStat,
} from "./workspace.ts";
export { TEXT_DIFF_MAX_BYTES, diff, hashDiff, isText, sameBytes, type Change, type DiffEntry, type DiffSide, type WorkspaceDiff } from "./diff.ts";
export { exportZip, importZip, type ZipImport } from "./zip.ts";
export { grantMounts, mountPath, ROOT_MOUNT, type Mount } from "./mounts.ts";
export { readFromVfs, removeTree, writeIntoVfs } from "./vfs-bridge.ts";
export { WorkspaceSession } from "./session.ts";
