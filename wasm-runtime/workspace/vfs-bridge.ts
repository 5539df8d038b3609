import { mkdirp, writeFile, type DirNode, type VirtualFs } from "../vfs/index.ts";
import { sameBytes } from "./diff.ts";
import type { WorkspaceEntry, WorkspaceSnapshot } from "./workspace.ts";

/**
 * Moving a workspace (or a mount) in and out of the gated engine's VFS.
 * Files and folders only: symlinks a guest makes are not part of a workspace
 * and are left out when reading back (`skipped` lists them).
 */

const NS_PER_MS = 1_000_000n;

/** Replaces whatever is at `root` in `fs` with `snapshot` (mtimes kept). */
export function writeIntoVfs(fs: VirtualFs, root: string, snapshot: WorkspaceSnapshot): void {
  removeTree(fs, root);
  mkdirp(fs, root);
  const dirs: [string, WorkspaceEntry][] = [];
  for (const [path, entry] of snapshot.entries) {
    const at = `${root}/${path}`;
    if (entry.kind === "dir") {
      mkdirp(fs, at);
      dirs.push([at, entry]);
    } else {
      fs.setTimes(writeFile(fs, at, entry.data), undefined, BigInt(Math.round(entry.mtimeMs)) * NS_PER_MS);
    }
  }
  // Folder times last: creating their content touched them.
  for (const [at, entry] of dirs) fs.setTimes(fs.lookup(at), undefined, BigInt(Math.round(entry.mtimeMs)) * NS_PER_MS);
}

/**
 * The tree at `root` as a snapshot. Content equal to `previous` keeps
 * `previous`'s entry, so snapshots stay shared and a diff finds it unchanged at once.
 */
export function readFromVfs(fs: VirtualFs, root: string, previous?: WorkspaceSnapshot): { snapshot: WorkspaceSnapshot; skipped: string[] } {
  const entries = new Map<string, WorkspaceEntry>();
  const skipped: string[] = [];
  let bytes = 0;
  const walk = (dir: DirNode, prefix: string) => {
    for (const [name, node] of dir.entries) {
      const path = prefix === "" ? name : `${prefix}/${name}`;
      const mtimeMs = Number(node.mtim / NS_PER_MS);
      if (node.kind === "dir") {
        entries.set(path, { kind: "dir", mtimeMs });
        walk(node, path);
      } else if (node.kind === "file") {
        const content = node.data.subarray(0, node.size);
        const old = previous?.entries.get(path);
        // Unchanged content keeps the previous entry whole (a touch alone is not a change).
        entries.set(path, old?.kind === "file" && sameBytes(old.data, content) ? old : { kind: "file", data: content.slice(), mtimeMs });
        bytes += content.length;
      } else {
        skipped.push(path);
      }
    }
  };
  const top = fs.locate(root, { follow: false }).node;
  if (top?.kind === "dir") walk(top, "");
  return { snapshot: { entries, bytes }, skipped };
}

/** Removes `path` and everything below it, if it exists (host side: read-only marks are cleared first). */
export function removeTree(fs: VirtualFs, path: string): void {
  const at = fs.locate(path, { follow: false });
  if (!at.node) return;
  if (at.node.kind === "dir") {
    at.node.readOnly = false;
    for (const name of [...at.node.entries.keys()]) removeTree(fs, `${path}/${name}`);
    if (at.node.quota === undefined) fs.rmdir(fs.locate(path, { follow: false }));
  } else {
    fs.unlink(at);
  }
}
