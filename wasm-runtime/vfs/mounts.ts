import { FsError } from "./errors.ts";
import { linkCount, Quota, quotaAt, type DirNode, type FileNode, type Node } from "./nodes.ts";

/**
 * Puts a byte quota on the subtree at `dir` (or changes its limit). Content
 * already there counts; being over the limit only stops further growth.
 */
export function mountQuota(dir: DirNode, limit: number): void {
  if (!(limit >= 0)) throw new FsError("EINVAL");
  if (dir.quota) {
    dir.quota.limit = limit;
    return;
  }
  const enclosing = quotaAt(dir);
  const quota = new Quota(limit, enclosing);
  const visit = (node: Node): void => {
    if (node.kind === "file" && node.quota === enclosing) {
      node.quota = quota;
      quota.used += node.size;
    } else if (node.kind === "dir" && node.quota) {
      // A nested quota's content already counts towards the enclosing ones.
      if (node.quota.parent === enclosing) node.quota.parent = quota;
      quota.used += node.quota.used;
    } else if (node.kind === "dir") {
      for (const child of node.entries.values()) visit(child);
    }
  };
  for (const child of dir.entries.values()) visit(child);
  dir.quota = quota;
}

/** Moves the content under `node` from quota `from` to quota `to`; throws ENOSPC, changing nothing, if it does not fit. */
export function transferCharges(node: Node, from: Quota | undefined, to: Quota | undefined): void {
  if (from === to) return;
  const files = new Set<FileNode>();
  collectFiles(node, files);
  // A hard-linked file has names that stay behind: it cannot change quota (mountOf, in nodes.ts).
  for (const file of files) if (linkCount(file) > 1) throw new FsError("EXDEV");
  let bytes = 0;
  for (const file of files) bytes += file.size;
  const shared = new Set<Quota>();
  for (let q = from; q; q = q.parent) shared.add(q);
  for (let q = to; q; q = q.parent) {
    if (!shared.has(q) && q.used + bytes > q.limit) throw new FsError("ENOSPC");
  }
  // Checked above: the shared quotas end where they were, so charging again could wrongly refuse.
  from?.add(-bytes);
  to?.add(bytes);
  for (const file of files) file.quota = to;
}

function collectFiles(node: Node, into: Set<FileNode>): void {
  if (node.kind === "file") into.add(node);
  else if (node.kind === "dir") for (const child of node.entries.values()) collectFiles(child, into);
}
