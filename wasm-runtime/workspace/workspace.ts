import { DEFAULT_LIMITS } from "../policy/index.ts";
import type { FileData } from "../types.ts";
import { WorkspaceError } from "./errors.ts";
import { isWithin, normalizePath, parentOf } from "./path.ts";

/** A file in a workspace. Its bytes are never changed in place: a write stores new bytes. */
export interface WorkspaceFile {
  readonly kind: "file";
  readonly data: Uint8Array;
  /** Milliseconds since the Unix epoch. */
  readonly mtimeMs: number;
}

export interface WorkspaceDir {
  readonly kind: "dir";
  readonly mtimeMs: number;
}

export type WorkspaceEntry = WorkspaceFile | WorkspaceDir;

/**
 * A workspace frozen at one moment: canonical path (see `normalizePath`) →
 * entry, every folder of every entry present. Plain data that survives
 * structured cloning (postMessage, comlink, IndexedDB). Snapshots share file
 * bytes with the workspace and with each other, so taking one copies no content.
 */
export interface WorkspaceSnapshot {
  readonly entries: ReadonlyMap<string, WorkspaceEntry>;
  /** Total file bytes. */
  readonly bytes: number;
}

export interface WorkspaceLimits {
  /** Total bytes of file content. */
  readonly bytes: number;
  /** Files and folders together. */
  readonly entries: number;
}

export const DEFAULT_WORKSPACE_LIMITS: WorkspaceLimits = { bytes: DEFAULT_LIMITS.workspaceBytes, entries: 10_000 };

export const EMPTY_SNAPSHOT: WorkspaceSnapshot = { entries: new Map(), bytes: 0 };

/** One row of a listing. */
export interface WorkspaceStat {
  readonly path: string;
  readonly kind: "file" | "dir";
  /** Bytes of a file; 0 for a folder. */
  readonly size: number;
  readonly mtimeMs: number;
}

const encoder = new TextEncoder();

/**
 * The files and folders of /workspace, independent of any engine: path
 * checks, a byte and entry quota, cheap snapshots and rollback. Every
 * operation either completes or throws a WorkspaceError having changed nothing.
 */
export class Workspace {
  readonly limits: WorkspaceLimits;
  #entries: Map<string, WorkspaceEntry>;
  #bytes: number;

  constructor(limits: Partial<WorkspaceLimits> = {}, from: WorkspaceSnapshot = EMPTY_SNAPSHOT) {
    this.limits = { ...DEFAULT_WORKSPACE_LIMITS, ...limits };
    checkLimits(this.limits, from.entries.size, from.bytes);
    this.#entries = new Map(from.entries);
    this.#bytes = from.bytes;
  }

