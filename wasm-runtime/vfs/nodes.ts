import { FsError } from "./errors.ts";

export type Node = FileNode | DirNode | SymlinkNode;

const NO_BYTES = new Uint8Array(0);

/** A directory entry naming a node: the folder and the name in it. */
export interface NodeName {
  readonly parent: DirNode;
  readonly name: string;
}

/**
 * Fields every node has. A directory has one name; a file or symlink may have
 * more (hard links): `parent`/`name` is one of them, `otherNames` the rest.
 */
abstract class NodeBase {
  readonly ino: number;
  /** Undefined for the root and for nodes that have been unlinked (every name removed). */
  parent: DirNode | undefined = undefined;
  name = "";
  /** Hard links beyond `parent`/`name`; all in the same mount (same quota, same read-only state). */
  otherNames: NodeName[] = [];
  /** Nanoseconds since the Unix epoch. */
  atim: bigint;
  mtim: bigint;
  ctim: bigint;

  constructor(ino: number, now: bigint) {
    this.ino = ino;
    this.atim = this.mtim = this.ctim = now;
  }
}

export class FileNode extends NodeBase {
  readonly kind = "file";
  /** Only the first `size` bytes are content; the rest is capacity for cheap appends. */
  data: Uint8Array = NO_BYTES;
  size = 0;
  /** The quota the content is charged to; an unlinked file still open keeps charging it. */
  quota: Quota | undefined = undefined;
  /** Open descriptors: an unlinked file's content is freed when the last one closes. */
  handles = 0;
}

export class DirNode extends NodeBase {
  readonly kind = "dir";
  readonly entries = new Map<string, Node>();
  /** Each entry's insertion order: readdir cookies are built from it, so they survive other entries' removal. */
  readonly seqs = new Map<string, number>();
  nextSeq = 1;
  /** Set on the root of a read-only mount; applies to the whole subtree. */
  readOnly = false;
  /** Set on the root of a subtree with a byte quota. */
  quota: Quota | undefined = undefined;
}

export class SymlinkNode extends NodeBase {
  readonly kind = "symlink";
  readonly target: string;

  constructor(ino: number, now: bigint, target: string) {
    super(ino, now);
    this.target = target;
  }
}

/**
 * A byte budget for file content in a subtree. Quotas nest: content is charged
 * to its nearest quota and every enclosing one.
 */
export class Quota {
  limit: number;
  used = 0;
  /** The most `used` has been since the quota was set (what learn mode sizes a learned limit from). */
  peak = 0;
  parent: Quota | undefined;

  constructor(limit: number, parent: Quota | undefined) {
    this.limit = limit;
    this.parent = parent;
  }

  /** Adds `delta` bytes (negative to release); growth beyond any enclosing limit throws ENOSPC and changes nothing. */
  charge(delta: number): void {
    if (delta > 0 && !this.fits(delta)) throw new FsError("ENOSPC");
    this.add(delta);
  }

  /** Whether `delta` more bytes fit this quota and every enclosing one. */
  fits(delta: number): boolean {
    return this.used + delta <= this.limit && (this.parent?.fits(delta) ?? true);
  }

  /** Adds `delta` bytes here and to every enclosing quota, without checking limits. */
  add(delta: number): void {
    this.used += delta;
    this.peak = Math.max(this.peak, this.used);
    this.parent?.add(delta);
  }
}

/** The quota that content created in `dir` is charged to. */
export function quotaAt(dir: DirNode | undefined): Quota | undefined {
  for (let d = dir; d; d = d.parent) if (d.quota) return d.quota;
  return undefined;
}

/** Whether `dir` lies in a read-only mount. */
export function isReadOnly(dir: DirNode | undefined): boolean {
  for (let d = dir; d; d = d.parent) if (d.readOnly) return true;
  return false;
}

/** How many names `node` has (a directory: one while attached). */
export function linkCount(node: Node): number {
  return (node.parent === undefined ? 0 : 1) + node.otherNames.length;
}

/**
 * The folder that decides a node's mount: the nearest enclosing read-only or
 * quota root, or the root. Hard links never cross it (EXDEV, as across real
 * mounts), so every name of a file is charged to one quota and is read-only alike.
 */
export function mountOf(dir: DirNode): DirNode {
  let d = dir;
  while (d.parent && !isMountPoint(d)) d = d.parent;
  return d;
}

/** A mount point (read-only or quota root) cannot be moved or removed, like a real one. */
export function isMountPoint(node: Node): boolean {
  return node.kind === "dir" && (node.readOnly || node.quota !== undefined);
}
