import { readAt, release, resize, writeAt } from "./content.ts";
import { FsError } from "./errors.ts";
import { listEntries, type DirEntry } from "./listing.ts";
import { mountQuota, transferCharges } from "./mounts.ts";
import { DirNode, FileNode, isMountPoint, isReadOnly, linkCount, mountOf, quotaAt, SymlinkNode, type Node } from "./nodes.ts";
import { locate, pathOf, PATH_MAX, type Location } from "./path.ts";

export interface VirtualFsOptions {
  /**
   * The time stamped on files, in nanoseconds since the Unix epoch. Give it the
   * guest's (coarsened) clock, or timestamps would leak a finer one.
   */
  now?: () => bigint;
}

export interface LocateOptions {
  /** Where a relative path starts; the root by default. */
  from?: DirNode;
  /** Follow a symlink in the last component (default true). */
  follow?: boolean;
}

/** The state `fromSnapshot` restores. */
export interface RestoredState {
  root: DirNode;
  nextIno: number;
}

/**
 * An in-memory filesystem of directories, regular files and symlinks, with
 * read-only subtrees and byte quotas. Operations take a `Location` from
 * `locate`, so a caller (the WASI host) can check the resolved path against its
 * policy between resolving and acting. Failures throw `FsError`.
 *
 * Files and symlinks may have several names (hard links, within one mount);
 * a directory has one. Access times are set at creation and by `setTimes` only (like `noatime`).
 */
export class VirtualFs {
  readonly root: DirNode;
  readonly now: () => bigint;
  #nextIno: number;

  constructor(options: VirtualFsOptions = {}, restored?: RestoredState) {
    this.now = options.now ?? realtimeNs;
    this.#nextIno = restored?.nextIno ?? 2;
    this.root = restored?.root ?? new DirNode(1, this.now());
  }

  /** The next inode number to hand out (for snapshots). */
  get nextIno(): number {
    return this.#nextIno;
  }

  locate(path: string, options: LocateOptions = {}): Location {
    return locate(this.root, options.from ?? this.root, path, options.follow ?? true);
  }

  /** The node at `path`; throws when there is none. */
  lookup(path: string, options: LocateOptions = {}): Node {
    return existing(this.locate(path, options));
  }

  /** The absolute path of `node`, or undefined once it has been unlinked. */
  pathOf(node: Node): string | undefined {
    return pathOf(this.root, node);
  }

