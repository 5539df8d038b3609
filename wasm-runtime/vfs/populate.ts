import type { FileData } from "../types.ts";
import { FsError } from "./errors.ts";
import type { VirtualFs } from "./fs.ts";
import type { DirNode, FileNode } from "./nodes.ts";

/** Where relative paths in a sandbox's files land. */
export const WORKSPACE = "/workspace";

const encoder = new TextEncoder();

/**
 * Host-side helpers that create and read files by absolute path, without the
 * guest-facing checks a WASI call goes through (no policy gate: the host is trusted).
 * Read-only mounts still refuse writes, so populate them before `setReadOnly`.
 */

/** Writes every file (relative paths land in /workspace), creating parent directories. */
export function populate(fs: VirtualFs, files: Record<string, FileData>, base = WORKSPACE): void {
  for (const [path, data] of Object.entries(files)) {
    writeFile(fs, path.startsWith("/") ? path : `${base}/${path}`, data);
  }
}

/** Creates or replaces the file at `path`, creating parent directories. */
export function writeFile(fs: VirtualFs, path: string, data: FileData): FileNode {
  const slash = path.lastIndexOf("/");
  if (slash > 0) mkdirp(fs, path.slice(0, slash));
  const at = fs.locate(path);
  const file = at.node ?? fs.createFile(at);
  if (file.kind !== "file") throw new FsError("EISDIR", path);
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  fs.open(file, true);
  try {
    fs.truncate(file, 0);
    fs.write(file, bytes, 0);
  } finally {
    fs.close(file);
  }
  return file;
}

/** A copy of the content of the file at `path`. */
export function readFile(fs: VirtualFs, path: string): Uint8Array {
  const file = fs.lookup(path);
  if (file.kind !== "file") throw new FsError("EISDIR", path);
  return file.data.slice(0, file.size);
}

/** The directory at `path`, created with any missing parents. */
export function mkdirp(fs: VirtualFs, path: string): DirNode {
  const at = fs.locate(path);
  if (at.node?.kind === "dir") return at.node;
  if (at.error === "ENOENT" || (at.error === undefined && !at.node)) {
    const slash = path.replace(/\/+$/, "").lastIndexOf("/");
    if (slash > 0) mkdirp(fs, path.slice(0, slash));
    return fs.mkdir(fs.locate(path));
  }
  throw new FsError(at.error ?? "ENOTDIR", path);
}
