import { unzipSync, zipSync, type Zippable } from "fflate";
import { WorkspaceError } from "./errors.ts";
import { isWithin, normalizePath } from "./path.ts";
import { Workspace, type WorkspaceSnapshot } from "./workspace.ts";

/** What an import added. */
export interface ZipImport {
  readonly files: number;
  readonly folders: number;
  readonly bytes: number;
}

// DOS timestamps in zip start in 1980; older times are clamped to it.
const DOS_EPOCH_MS = Date.UTC(1980, 0, 2);
const UNIX_HOST = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** The workspace, or one folder of it, as a zip (paths inside relative to that folder; empty folders kept). */
export function exportZip(snapshot: WorkspaceSnapshot, folder = ""): Uint8Array {
  const base = normalizePath(folder, { allowRoot: true });
  if (base !== "" && snapshot.entries.get(base)?.kind !== "dir") throw new WorkspaceError("not-directory", `not a folder: ${folder}`, folder);
  const prefix = base === "" ? 0 : base.length + 1;
  const hasChildren = new Set<string>();
  for (const path of snapshot.entries.keys()) hasChildren.add(path.slice(0, Math.max(path.lastIndexOf("/"), 0)));
  // A null prototype, so an entry called "__proto__" is an entry like any other.
  const files: Zippable = Object.create(null) as Zippable;
  for (const [path, entry] of snapshot.entries) {
    if (path === base || !isWithin(path, base)) continue;
    const options = { mtime: Math.max(entry.mtimeMs, DOS_EPOCH_MS) };
    if (entry.kind === "file") files[path.slice(prefix)] = [entry.data, options];
    else if (!hasChildren.has(path)) files[path.slice(prefix)] = [{}, options];
  }
  return zipSync(files, { level: 6 });
}

/**
 * Unpacks `zip` into `folder` of `workspace`, all or nothing. Refused, naming
 * the entry: absolute names, drive letters, `..` components ("zip slip"),
 * NUL bytes, symlinks; an archive larger than the quota is refused before
 * anything is decompressed.
 */
export function importZip(workspace: Workspace, zip: Uint8Array, folder = ""): ZipImport {
  const base = normalizePath(folder, { allowRoot: true });
  const symlinks = symlinkEntries(zip);
  const staged = new Workspace(workspace.limits, workspace.snapshot());
  if (base !== "") staged.mkdir(base);
  let declared = 0;
  let index = 0;
  let unpacked: Record<string, Uint8Array>;
  try {
    unpacked = unzipSync(zip, {
      filter: (file) => {
        if (symlinks.has(index++)) throw unsafe(file.name, "it is a symbolic link");
        checkEntryName(file.name);
        declared += file.originalSize;
        if (declared > workspace.limits.bytes) {
          throw new WorkspaceError("quota-bytes", `zip too large for the workspace quota: more than ${workspace.limits.bytes} bytes once unpacked`, file.name);
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof WorkspaceError) throw error;
    throw new WorkspaceError("zip-invalid", `not a readable zip archive: ${error instanceof Error ? error.message : String(error)}`);
  }
  let files = 0;
  let bytes = 0;
  for (const [name, data] of Object.entries(unpacked)) {
    const relative = name.replaceAll("\\", "/");
    const target = base === "" ? relative : `${base}/${relative}`;
    try {
      if (name.endsWith("/") || name.endsWith("\\")) {
        staged.mkdir(target);
      } else {
        staged.writeFile(target, data);
        files++;
        bytes += data.length;
      }
    } catch (error) {
      if (error instanceof WorkspaceError) throw new WorkspaceError(error.code, `zip entry "${name}": ${error.message}`, name);
      throw error;
    }
  }
  // Folders the import created, the ones a file's path implies included (a zip often lists none of its folders).
  const before = workspace.snapshot().entries;
  const after = staged.snapshot();
  const folders = [...after.entries].filter(([path, entry]) => entry.kind === "dir" && !before.has(path)).length;
  workspace.restore(after);
  return { files, folders, bytes };
}

/** Refuses an entry name that could land outside the folder it is unpacked into. */
function checkEntryName(name: string): void {
  if (name.includes("\0")) throw unsafe(name, "its name contains a NUL byte");
  if (name.startsWith("/") || name.startsWith("\\")) throw unsafe(name, "its path is absolute");
  if (/^[A-Za-z]:/.test(name)) throw unsafe(name, "its path starts with a drive letter");
  if (name.split(/[/\\]/).includes("..")) throw unsafe(name, 'its path contains ".."');
}

function unsafe(name: string, why: string): WorkspaceError {
  return new WorkspaceError("zip-unsafe-entry", `unsafe zip entry "${name}": ${why}; nothing was imported`, name);
}

/**
 * Indexes (in central-directory order, as fflate visits them) of entries a
 * Unix zip marks as symbolic links; fflate does not expose the attributes.
 */
function symlinkEntries(zip: Uint8Array): Set<number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const found = new Set<number>();
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) {
    if (zip.length - end > 65_557) return found;
    end--;
  }
  if (end < 0) return found;
  let count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  // ZIP64: the real count and offset are in the ZIP64 end record.
  if (end >= 20 && view.getUint32(end - 20, true) === 0x07064b50) {
    const end64 = Number(view.getBigUint64(end - 12, true));
    if (end64 + 56 <= zip.length && view.getUint32(end64, true) === 0x06064b50) {
      count = Number(view.getBigUint64(end64 + 32, true));
      offset = Number(view.getBigUint64(end64 + 48, true));
    }
  }
  for (let i = 0; i < count && offset + 46 <= zip.length; i++) {
    if (view.getUint32(offset, true) !== 0x02014b50) break;
    const host = view.getUint16(offset + 4, true) >> 8;
    const mode = view.getUint32(offset + 38, true) >>> 16;
    if (host === UNIX_HOST && (mode & S_IFMT) === S_IFLNK) found.add(i);
    offset += 46 + view.getUint16(offset + 28, true) + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
  }
  return found;
}