  createFile(at: Location): FileNode {
    const dir = this.#insertable(at);
    if (at.dirOnly) throw new FsError("EISDIR", at.path);
    const file = new FileNode(this.#nextIno++, this.now());
    file.quota = quotaAt(dir);
    this.#attach(dir, at.name, file);
    return file;
  }

  mkdir(at: Location): DirNode {
    const dir = this.#insertable(at);
    const created = new DirNode(this.#nextIno++, this.now());
    this.#attach(dir, at.name, created);
    return created;
  }

  symlink(target: string, at: Location): SymlinkNode {
    if (target.length > PATH_MAX) throw new FsError("ENAMETOOLONG", at.path);
    const dir = this.#insertable(at);
    if (at.dirOnly) throw new FsError("ENOENT", at.path);
    const link = new SymlinkNode(this.#nextIno++, this.now(), target);
    this.#attach(dir, at.name, link);
    return link;
  }

  /**
   * Gives the file or symlink at `from` the new name `to` (a hard link). A
   * directory cannot be linked (EPERM), nor a node into another mount (EXDEV).
   */
  link(from: Location, to: Location): void {
    const node = existing(from);
    if (node.kind === "dir") throw new FsError("EPERM", from.path);
    const dir = this.#insertable(to);
    if (to.dirOnly) throw new FsError("ENOENT", to.path);
    if (mountOf(node.parent!) !== mountOf(dir)) throw new FsError("EXDEV", to.path);
    this.#attach(dir, to.name, node);
    node.ctim = this.now();
  }

  /** The target of the symlink at `at` (locate it without following). */
  readlink(at: Location): string {
    const node = existing(at);
    if (node.kind !== "symlink") throw new FsError("EINVAL", at.path);
    return node.target;
  }

  /** Removes a file or symlink (locate it without following). An open file lives on until closed. */
  unlink(at: Location): void {
    const node = existing(at);
    if (node.kind === "dir") throw new FsError("EISDIR", at.path);
    this.#writableDir(at.parent, at.path);
    this.#remove(node, at.parent!, at.name);
  }

  rmdir(at: Location): void {
    const node = existing(at);
    // As Linux answers: `x/.` is an invalid argument, `x/..` a directory holding x.
    if (at.name === ".") throw new FsError("EINVAL", at.path);
    if (at.name === "..") throw new FsError("ENOTEMPTY", at.path);
    if (node.kind !== "dir") throw new FsError("ENOTDIR", at.path);
    if (node === this.root || isMountPoint(node)) throw new FsError("EBUSY", at.path);
    if (node.entries.size > 0) throw new FsError("ENOTEMPTY", at.path);
    this.#writableDir(node.parent, at.path);
    this.#remove(node, node.parent!, node.name);
  }

  /**
   * Moves `from` to `to` (locate both without following), replacing what is
   * there as POSIX rename does: a file replaces a file, a directory an empty directory.
   */
  rename(from: Location, to: Location): void {
    const node = existing(from);
    if (to.error) throw new FsError(to.error, to.path);
    if (isDotted(from) || isDotted(to)) throw new FsError("EBUSY", from.path);
    const [source, target] = [from.parent, to.parent];
    if (source === undefined || target === undefined || isMountPoint(node)) throw new FsError("EBUSY", from.path);
    if (to.node === node) return;
    const replaced = to.node;
    if (node.kind === "dir") {
      if (replaced && replaced.kind !== "dir") throw new FsError("ENOTDIR", to.path);
      if (replaced && isMountPoint(replaced)) throw new FsError("EBUSY", to.path);
      if (replaced && replaced.entries.size > 0) throw new FsError("ENOTEMPTY", to.path);
      for (let d: DirNode | undefined = target; d; d = d.parent) {
        if (d === node) throw new FsError("EINVAL", to.path);
      }
    } else {
      if (replaced?.kind === "dir") throw new FsError("EISDIR", to.path);
      if (to.dirOnly) throw new FsError("ENOTDIR", to.path);
    }
    this.#writableDir(source, from.path);
    this.#writableDir(target, to.path);
    transferCharges(node, quotaAt(source), quotaAt(target));
    if (replaced) this.#remove(replaced, target, to.name);
    this.#detach(node, source, from.name);
    this.#attach(target, to.name, node);
    node.ctim = this.now();
  }

  /** Sets access and/or modification time (undefined leaves one as it is). */
  setTimes(node: Node, atim: bigint | undefined, mtim: bigint | undefined): void {
    const dir = node.kind === "dir" ? node : node.parent;
    if (isReadOnly(dir)) throw new FsError("EROFS", this.pathOf(node));
    if (atim !== undefined) node.atim = atim;
    if (mtim !== undefined) node.mtim = mtim;
    node.ctim = this.now();
  }

  /** Registers an open descriptor; opening for writing in a read-only mount throws EROFS. */
  open(file: FileNode, write: boolean): void {
    if (write && isReadOnly(file.parent)) throw new FsError("EROFS", this.pathOf(file));
    file.handles++;
  }

  close(file: FileNode): void {
    file.handles--;
    if (file.handles === 0 && file.parent === undefined) release(file);
  }

  /** Reads at `offset` into `into`; returns the byte count (0 at the end). */
  read(file: FileNode, into: Uint8Array, offset: number): number {
    return readAt(file, into, offset);
  }

  /** Writes all of `bytes` at `offset`, or throws (ENOSPC, EFBIG) having written nothing. */
  write(file: FileNode, bytes: Uint8Array, offset: number): void {
    writeAt(file, bytes, offset, this.now());
  }

  truncate(file: FileNode, size: number): void {
    resize(file, size, this.now());
  }

  readdir(dir: DirNode, cookie = 0n): Iterable<DirEntry> {
    return listEntries(dir, cookie);
  }

  /** Makes the subtree at `path` read-only (or writable again); populate it first. */
  setReadOnly(path: string, readOnly = true): void {
    this.#directory(path).readOnly = readOnly;
  }

  /** The path of the read-only subtree (a `:ro` mount) that `path`, or where it would be created, lies in. */
  readOnlyRootOf(path: string): string | undefined {
    let existingPath = path;
    let node = this.locate(existingPath).node;
    while (node === undefined && existingPath !== "/") {
      existingPath = existingPath.slice(0, existingPath.lastIndexOf("/")) || "/";
      node = this.locate(existingPath).node;
    }
    for (let d = node?.kind === "dir" ? node : node?.parent; d; d = d.parent) if (d.readOnly) return this.pathOf(d);
    return undefined;
  }

  /** Limits the file content stored under `path` to `bytes`; writes beyond throw ENOSPC. */
  setQuota(path: string, bytes: number): void {
    mountQuota(this.#directory(path), bytes);
  }

  /** The quota on `path` itself, if it has one. */
  quotaAt(path: string): { limit: number; used: number; peak: number } | undefined {
    const quota = this.#directory(path).quota;
    return quota && { limit: quota.limit, used: quota.used, peak: Math.max(quota.peak, quota.used) };
  }

  #directory(path: string): DirNode {
    const node = this.lookup(path);
    if (node.kind !== "dir") throw new FsError("ENOTDIR", path);
    return node;
  }

  /** The directory a new entry at `at` goes into. */
  #insertable(at: Location): DirNode {
    if (at.error) throw new FsError(at.error, at.path);
    if (at.node || at.parent === undefined) throw new FsError("EEXIST", at.path);
    this.#writableDir(at.parent, at.path);
    return at.parent;
  }

  #writableDir(dir: DirNode | undefined, path: string): void {
    if (isReadOnly(dir)) throw new FsError("EROFS", path);
  }

  #attach(dir: DirNode, name: string, node: Node): void {
    dir.entries.set(name, node);
    dir.seqs.set(name, dir.nextSeq++);
    if (node.parent === undefined) {
      node.parent = dir;
      node.name = name;
    } else {
      node.otherNames.push({ parent: dir, name });
    }
    dir.mtim = dir.ctim = this.now();
  }

