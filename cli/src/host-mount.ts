import { randomBytes } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { lstat, mkdir, open, readdir, readFile, realpath, rename, rmdir, unlink } from "node:fs/promises";
import path from "node:path";
import {
  checkLimits,
  diff,
  normalizePath,
  sameBytes,
  Workspace,
  type DiffEntry,
  type WorkspaceDiff,
  type WorkspaceEntry,
  type WorkspaceLimits,
  type WorkspaceSnapshot,
} from "../../wasm-runtime/workspace/index.ts";

/**
 * A host folder (the CLI's --mount) copied into a snapshot, and a run's
 * changes applied back to it. Nothing below the folder is ever followed
 * through a symlink: reading skips symlinks and special files, and writing
 * re-checks every path against the host as it is now.
 */

/** Why a host folder cannot be mounted or written back: the run's error (exit 126). */
export class HostMountError extends Error {}

/** An entry of the host folder left out of the snapshot. */
export interface SkippedEntry {
  readonly path: string;
  readonly why: string;
}

export interface HostFolder {
  /** The folder's real path: what the snapshot was read from and changes go back to. */
  readonly root: string;
  readonly files: WorkspaceSnapshot;
  readonly skipped: readonly SkippedEntry[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads `dir` (absolute) into a snapshot within `limits`, without following a symlink below it. */
export async function readHostFolder(dir: string, limits: WorkspaceLimits): Promise<HostFolder> {
  let root: string;
  try {
    root = await realpath(dir);
  } catch (error) {
    throw new HostMountError(errnoOf(error) === "ENOENT" ? "no such folder" : (error as Error).message);
  }
  if (!(await lstat(root)).isDirectory()) throw new HostMountError("not a folder");
  const workspace = new Workspace(limits);
  const skipped: SkippedEntry[] = [];
  const walk = async (relative: string): Promise<void> => {
    const names = await readdir(path.join(root, relative), { encoding: "buffer" });
    for (const raw of names.sort(Buffer.compare)) {
      let name: string;
      try {
        name = utf8.decode(raw);
      } catch {
        skipped.push({ path: path.posix.join(relative, raw.toString("latin1")), why: "its name is not UTF-8" });
        continue;
      }
      const entryPath = relative === "" ? name : `${relative}/${name}`;
      normalizePath(entryPath); // a name or path too long for the sandbox: an error naming it
      const full = path.join(root, entryPath);
      const stats = await lstat(full);
      if (stats.isDirectory()) {
        workspace.mkdir(entryPath, stats.mtimeMs);
        await walk(entryPath);
      } else if (stats.isFile()) {
        const fits = (size: number) => checkLimits(limits, workspace.usage().entries + 1, workspace.usage().bytes + size, entryPath);
        workspace.writeFile(entryPath, await readRegularFile(full, fits), stats.mtimeMs);
      } else {
        skipped.push({ path: entryPath, why: stats.isSymbolicLink() ? "a symlink (not followed)" : "a special file" });
      }
    }
  };
  try {
    await walk("");
  } catch (error) {
    // Quota, a name too long, a file that vanished or cannot be read: each message names the path.
    throw error instanceof HostMountError ? error : new HostMountError((error as Error).message);
  }
  return { root, files: workspace.snapshot(), skipped };
}

/**
 * Opens without following a symlink and checks it is still a regular file
 * (a FIFO swapped in would block a plain read); `fits` refuses a size over
 * the quota before anything is read.
 */
async function readRegularFile(full: string, fits: (size: number) => void): Promise<Uint8Array> {
  const handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new HostMountError(`${full} changed while it was read`);
    fits(stats.size);
    const bytes = await handle.readFile();
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } finally {
    await handle.close();
  }
}

/**
 * Characters that make a name pass for another on a terminal or in a shell:
 * control characters (C0, DEL, C1) and the bidirectional overrides that
 * reorder what is shown, and characters drawn like `/`.
 */
const MISLEADING: readonly [RegExp, string][] = [
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  [/[\u0000-\u001f\u007f-\u009f]/u, "a control character"],
  [/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u, "a bidirectional control character"],
  [/[\u2044\u2215\u2571\u29f8\u29f9\u2afb\u2f03\u3033\ufe68\uff0f\uff3c\u1735\u27cb\u27cd\u2cc6\u2cc7]/u, "a character drawn like a slash"],
];

/** Why a changed path's name may not be written back (undefined when it may): see MISLEADING, and a leading `-` reads as an option. */
export function nameProblem(relative: string): string | undefined {
  for (const name of relative.split("/")) {
    if (name.startsWith("-")) return `has a name starting with "-", which commands read as an option`;
    for (const [pattern, what] of MISLEADING) {
      const found = pattern.exec(name);
      if (found) return `has ${what} in its name (U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")})`;
    }
  }
  return undefined;
}

/** A guest-chosen name as it may be shown: plain when harmless, else quoted with every doubtful character as \uXXXX. */
export function shownName(name: string): string {
  if (nameProblem(name) === undefined && !/[\s"\\]/u.test(name)) return name;
  const doubtful = new RegExp(`${MISLEADING.map(([pattern]) => pattern.source).join("|")}|["\\\\]|[^\\P{White_Space} ]`, "gu");
  return `"${name.replace(doubtful, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`)}"`;
}

/** Whether `relative` is a workspace path as it is: no `..`, no empty part, no name or path too long. */
function isCanonical(relative: string): boolean {
  try {
    return normalizePath(relative) === relative;
  } catch {
    return false;
  }
}

/**
 * Applies the changes from `before` (what was read from `root`) to `after`
 * (what the run left) to the host folder, within `limits`. First every changed
 * path is checked against the host as it is now — each folder on the way a
 * real folder, the entry itself still what was read (same kind, same bytes),
 * never a symlink — so a folder changed meanwhile is refused before anything
 * is written; then deletions (deepest first), folders and files (each written
 * to a temporary file and renamed into place, re-checking the path).
 */
export async function writeBack(root: string, before: WorkspaceSnapshot, after: WorkspaceSnapshot, limits: WorkspaceLimits): Promise<WorkspaceDiff> {
  const changes = diff(before, after);
  if (changes.entries.length === 0) return changes;
  try {
    checkLimits(limits, after.entries.size, after.bytes);
  } catch (error) {
    throw new HostMountError(`nothing written back: the run left more than the quota allows (${(error as Error).message})`);
  }
  const stats = await lstat(root).catch(() => undefined);
  if (!stats?.isDirectory()) throw new HostMountError(`nothing written back: ${root} is no longer a folder`);
  for (const entry of changes.entries) {
    if (!isCanonical(entry.path)) throw new HostMountError(`nothing written back: the run left a path that is not canonical: ${shownName(entry.path)}`);
    const misleading = nameProblem(entry.path);
    if (misleading) throw new HostMountError(`nothing written back: ${shownName(entry.path)} ${misleading}`);
    const problem = (await differenceFromRead(root, entry.path, before.entries.get(entry.path))) ?? (await gainedEntry(root, entry, before));
    if (problem) throw new HostMountError(`nothing written back: ${entry.path} ${problem}`);
  }
  const deletions = changes.entries.filter((e) => e.change === "deleted").reverse();
  const writes = changes.entries.filter((e) => e.change !== "deleted");
  let done = 0;
  try {
    for (const entry of [...deletions, ...writes]) {
      await apply(root, entry, after);
      done++;
    }
  } catch (error) {
    throw new HostMountError(`${done} of ${changes.entries.length} changes written back, then ${(error as Error).message}`);
  }
  return changes;
}

/** How the host entry at `relative` differs from what was read (`read`, absent when nothing was there); undefined when it is the same. */
async function differenceFromRead(root: string, relative: string, read: WorkspaceEntry | undefined): Promise<string | undefined> {
  const parts = relative.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const full = path.join(root, ...parts.slice(0, i));
    const stats = await lstatOrAbsent(full);
    const isTarget = i === parts.length;
    if (!stats) return read ? "was removed from the host folder during the run" : undefined;
    if (stats.isSymbolicLink()) return isTarget ? "is a symlink on the host (not followed)" : `has a symlink on its way (${parts.slice(0, i).join("/")}, not followed)`;
    if (!isTarget) {
      if (!stats.isDirectory()) return `has a non-folder on its way (${parts.slice(0, i).join("/")})`;
      continue;
    }
    if (!read) return "appeared in the host folder during the run";
    if (read.kind === "dir") return stats.isDirectory() ? undefined : "stopped being a folder during the run";
    if (!stats.isFile()) return "stopped being a file during the run";
    if (stats.size !== read.data.length || !sameBytes(new Uint8Array(await readFile(full)), read.data)) return "was changed on the host during the run";
  }
  return undefined;
}

