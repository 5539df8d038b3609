import { writeFile } from "node:fs/promises";
import type { RunResult } from "../../wasm-runtime/index.ts";
import type { Sandbox } from "../../wasm-runtime/engine/engine.ts";
import { learnPolicy, RUNTIME_ROOT, WORKSPACE_ROOT, type Policy } from "../../wasm-runtime/policy/index.ts";

/** Every path in the sandbox's filesystem but the runtime's own. */
export async function existingPaths(sandbox: Sandbox): Promise<string[]> {
  const paths: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await sandbox.list(folder).catch(() => [])) {
      const path = `${folder === "/" ? "" : folder}/${entry.name}`;
      if (path === RUNTIME_ROOT) continue;
      paths.push(path);
      if (entry.kind === "directory") await walk(path);
    }
  };
  await walk("/");
  return paths;
}

/**
 * The learned policy from a finished learning run, written to `file` as
 * JSON; undefined (nothing written) when the run did not end on its own.
 */
export async function learnFromRun(options: { file: string; program: string; policy: Policy; sandbox: Sandbox; before: string[]; result: RunResult }): Promise<Policy | undefined> {
  const { sandbox, result } = options;
  if (result.reason !== "exited") return undefined;
  const after = await existingPaths(sandbox);
  // A shell script's commands each have their own peak: then what /workspace holds at the end.
  let workspaceBytes = result.workspacePeakBytes ?? 0;
  if (result.workspacePeakBytes === undefined) {
    for (const path of after) {
      if (path.startsWith(`${WORKSPACE_ROOT}/`)) workspaceBytes += await sandbox.readFile(path).then((bytes) => bytes.length, () => 0);
    }
  }
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  const learned = learnPolicy({
    audit: result.audit ?? [],
    existing: [...options.before, ...after],
    limits: options.policy.limits,
    durationMs: result.durationMs,
    memoryBytes: result.memoryBytes,
    stdoutBytes: bytes(result.stdout),
    stderrBytes: bytes(result.stderr),
    workspaceBytes,
    program: options.program,
  });
  await writeFile(options.file, `${JSON.stringify(learned, null, 2)}\n`);
  return learned;
}