  /** Removes the entry `name` of `dir`, one of `node`'s names; another name (if any) becomes its `parent`/`name`. */
  #detach(node: Node, dir: DirNode, name: string): void {
    dir.entries.delete(name);
    dir.seqs.delete(name);
    dir.mtim = dir.ctim = this.now();
    if (node.parent === dir && node.name === name) {
      const next = node.otherNames.shift();
      node.parent = next?.parent;
      if (next) node.name = next.name;
    } else {
      node.otherNames = node.otherNames.filter((other) => other.parent !== dir || other.name !== name);
    }
  }

  #remove(node: Node, dir: DirNode, name: string): void {
    this.#detach(node, dir, name);
    if (node.kind === "file" && node.handles === 0 && linkCount(node) === 0) release(node);
  }
}

/** The node a location names; throws its error, or ENOENT. */
export function existing(at: Location): Node {
  if (at.error) throw new FsError(at.error, at.path);
  if (!at.node) throw new FsError("ENOENT", at.path);
  return at.node;
}

/** Nanoseconds since the epoch; the epoch in ms is too large to scale by 1e6 as a float without losing digits. */
/** A path ending in `.` or `..` names a directory relative to another: not something to rename. */
function isDotted(at: Location): boolean {
  return at.name === "." || at.name === "..";
}

function realtimeNs(): bigint {
  const ms = performance.timeOrigin + performance.now();
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}