  /** The state now, as an immutable snapshot (copies the index, shares the bytes). */
  snapshot(): WorkspaceSnapshot {
    return { entries: new Map(this.#entries), bytes: this.#bytes };
  }

  /** Rolls back (or forward, to accept a run's result) to `snapshot`; refused if it breaks the quota. */
  restore(snapshot: WorkspaceSnapshot): void {
    checkLimits(this.limits, snapshot.entries.size, snapshot.bytes);
    this.#entries = new Map(snapshot.entries);
    this.#bytes = snapshot.bytes;
  }

  usage(): { bytes: number; entries: number } {
    return { bytes: this.#bytes, entries: this.#entries.size };
  }

  stat(path: string): WorkspaceStat | undefined {
    const canonical = normalizePath(path);
    const entry = this.#entries.get(canonical);
    return entry && statOf(canonical, entry);
  }

  /** A copy of the file's bytes. */
  readFile(path: string): Uint8Array {
    return this.#file(path).data.slice();
  }

  readText(path: string): string {
    return new TextDecoder().decode(this.#file(path).data);
  }

  /** Creates or replaces a file, creating its folders. The bytes are copied. */
  writeFile(path: string, data: FileData, mtimeMs = Date.now()): void {
    const canonical = normalizePath(path);
    const bytes = typeof data === "string" ? encoder.encode(data) : data.slice();
    const old = this.#entries.get(canonical);
    if (old?.kind === "dir") throw new WorkspaceError("is-directory", `a folder is in the way: ${canonical}`, path);
    const folders = this.#missingFolders(parentOf(canonical), path);
    this.#check(folders.length + (old ? 0 : 1), bytes.length - (old?.kind === "file" ? old.data.length : 0), path);
    for (const folder of folders) this.#entries.set(folder, { kind: "dir", mtimeMs });
    this.#entries.set(canonical, { kind: "file", data: bytes, mtimeMs });
    this.#bytes += bytes.length - (old?.kind === "file" ? old.data.length : 0);
  }

  /** Creates a folder and any missing parents; an existing folder is fine. */
  mkdir(path: string, mtimeMs = Date.now()): void {
    const folders = this.#missingFolders(normalizePath(path), path);
    this.#check(folders.length, 0, path);
    for (const folder of folders) this.#entries.set(folder, { kind: "dir", mtimeMs });
  }

  /** Removes a file, or a folder with everything in it. */
  remove(path: string): void {
    const canonical = normalizePath(path);
    if (!this.#entries.has(canonical)) throw notFound(path);
    for (const [p, entry] of this.#entries) {
      if (!isWithin(p, canonical)) continue;
      this.#entries.delete(p);
      if (entry.kind === "file") this.#bytes -= entry.data.length;
    }
  }

  /** Moves a file or folder (with its content) to a path that does not exist yet. */
  rename(from: string, to: string): void {
    const source = normalizePath(from);
    const target = normalizePath(to);
    if (!this.#entries.has(source)) throw notFound(from);
    if (this.#entries.has(target)) throw new WorkspaceError("exists", `already exists: ${target}`, to);
    if (isWithin(target, source)) throw new WorkspaceError("move-into-itself", `cannot move a folder into itself: ${source} → ${target}`, to);
    const folders = this.#missingFolders(parentOf(target), to);
    this.#check(folders.length, 0, to);
    for (const folder of folders) this.#entries.set(folder, { kind: "dir", mtimeMs: Date.now() });
    for (const [p, entry] of [...this.#entries]) {
      if (!isWithin(p, source)) continue;
      this.#entries.delete(p);
      this.#entries.set(target + p.slice(source.length), entry);
    }
  }

  /** Entries inside `folder` ("" = everything), sorted by path; `recursive: false` lists one level. */
  list(folder = "", options: { recursive?: boolean } = {}): WorkspaceStat[] {
    const base = normalizePath(folder, { allowRoot: true });
    if (base !== "" && this.#entries.get(base)?.kind !== "dir") throw notDirectory(this.#entries.has(base), folder);
    const depth = base === "" ? 0 : base.split("/").length;
    const rows: WorkspaceStat[] = [];
    for (const [p, entry] of this.#entries) {
      if (p === base || !isWithin(p, base)) continue;
      if (options.recursive === false && p.split("/").length !== depth + 1) continue;
      rows.push(statOf(p, entry));
    }
    return rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  #file(path: string): WorkspaceFile {
    const entry = this.#entries.get(normalizePath(path));
    if (!entry) throw notFound(path);
    if (entry.kind === "dir") throw new WorkspaceError("is-directory", `is a folder, not a file: ${path}`, path);
    return entry;
  }

  /** The folders to create so that `folder` exists, outermost first; throws if a file is in the way. */
  #missingFolders(folder: string, asked: string): string[] {
    const missing: string[] = [];
    for (let f = folder; f !== ""; f = parentOf(f)) {
      const entry = this.#entries.get(f);
      if (entry?.kind === "dir") break;
      if (entry) throw new WorkspaceError("not-directory", `a file is in the way: ${f}`, asked);
      missing.push(f);
    }
    return missing.reverse();
  }

  #check(newEntries: number, newBytes: number, path: string): void {
    checkLimits(this.limits, this.#entries.size + newEntries, this.#bytes + newBytes, path);
  }
}

/** Throws the quota error `entries` / `bytes` would cause under `limits`. */
export function checkLimits(limits: WorkspaceLimits, entries: number, bytes: number, path?: string): void {
  const what = path === undefined ? "" : ` (writing ${path})`;
  if (bytes > limits.bytes) {
    throw new WorkspaceError("quota-bytes", `workspace quota exceeded: ${bytes} bytes of ${limits.bytes} allowed${what}`, path);
  }
  if (entries > limits.entries) {
    throw new WorkspaceError("quota-entries", `too many files and folders: ${entries} of ${limits.entries} allowed${what}`, path);
  }
}

function statOf(path: string, entry: WorkspaceEntry): WorkspaceStat {
  return { path, kind: entry.kind, size: entry.kind === "file" ? entry.data.length : 0, mtimeMs: entry.mtimeMs };
}

function notFound(path: string): WorkspaceError {
  return new WorkspaceError("not-found", `no such file or folder: ${path}`, path);
}

function notDirectory(exists: boolean, path: string): WorkspaceError {
  return exists ? new WorkspaceError("not-directory", `not a folder: ${path}`, path) : notFound(path);
}
