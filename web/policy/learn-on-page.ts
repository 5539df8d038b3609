import type { RunResult } from "../../wasm-runtime/index.ts";
import { learnPolicy, WORKSPACE_ROOT, type Policy } from "../../wasm-runtime/policy/index.ts";
import type { Mount, WorkspaceSnapshot } from "../../wasm-runtime/workspace/index.ts";

/** What a learning run on the page had and left: the policy it ran under, its files before and after. */
export interface PageLearning {
  policy: Policy;
  workspace: WorkspaceSnapshot | undefined;
  mounts: readonly Mount[];
  result: RunResult;
  program: string;
}

/** The learned policy of a page run, or the reason there is none. */
export function learnFromPageRun({ policy, workspace, mounts, result, program }: PageLearning): Policy | string {
  if (result.reason !== "exited") return `nothing learned: the run did not end on its own (${result.error ?? result.reason})`;
  const existing: string[] = [];
  const add = (root: string, snapshot: WorkspaceSnapshot | undefined) => {
    for (const path of snapshot?.entries.keys() ?? []) existing.push(path === "" ? root : `${root}/${path}`);
  };
  add(WORKSPACE_ROOT, workspace);
  add(WORKSPACE_ROOT, result.workspace);
  for (const mount of mounts) add(mount.path, mount.files);
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  return learnPolicy({
    audit: result.audit ?? [],
    existing,
    limits: policy.limits,
    durationMs: result.durationMs,
    memoryBytes: result.memoryBytes,
    stdoutBytes: bytes(result.stdout),
    stderrBytes: bytes(result.stderr),
    workspaceBytes: result.workspacePeakBytes ?? result.workspace?.bytes ?? 0,
    program,
  });
}
