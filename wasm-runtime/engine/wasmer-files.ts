import type { SandboxFileSystem } from "@wasmer/sdk";
import { sameBytes, type WorkspaceEntry, type WorkspaceSnapshot } from "../workspace/index.ts";

/**
 * A workspace snapshot in and out of @wasmer/sdk's sandbox filesystem, which
 * reaches /workspace only and keeps no modification times (read-back files
 * keep the previous snapshot's time when unchanged, else get the time of reading).
 */

/** Replaces the content of the folder `root` (under /workspace) with `snapshot`. */
export async function writeTree(fs: SandboxFileSystem, root: string, snapshot: WorkspaceSnapshot): Promise<void> {
  await fs.mkdir(root, { recursive: true });
  for (const entry of await fs.readDir(root)) await fs.remove(`${root}/${entry.name}`, { recursive: true });
  // Entries come parents first (a snapshot's invariant), so each folder exists before its content.
  for (const [path, entry] of snapshot.entries) {
    if (entry.kind === "dir") await fs.mkdir(`${root}/${path}`, { recursive: true });
    else await fs.writeFile(`${root}/${path}`, entry.data);
  }
}

/** The tree at `root` as a snapshot; content equal to `previous` keeps its bytes and time. */
export async function readTree(fs: SandboxFileSystem, root: string, previous: WorkspaceSnapshot): Promise<WorkspaceSnapshot> {
  const entries = new Map<string, WorkspaceEntry>();
  let bytes = 0;
  const now = Date.now();
  const walk = async (prefix: string): Promise<void> => {
    for (const item of await fs.readDir(prefix === "" ? root : `${root}/${prefix}`)) {
      const path = prefix === "" ? item.name : `${prefix}/${item.name}`;
      const old = previous.entries.get(path);
      if (item.kind === "directory") {
        entries.set(path, old?.kind === "dir" ? old : { kind: "dir", mtimeMs: now });
        await walk(path);
        continue;
      }
      const data = await fs.readFile(`${root}/${path}`);
      entries.set(path, old?.kind === "file" && sameBytes(old.data, data) ? old : { kind: "file", data, mtimeMs: now });
      bytes += data.length;
    }
  };
  await walk("");
  return { entries, bytes };
}

/** Bytes of file content under `root`, from sizes alone (no file is read): cheap enough to poll while a guest runs. */
export async function treeBytes(fs: SandboxFileSystem, root: string): Promise<number> {
  let bytes = 0;
  for (const item of await fs.readDir(root)) {
    bytes += item.kind === "directory" ? await treeBytes(fs, `${root}/${item.name}`) : item.size;
  }
  return bytes;
}
