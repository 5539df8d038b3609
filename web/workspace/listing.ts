import type { WorkspaceSnapshot } from "../../wasm-runtime/workspace/index.ts";

/** What the file tree shows of an entry: no bytes. */
export interface ListedEntry {
  readonly kind: "file" | "dir";
  /** Bytes of a file; 0 for a folder. */
  readonly size: number;
}

/**
 * A workspace's paths and sizes without their content: saved beside the files
 * in the same transaction, and read back first, so a reload shows the tree
 * before megabytes of content have been read.
 */
export interface WorkspaceListing {
  readonly entries: ReadonlyMap<string, ListedEntry>;
  /** Total file bytes. */
  readonly bytes: number;
}

export function listingOf(snapshot: WorkspaceSnapshot): WorkspaceListing {
  const entries = new Map<string, ListedEntry>();
  for (const [path, entry] of snapshot.entries) entries.set(path, { kind: entry.kind, size: entry.kind === "file" ? entry.data.length : 0 });
  return { entries, bytes: snapshot.bytes };
}
