import type { RunResult } from "../../wasm-runtime/index.ts";
import { diff, type WorkspaceDiff, type WorkspaceSnapshot } from "../../wasm-runtime/workspace/index.ts";

/**
 * What a finished run did to the workspace, to show and decide on:
 * - `changes`: the guest exited and left the workspace different: accept or roll back;
 * - `unchanged`: nothing to decide, either because the guest changed nothing or because
 *   the run ended without handing its files back (stopped, timed out, crashed, over the
 *   wasmer quota): the workspace is exactly the snapshot it started from.
 */
export type Review =
  | { kind: "changes"; before: WorkspaceSnapshot; after: WorkspaceSnapshot; diff: WorkspaceDiff }
  | { kind: "unchanged"; why: string };

export function reviewOf(before: WorkspaceSnapshot, result: RunResult): Review {
  if (!result.workspace) return { kind: "unchanged", why: `the run ended (${result.reason}) without handing files back` };
  const changes = diff(before, result.workspace);
  if (changes.entries.length === 0) return { kind: "unchanged", why: "the run changed no files" };
  return { kind: "changes", before, after: result.workspace, diff: changes };
}

/** "2 added, 1 modified, 0 deleted" */
export function summary(changes: WorkspaceDiff): string {
  return `${changes.added} added, ${changes.modified} modified, ${changes.deleted} deleted`;
}

/**
 * Why the run's output says it ran out of workspace space, if it does: the gated
 * engine's ENOSPC as the guest reports it, or the wasmer engine's quota error.
 */
export function quotaHit(result: RunResult): boolean {
  const text = `${result.error ?? ""}\n${result.stderr}`;
  return /No space left on device|ENOSPC|workspace quota exceeded/.test(text);
}
