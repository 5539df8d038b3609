import type { FolderEntry, RunHandle, Sandbox } from "../engine/engine.ts";
import type { FileData, RunObserver, RunRequest, RunResult } from "../types.ts";
import { WorkspaceError } from "./errors.ts";
import type { Mount } from "./mounts.ts";
import { isWithin, WORKSPACE_ROOT } from "./path.ts";
import { EMPTY_SNAPSHOT, Workspace, type WorkspaceSnapshot } from "./workspace.ts";

/** A tree the session keeps: /workspace or a mount, at its absolute guest path. */
interface Tree {
  root: string;
  files: Workspace;
  readOnly: boolean;
}

/**
 * A run made of several runs (a shell script's commands, compile then run)
 * over one workspace snapshot and its mounts. Each inner run starts from the
 * files as the previous one left them, and the host-side reads and writes in
 * between (redirections, globs) see and change the same files. The caller's
 * snapshot is never touched: the whole run's files come back only when it
 * ended on its own, so a stopped or timed-out script leaves nothing half done.
 */
export class WorkspaceSession implements Sandbox {
  readonly #sandbox: Sandbox;
  readonly #trees: Tree[];

  constructor(sandbox: Sandbox, workspace: WorkspaceSnapshot, mounts: readonly Mount[] = []) {
    this.#sandbox = sandbox;
    // Limits are the engines' business (quota → ENOSPC); here the files are only carried.
    const unlimited = { bytes: Number.MAX_SAFE_INTEGER, entries: Number.MAX_SAFE_INTEGER };
    this.#trees = [
      ...mounts.map((m) => ({ root: m.path, files: new Workspace(unlimited, m.files), readOnly: m.readOnly })),
      { root: WORKSPACE_ROOT, files: new Workspace(unlimited, workspace), readOnly: false },
    ];
  }

  /**
   * Runs `run` (which runs on this session) as one run of the whole: the files
   * come back when it exited. Without a workspace or mounts the sandbox keeps
   * its own files, as for any run; mounts without a workspace start from an
   * empty /workspace (the CLI's case: a fresh sandbox) that is not kept.
   */
  static around(sandbox: Sandbox, request: RunRequest, run: (session: Sandbox, request: RunRequest) => RunHandle): RunHandle {
    if (!request.workspace && !request.mounts?.length) return run(sandbox, request);
    const session = new WorkspaceSession(sandbox, request.workspace ?? EMPTY_SNAPSHOT, request.mounts);
    // The mounts stay in the request for what decides the program's own accesses (the shell's redirections).
    const inner = { ...request };
    delete inner.workspace;
    const handle = run(session, inner);
    return { stop: () => handle.stop(), result: handle.result.then((result) => session.#finish(result, request)) };
  }

  run(request: RunRequest, observer?: RunObserver): RunHandle {
    const mountTrees = this.#trees.slice(0, -1);
    const handle = this.#sandbox.run(
      {
        ...request,
        workspace: this.#workspace.files.snapshot(),
        mounts: mountTrees.map((t) => ({ path: t.root, files: t.files.snapshot(), readOnly: t.readOnly })),
      },
      observer,
    );
    const result = handle.result.then((result) => {
      if (result.workspace) this.#workspace.files.restore(result.workspace);
      result.mounts?.forEach((files, i) => mountTrees[i]!.files.restore(files));
      // The files are the session's until the whole run ends.
      const inner = { ...result };
      delete inner.workspace;
      delete inner.mounts;
      return inner;
    });
    return { stop: () => handle.stop(), result };
  }

  /** The session's trees hold files and folders only (a guest's symlinks are left out of a workspace). */
  async realPath(path: string): Promise<string> {
    return this.#treeOf(path) ? path : this.#sandbox.realPath(path);
  }

  async readFile(path: string): Promise<Uint8Array> {
    const at = this.#treeOf(path);
    return at ? at.tree.files.readFile(at.path) : this.#sandbox.readFile(path);
  }

  async writeFile(path: string, data: FileData): Promise<void> {
    const at = this.#treeOf(path);
    if (!at) return this.#sandbox.writeFile(path, data);
    if (at.tree.readOnly) throw new WorkspaceError("read-only", `${at.tree.root} is mounted read-only`, path);
    at.tree.files.writeFile(at.path, data);
  }

  async list(path: string): Promise<FolderEntry[]> {
    const at = this.#treeOf(path);
    if (!at) return this.#sandbox.list(path);
    return at.tree.files.list(at.path, { recursive: false }).map((row) => ({
      name: row.path.slice(row.path.lastIndexOf("/") + 1),
      kind: row.kind === "dir" ? "directory" : "file",
    }));
  }

  close(): Promise<void> {
    return this.#sandbox.close();
  }

  get #workspace(): Tree {
    return this.#trees.at(-1)!;
  }

  /** The tree holding `path` (a mount first, as it may lie inside /workspace), and the path inside it. */
  #treeOf(path: string): { tree: Tree; path: string } | undefined {
    const tree = this.#trees.find((t) => isWithin(path, t.root));
    return tree && { tree, path: path === tree.root ? "" : path.slice(tree.root.length + 1) };
  }

  #finish(result: RunResult, request: RunRequest): RunResult {
    if (result.reason !== "exited") return result;
    const mountTrees = this.#trees.slice(0, -1);
    return {
      ...result,
      ...(request.workspace && { workspace: this.#workspace.files.snapshot() }),
      ...(request.mounts?.length && { mounts: mountTrees.map((t) => t.files.snapshot()) }),
    };
  }
}
