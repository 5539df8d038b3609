import path from "node:path";
import { EXIT_CODE, type EngineName, type RunResult } from "../../wasm-runtime/index.ts";
import { decide, PROTECTED_RULE, type Policy } from "../../wasm-runtime/policy/index.ts";
import { diff, grantMounts, isWithin, ROOT_MOUNT, WORKSPACE_ROOT, type Mount, type WorkspaceDiff, type WorkspaceLimits, type WorkspaceSnapshot } from "../../wasm-runtime/workspace/index.ts";
import { HostMountError, nameProblem, readHostFolder, shownName, writeBack, type HostFolder } from "./host-mount.ts";
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
  /** Every path the run changed in the mount (relative to it), listed before anything was written. */
  changes: { path: string; change: "added" | "modified" | "deleted" }[];
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

/** What settleMounts needs beside the mounts and the result. */
export interface SettleOptions {
  commit: CommitWhen | undefined;
  limits: WorkspaceLimits;
  /** The run's policy (mounts not yet granted): whether a protected path was granted by name. */
  policy: Policy;
  /** Says something now, before anything is written (stderr). */
  say(text: string): void;
  /** Asks the person at the terminal (--commit ask); absent without one. */
  prompt?: (question: string) => Promise<string>;
}

/**
 * Writes each writable mount's changes back when the run left a final state
 * and --commit allows it (by default: exit 0; `ask`: the person says yes).
 * Before anything is written, every changed path is listed (`say`), and the
 * whole write-back is refused when any of them is a protected path the policy
 * does not grant by name (the wasmer engine cannot refuse it during the run)
 * or has a name that could pass for another. A refused or failed write-back
 * turns the result into an error (exit 126) saying why. `notes` say, for
 * stderr, what went back where, and what did not and why.
 */
export async function settleMounts(mounts: readonly HostMount[], result: RunResult, options: SettleOptions): Promise<{ result: RunResult; reports: MountReport[]; notes: string }> {
  const { commit } = options;
  const wanted = commit === "always" || commit === "ask" || (commit === undefined && result.exitCode === 0);
  const reports: MountReport[] = [];
  const notes: string[] = [];
  const pending: { mount: HostMount; report: MountReport; after: WorkspaceSnapshot; changes: WorkspaceDiff }[] = [];
  for (const [i, mount] of mounts.entries()) {
    const { root } = mount.folder;
    const after = result.mounts?.[i];
    const changes = after && !mount.readOnly ? diff(mount.folder.files, after) : undefined;
    const report: MountReport = { host: root, guest: mount.guest, readOnly: mount.readOnly, committed: false, added: changes?.added ?? 0, modified: changes?.modified ?? 0, deleted: changes?.deleted ?? 0, changes: (changes?.entries ?? []).map(({ path, change }) => ({ path, change })) };
    reports.push(report);
    if (mount.readOnly) continue;
    if (!after) {
      notes.push(`${mount.guest}: nothing written back to ${root}: the run left no final state (${result.reason})`);
    } else if (!wanted) {
      const why = commit === "never" ? "--commit never" : `the run exited ${result.exitCode}; --commit always would write them`;
      if (changes!.entries.length > 0) notes.push(`${mount.guest}: ${summaryOf(report)}, not written back to ${root} (${why})`);
    } else {
      pending.push({ mount, report, after, changes: changes! });
    }
  }
  const changed = pending.filter((p) => p.changes.entries.length > 0);
  const refusals = changed.flatMap(({ mount, changes }) => refusalsOf(mount, changes, options.policy));
  let settled = result;
  const fail = (message: string) => {
    settled = { ...settled, exitCode: EXIT_CODE.error, reason: "error", error: settled.error ? `${settled.error}; ${message}` : message };
  };
  const listed = changed.map(({ mount, changes }) => listing(mount, changes)).join("");
  // With --commit ask the list is part of the question, drawn after the run's output on lines of its own.
  if (listed && (commit !== "ask" || refusals.length > 0)) options.say(listed);
  if (refusals.length > 0) {
    fail(`nothing written back: ${refusals.join("; ")}`);
  } else if (listed && commit === "ask" && !(await confirmed(options.prompt, listed))) {
    for (const { mount } of changed) notes.push(`${mount.guest}: not written back to ${mount.folder.root} (you said no)`);
  } else {
    for (const { mount, report, after, changes } of pending) {
      try {
        await writeBack(mount.folder.root, mount.folder.files, after, options.limits);
        report.committed = true;
        if (changes.entries.length > 0) notes.push(`wrote ${mount.guest} back to ${mount.folder.root}: ${summaryOf(report)}`);
      } catch (error) {
        if (!(error instanceof HostMountError)) throw error;
        fail(`writing ${mount.guest} back to ${mount.folder.root}: ${error.message}`);
      }
    }
  }
  for (const discarded of result.discardedWrites ?? []) notes.push(`discarded a write to the read-only ${discarded}`);
  return { result: settled, reports, notes: notes.map((line) => `playpen: ${line}\n`).join("") };
}

function summaryOf(report: MountReport): string {
  return `${report.added} added, ${report.modified} modified, ${report.deleted} deleted`;
}

/** Every path a mount's write-back would change, one a line, before anything is written. */
function listing(mount: HostMount, changes: WorkspaceDiff): string {
  const lines = changes.entries.map(({ path, change, kind }) => `playpen:   ${change.padEnd(8)} ${shownName(path)}${kind === "dir" ? "/" : ""}\n`);
  return `playpen: the run changed ${changes.entries.length} path(s) in ${mount.guest}, to go back to ${mount.folder.root}:\n${lines.join("")}`;
}

/** Why these changes may not go back at all: names that could pass for others, protected paths not granted by name. */
function refusalsOf(mount: HostMount, changes: WorkspaceDiff, policy: Policy): string[] {
  const granted = grantMounts(policy, [{ path: mount.guest, files: mount.folder.files, readOnly: false }]);
  const refusals: string[] = [];
  for (const { path } of changes.entries) {
    const problem = nameProblem(path);
    if (problem) refusals.push(`${shownName(path)} in ${mount.guest} ${problem}`);
    const guestPath = mount.guest === ROOT_MOUNT ? `/${path}` : `${mount.guest}/${path}`;
    const verdict = decide(granted, { capability: "file", access: "write", path: guestPath });
    if (verdict.rule.startsWith(PROTECTED_RULE)) refusals.push(`${shownName(guestPath)} is protected (the host may run or trust it); grant it by name with --allow-write=${guestPath} (gated engine) to let it change`);
  }
  return refusals;
}

async function confirmed(prompt: SettleOptions["prompt"], listed: string): Promise<boolean> {
  if (!prompt) return false;
  return /^y(es)?$/i.test((await prompt(`${listed}playpen: write these changes back? [y/N] `)).trim());
}
