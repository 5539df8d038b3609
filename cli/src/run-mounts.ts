import path from "node:path";
import { EXIT_CODE, type EngineName, type RunResult } from "../../wasm-runtime/index.ts";
import { diff, isWithin, ROOT_MOUNT, WORKSPACE_ROOT, type Mount, type WorkspaceLimits } from "../../wasm-runtime/workspace/index.ts";
import { HostMountError, readHostFolder, writeBack, type HostFolder } from "./host-mount.ts";
import { UsageError, type CommitWhen, type MountOption } from "./options.ts";

/**
 * The CLI's --mount and --commit around one run: host folders in, and after
 * the run their changes written back or not, as --commit and the run's end
 * decide. What happened to each is a MountReport (--json's `mounts`).
 */

export interface MountReport {
  /** The host folder's real path. */
  host: string;
  guest: string;
  readOnly: boolean;
  /** The run's changes were written to `host`. */
  committed: boolean;
  /** What the run changed in the mount (written back or not); 0 when it left no final state. */
  added: number;
  modified: number;
  deleted: number;
}

export interface HostMount extends MountOption {
  folder: HostFolder;
}

/**
 * @wasmer/sdk's filesystem ends at /workspace: a writable mount elsewhere
 * needs the gated engine (a usage error), and a read-only one elsewhere is a
 * copy the guest may change unseen, dropped when it ends. Returns the warnings
 * for stderr.
 */
export function checkMountsOnEngine(engine: EngineName, mounts: readonly MountOption[]): string {
  if (engine !== "wasmer") return "";
  const root = mounts.find((m) => m.guest === ROOT_MOUNT);
  if (root) throw new UsageError(`the wasmer engine cannot enforce --mount ${root.host}:/ (its filesystem is its own). Use --engine gated.`);
  const outside = mounts.filter((m) => !isWithin(m.guest, WORKSPACE_ROOT));
  const writable = outside.find((m) => !m.readOnly);
  if (writable) {
    throw new UsageError(`the wasmer engine cannot enforce --mount ${writable.host}:${writable.guest} (a writable mount outside /workspace). Use --engine gated, :ro, or a GUESTDIR under /workspace.`);
  }
  return outside.map((m) => `playpen: the wasmer engine does not refuse writes to the read-only ${m.guest}: they are dropped when the run ends (--engine gated refuses them)\n`).join("");
}

/** Reads each host folder (relative to `cwd`, the caller's folder); `warn` hears of every entry left out. */
export async function readMounts(options: readonly MountOption[], cwd: string, limits: WorkspaceLimits, warn: (text: string) => void): Promise<HostMount[]> {
  const mounts: HostMount[] = [];
  for (const option of options) {
    let folder: HostFolder;
    try {
      folder = await readHostFolder(path.resolve(cwd, option.host), limits);
    } catch (error) {
      if (error instanceof HostMountError) throw new HostMountError(`cannot mount "${option.host}": ${error.message}`);
      throw error;
    }
    for (const { path: skipped, why } of folder.skipped) warn(`playpen: --mount ${option.host}: skipped ${skipped}: ${why}\n`);
    mounts.push({ ...option, folder });
  }
  // Two mounts of one host tree would each write back over the other's changes.
  for (const a of mounts) {
    const b = mounts.find((other) => other !== a && isWithin(other.folder.root, a.folder.root) && !(a.readOnly && other.readOnly));
    if (b) throw new HostMountError(`cannot mount "${b.host}" and "${a.host}" together: one holds the other, and a writable mount needs a folder of its own`);
  }
  return mounts;
}

export function requestMounts(mounts: readonly HostMount[]): Mount[] {
  return mounts.map((m) => ({ path: m.guest, files: m.folder.files, readOnly: m.readOnly }));
}

/**
 * Writes each writable mount's changes back when the run left a final state
 * and --commit allows it (by default: exit 0). A failed write-back turns the
 * result into an error (exit 126) naming the folder and what was written.
 * `notes` say, for stderr, what went back where, and what did not and why.
 */
export async function settleMounts(
  mounts: readonly HostMount[],
  result: RunResult,
  commit: CommitWhen | undefined,
  limits: WorkspaceLimits,
): Promise<{ result: RunResult; reports: MountReport[]; notes: string }> {
  const wanted = commit === "always" || (commit === undefined && result.exitCode === 0);
  const reports: MountReport[] = [];
  const notes: string[] = [];
  let settled = result;
  for (const [i, mount] of mounts.entries()) {
    const { root } = mount.folder;
    const after = result.mounts?.[i];
    const changes = after && !mount.readOnly ? diff(mount.folder.files, after) : undefined;
    const report: MountReport = { host: root, guest: mount.guest, readOnly: mount.readOnly, committed: false, added: changes?.added ?? 0, modified: changes?.modified ?? 0, deleted: changes?.deleted ?? 0 };
    reports.push(report);
    if (mount.readOnly) continue;
    const summary = `${report.added} added, ${report.modified} modified, ${report.deleted} deleted`;
    if (!after) {
      notes.push(`${mount.guest}: nothing written back to ${root}: the run left no final state (${result.reason})`);
    } else if (!wanted) {
      const why = commit === "never" ? "--commit never" : `the run exited ${result.exitCode}; --commit always would write them`;
      if (changes!.entries.length > 0) notes.push(`${mount.guest}: ${summary}, not written back to ${root} (${why})`);
    } else {
      try {
        await writeBack(root, mount.folder.files, after, limits);
        report.committed = true;
        if (changes!.entries.length > 0) notes.push(`wrote ${mount.guest} back to ${root}: ${summary}`);
      } catch (error) {
        if (!(error instanceof HostMountError)) throw error;
        const message = `writing ${mount.guest} back to ${root}: ${error.message}`;
        settled = { ...settled, exitCode: EXIT_CODE.error, reason: "error", error: settled.error ? `${settled.error}; ${message}` : message };
      }
    }
  }
  for (const discarded of result.discardedWrites ?? []) notes.push(`discarded a write to the read-only ${discarded}`);
  return { result: settled, reports, notes: notes.map((line) => `playpen: ${line}\n`).join("") };
}
