import { DEFAULT_WORKSPACE_LIMITS, exportZip, importZip, Workspace, WorkspaceError, type WorkspaceSnapshot, type ZipImport } from "../../wasm-runtime/workspace/index.ts";
import type { IncomingFile } from "./drop.ts";
import { formatBytes } from "./format.ts";
import { childPath } from "./names.ts";
import { WorkspaceStore, type WorkspaceMeta } from "./persist.ts";

const CURRENT_KEY = "playpen.workspace";
const FIRST_WORKSPACE = "default";

/**
 * The page's workspace: the accepted state of the current named workspace,
 * kept on the page (not in the sandbox worker, which is replaced when a run
 * must be killed) and saved to IndexedDB after every accepted change. Every
 * change goes through `change()`: done on the Workspace (all or nothing), then
 * persisted, then announced to subscribers.
 */
export class WorkspaceSession {
  readonly #store: WorkspaceStore;
  #workspace: Workspace;
  #meta: WorkspaceMeta;
  #all: WorkspaceMeta[];
  #snapshot: WorkspaceSnapshot;
  #saving: Promise<void> = Promise.resolve();
  #saveError: string | null = null;
  #unsaved = 0;
  #version = 0;
  readonly #listeners = new Set<() => void>();

  private constructor(store: WorkspaceStore, all: WorkspaceMeta[], meta: WorkspaceMeta, files: WorkspaceSnapshot) {
    this.#store = store;
    this.#all = all;
    this.#meta = meta;
    this.#workspace = new Workspace({ bytes: meta.quotaBytes }, files);
    this.#snapshot = this.#workspace.snapshot();
  }

  /** Opens the workspace used last (or the first one, created empty). */
  static async open(): Promise<WorkspaceSession> {
    const store = await WorkspaceStore.open();
    let all = await store.list();
    if (all.length === 0) {
      await store.create(newMeta(FIRST_WORKSPACE, DEFAULT_WORKSPACE_LIMITS.bytes));
      all = await store.list();
    }
    const meta = all.find((m) => m.name === localStorage.getItem(CURRENT_KEY)) ?? all[0]!;
    return new WorkspaceSession(store, all, meta, await store.load(meta.name));
  }

  get name(): string {
    return this.#meta.name;
  }

  get quotaBytes(): number {
    return this.#meta.quotaBytes;
  }

  get workspaces(): readonly WorkspaceMeta[] {
    return this.#all;
  }

  /** The accepted state; a new object after every change (for React). */
  get snapshot(): WorkspaceSnapshot {
    return this.#snapshot;
  }

  /** Resolves once everything changed so far is in IndexedDB. */
  get saved(): Promise<void> {
    return this.#saving;
  }

  /** Whether a change is still on its way to IndexedDB (a reload now would lose it). */
  get saving(): boolean {
    return this.#unsaved > 0;
  }

  /** Counts announcements: anything shown may have changed when it moves. */
  get version(): number {
    return this.#version;
  }

  /** Why the last save to IndexedDB failed, until one succeeds: the page must say so. */
  get saveError(): string | null {
    return this.#saveError;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readText(path: string): string {
    return this.#workspace.readText(path);
  }

  readFile(path: string): Uint8Array {
    return this.#workspace.readFile(path);
  }

  /** Applies `edit` to the workspace (it throws having changed nothing, or completes), then saves. */
  change<T>(edit: (workspace: Workspace) => T): T {
    const out = edit(this.#workspace);
    this.#changed();
    return out;
  }

  /** Makes a run's result the accepted state (refused, unchanged, if it breaks the quota). */
  accept(after: WorkspaceSnapshot): void {
    this.change((ws) => ws.restore(after));
  }

  /**
   * Adds picked or dropped files under `folder`, all or nothing. Sizes are
   * checked against the quota before any byte is read, so a 100 MB file over
   * quota is refused at once and the page never holds it.
   */
  async upload(files: readonly IncomingFile[], folder = ""): Promise<number> {
    const total = files.reduce((sum, f) => sum + f.file.size, 0);
    const { bytes } = this.#workspace.usage();
    if (bytes + total > this.#meta.quotaBytes) {
      throw new WorkspaceError(
        "quota-bytes",
        `upload refused: ${formatBytes(total)} would make workspace "${this.name}" ${formatBytes(bytes + total)}, over its quota of ${formatBytes(this.#meta.quotaBytes)}`,
      );
    }
    const staged = new Workspace(this.#workspace.limits, this.#workspace.snapshot());
    for (const { path, file } of files) staged.writeFile(childPath(folder, path), new Uint8Array(await file.arrayBuffer()));
    this.accept(staged.snapshot());
    return files.length;
  }

  importZip(zip: Uint8Array, folder = ""): ZipImport {
    return this.change((ws) => importZip(ws, zip, folder));
  }

  exportZip(folder = ""): Uint8Array {
    return exportZip(this.#snapshot, folder);
  }

  /** Changes the current workspace's quota; refused when its files already take more. */
  async setQuota(quotaBytes: number): Promise<void> {
    const resized = new Workspace({ bytes: quotaBytes }, this.#workspace.snapshot());
    await this.#store.setQuota(this.name, quotaBytes);
    this.#workspace = resized;
    this.#meta = { ...this.#meta, quotaBytes };
    this.#all = await this.#store.list();
    this.#changed();
  }

  async create(name: string, quotaBytes = DEFAULT_WORKSPACE_LIMITS.bytes): Promise<void> {
    if (this.#all.some((m) => m.name === name)) throw new Error(`a workspace named "${name}" exists already`);
    await this.#store.create(newMeta(name, quotaBytes));
    this.#all = await this.#store.list();
    await this.switchTo(name);
  }

  async switchTo(name: string): Promise<void> {
    const meta = this.#all.find((m) => m.name === name);
    if (!meta) throw new Error(`no workspace named "${name}"`);
    await this.#saving;
    const files = await this.#store.load(name);
    this.#meta = meta;
    this.#workspace = new Workspace({ bytes: meta.quotaBytes }, files);
    localStorage.setItem(CURRENT_KEY, name);
    this.#announce();
  }

  /** Deletes the current workspace and opens another (a fresh empty one if it was the last). */
  async deleteCurrent(): Promise<void> {
    await this.#saving;
    await this.#store.delete(this.name);
    this.#all = await this.#store.list();
    if (this.#all.length === 0) {
      await this.#store.create(newMeta(FIRST_WORKSPACE, DEFAULT_WORKSPACE_LIMITS.bytes));
      this.#all = await this.#store.list();
    }
    await this.switchTo(this.#all[0]!.name);
  }

  #changed(): void {
    const snapshot = this.#workspace.snapshot();
    this.#unsaved++;
    this.#saving = this.#store.save(this.name, snapshot).then(
      () => this.#saved(null),
      (error: unknown) => this.#saved(`could not save workspace "${this.name}" in the browser: ${String(error)}`),
    );
    this.#announce(snapshot);
  }

  #saved(error: string | null): void {
    this.#unsaved--;
    this.#saveError = error;
    this.#announce(this.#snapshot);
  }

  #announce(snapshot = this.#workspace.snapshot()): void {
    this.#snapshot = snapshot;
    this.#version++;
    for (const listener of this.#listeners) listener();
  }
}

function newMeta(name: string, quotaBytes: number): WorkspaceMeta {
  return { name, quotaBytes, createdMs: Date.now() };
}
