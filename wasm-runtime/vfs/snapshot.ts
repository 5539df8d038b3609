import { VirtualFs, type VirtualFsOptions } from "./fs.ts";
import { mountQuota } from "./mounts.ts";
import { DirNode, FileNode, SymlinkNode, type Node } from "./nodes.ts";

/**
 * A whole VFS as plain data that survives structured cloning (postMessage), so
 * a filesystem can move between workers. File contents are copies; transfer
 * their buffers to avoid copying again.
 */
export interface VfsSnapshot {
  readonly version: 1;
  readonly nextIno: number;
  readonly root: DirSnapshot;
}

export type NodeSnapshot = FileSnapshot | DirSnapshot | SymlinkSnapshot;

interface NodeFields {
  readonly ino: number;
  readonly atim: bigint;
  readonly mtim: bigint;
  readonly ctim: bigint;
}

export interface FileSnapshot extends NodeFields {
  readonly kind: "file";
  readonly data: Uint8Array;
}

export interface DirSnapshot extends NodeFields {
  readonly kind: "dir";
  /** In listing order (an array: object keys like "1" would be reordered). */
  readonly entries: readonly (readonly [string, NodeSnapshot])[];
  readonly readOnly?: boolean;
  /** Byte limit of a quota mounted here. */
  readonly quota?: number;
}

export interface SymlinkSnapshot extends NodeFields {
  readonly kind: "symlink";
  readonly target: string;
}

/**
 * Unlinked files still open are not part of the tree and are left out. A file
 * or symlink with several names appears under each, with one inode number:
 * restoring links them again.
 */
export function snapshot(fs: VirtualFs): VfsSnapshot {
  return { version: 1, nextIno: fs.nextIno, root: snapshotDir(fs.root) };
}

export function fromSnapshot(snapshot: VfsSnapshot, options: VirtualFsOptions = {}): VirtualFs {
  const quotas: [DirNode, number][] = [];
  const root = restoreNode(snapshot.root, quotas, new Map()) as DirNode;
  // Outer quotas first, so each inner one nests inside its enclosing one.
  for (const [dir, limit] of quotas) mountQuota(dir, limit);
  return new VirtualFs(options, { root, nextIno: snapshot.nextIno });
}

function snapshotDir(dir: DirNode): DirSnapshot {
  return {
    ...fieldsOf(dir),
    kind: "dir",
    entries: Array.from(dir.entries, ([name, node]) => [name, snapshotNode(node)] as const),
    ...(dir.readOnly && { readOnly: true }),
    ...(dir.quota && { quota: dir.quota.limit }),
  };
}

function snapshotNode(node: Node): NodeSnapshot {
  switch (node.kind) {
    case "file":
      return { ...fieldsOf(node), kind: "file", data: node.data.slice(0, node.size) };
    case "symlink":
      return { ...fieldsOf(node), kind: "symlink", target: node.target };
    case "dir":
      return snapshotDir(node);
  }
}

function fieldsOf(node: Node): NodeFields {
  return { ino: node.ino, atim: node.atim, mtim: node.mtim, ctim: node.ctim };
}

function restoreNode(snap: NodeSnapshot, quotas: [DirNode, number][], linked: Map<number, Node>): Node {
  let node: Node;
  const seen = snap.kind === "dir" ? undefined : linked.get(snap.ino);
  if (seen) return seen;
  switch (snap.kind) {
    case "file":
      node = new FileNode(snap.ino, 0n);
      node.data = snap.data.slice();
      node.size = snap.data.length;
      break;
    case "symlink":
      node = new SymlinkNode(snap.ino, 0n, snap.target);
      break;
    case "dir": {
      const dir = new DirNode(snap.ino, 0n);
      dir.readOnly = snap.readOnly ?? false;
      if (snap.quota !== undefined) quotas.push([dir, snap.quota]);
      for (const [name, childSnap] of snap.entries) {
        const child = restoreNode(childSnap, quotas, linked);
        if (child.parent === undefined) {
          child.parent = dir;
          child.name = name;
        } else {
          child.otherNames.push({ parent: dir, name });
        }
        dir.seqs.set(name, dir.nextSeq++);
        dir.entries.set(name, child);
      }
      node = dir;
      break;
    }
  }
  if (node.kind !== "dir") linked.set(snap.ino, node);
  node.atim = snap.atim;
  node.mtim = snap.mtim;
  node.ctim = snap.ctim;
  return node;
}