/** A folder the run deleted must hold nothing the run did not see (a skipped symlink, a new file), or deleting it would fail half way. */
async function gainedEntry(root: string, entry: DiffEntry, before: WorkspaceSnapshot): Promise<string | undefined> {
  if (entry.change !== "deleted" || entry.kind !== "dir") return undefined;
  const extra = (await readdir(path.join(root, entry.path))).find((name) => !before.entries.has(`${entry.path}/${name}`));
  return extra === undefined ? undefined : `holds ${extra} on the host, which the run did not see`;
}

async function apply(root: string, entry: DiffEntry, after: WorkspaceSnapshot): Promise<void> {
  const full = path.join(root, entry.path);
  await checkFoldersOnTheWay(root, entry.path);
  const now = await lstatOrAbsent(full);
  if (now?.isSymbolicLink()) throw new Error(`${entry.path} became a symlink: not followed`);
  if (entry.change === "deleted") {
    if (entry.kind === "dir") await rmdir(full);
    else if (now?.isFile()) await unlink(full);
    else throw new Error(`${entry.path} is no longer a file: not deleted`);
    return;
  }
  if (entry.kind === "dir") return mkdir(full);
  if (entry.change === "added" ? now !== undefined : !now?.isFile()) throw new Error(`${entry.path} changed on the host: not overwritten`);
  const file = after.entries.get(entry.path);
  if (file?.kind !== "file") throw new Error(`${entry.path}: the run's file is missing`);
  await replaceFile(full, file.data, now?.mode ?? 0o666);
}

/** Writes beside the target and renames over it: the file is the old one or the new one, never half written. */
async function replaceFile(full: string, data: Uint8Array, mode: number): Promise<void> {
  const temporary = path.join(path.dirname(full), `.playpen-${randomBytes(6).toString("hex")}`);
  // "wx" (O_EXCL) never opens an existing path, a symlink included.
  const handle = await open(temporary, "wx", mode & 0o7777);
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, full);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}

async function checkFoldersOnTheWay(root: string, relative: string): Promise<void> {
  const parts = relative.split("/");
  for (let i = 1; i < parts.length; i++) {
    const stats = await lstat(path.join(root, ...parts.slice(0, i)));
    if (!stats.isDirectory()) throw new Error(`${parts.slice(0, i).join("/")} is no longer a real folder: not followed`);
  }
}

async function lstatOrAbsent(full: string): Promise<Stats | undefined> {
  try {
    return await lstat(full);
  } catch (error) {
    if (errnoOf(error) === "ENOENT") return undefined;
    throw error;
  }
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}
