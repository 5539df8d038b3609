import { DEFAULT_WORKSPACE_LIMITS, exportZip, importZip, Workspace, WorkspaceError, type WorkspaceSnapshot, type ZipImport } from "../../wasm-runtime/workspace/index.ts";
import type { IncomingFile } from "./drop.ts";
import { formatBytes } from "./format.ts";
import { listingOf, type WorkspaceListing } from "./listing.ts";
import { childPath } from "./names.ts";
import { WorkspaceStore, type WorkspaceMeta } from "./persist.ts";

const CURRENT_KEY = "playpen.workspace";
const FIRST_WORKSPACE = "default";

/** The workspace the page will open, known before IndexedDB answers (a name not found falls back when it does). */
export function rememberedWorkspace(remembered: Pick<Storage, "getItem"> = localStorage): string {
  return remembered.getItem(CURRENT_KEY) ?? FIRST_WORKSPACE;
}

/** Where the name of the workspace used last is kept: localStorage on the page. */
export type Remembered = Pick<Storage, "getItem" | "setItem">;

/**
 * The page's workspace: the accepted state of the current named workspace,
 * kept on the page (not in the sandbox worker, which is replaced when a run
 * must be killed) and saved to IndexedDB after every accepted change. Every
 * change goes through `change()`: done on the Workspace (all or nothing), then
 * persisted, then announced to subscribers.
 *
 * Opening a workspace shows its listing (paths and sizes) at once and reads
 * the files' content after it: until then `snapshot` is null, changes are
 * refused with a clear message, and runs and uploads wait (`files()`).
 */
export class WorkspaceSession {
  readonly #store: WorkspaceStore;
  readonly #remembered: Remembered;
  /** Null while the current workspace's files are being read. */
  #workspace: Workspace | null = null;
  #meta: WorkspaceMeta;
  #all: WorkspaceMeta[];
  #snapshot: WorkspaceSnapshot | null = null;
  #listing: WorkspaceListing;
  /** Settles when the files of the read begun last are in (or could not be read). */
  #loaded: Promise<void>;
  #loadError: string | null = null;
  /** Counts reads begun, so the files of a workspace left meanwhile are dropped. */
  #reads = 0;
  #saving: Promise<void> = Promise.resolve();
  #saveError: string | null = null;
  #unsaved = 0;
  #version = 0;
  readonly #listeners = new Set<() => void>();

  private constructor(store: WorkspaceStore, remembered: Remembered, all: WorkspaceMeta[], meta: WorkspaceMeta, { listing, files }: ListedRead) {
    this.#store = store;
    this.#remembered = remembered;
    this.#all = all;
    this.#meta = meta;
    this.#listing = listing;
    this.#loaded = this.#fill(files);
  }

  /** Opens the workspace used last (or the first one, created empty); resolves once its listing is read. */
  static async open(store?: WorkspaceStore, remembered: Remembered = localStorage): Promise<WorkspaceSession> {
    store ??= await WorkspaceStore.open();
    let all = await store.list();
    if (all.length === 0) {
      await store.create(newMeta(FIRST_WORKSPACE, DEFAULT_WORKSPACE_LIMITS.bytes));
      all = await store.list();
    }
    const meta = all.find((m) => m.name === remembered.getItem(CURRENT_KEY)) ?? all[0]!;
    return new WorkspaceSession(store, remembered, all, meta, await listedRead(store, meta.name));
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

  /** The accepted state, null while the files are being read; a new object after every change (for React). */
  get snapshot(): WorkspaceSnapshot | null {
    return this.#snapshot;
  }

  /** Paths and sizes of the accepted state, known before the files are read; a new object when they change. */
  get listing(): WorkspaceListing {
    return this.#listing;
  }

  /** Whether the files' content is still being read (the tree shows, changes wait). */
  get loading(): boolean {
    return this.#workspace === null && this.#loadError === null;
  }

  /** Why the files could not be read from IndexedDB: the page must say so. */
  get loadError(): string | null {
    return this.#loadError;
  }

  /** The accepted state once the files are read: what a run starts from. */
  async files(): Promise<WorkspaceSnapshot> {
    await this.#ready();
    return this.#snapshot!;
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
    return this.#current().readText(path);
  }

  readFile(path: string): Uint8Array {
    return this.#current().readFile(path);
  }

  /** Applies `edit` to the workspace (it throws having changed nothing, or completes), then saves. */
  change<T>(edit: (workspace: Workspace) => T): T {
    const out = edit(this.#current());
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
    const workspace = await this.#ready();
    const total = files.reduce((sum, f) => sum + f.file.size, 0);
    const { bytes } = workspace.usage();
    if (bytes + total > this.#meta.quotaBytes) {
      throw new WorkspaceError(
        "quota-bytes",
        `upload refused: ${formatBytes(total)} would make workspace "${this.name}" ${formatBytes(bytes + total)}, over its quota of ${formatBytes(this.#meta.quotaBytes)}`,
      );
    }
    const staged = new Workspace(workspace.limits, workspace.snapshot());
    for (const { path, file } of files) staged.writeFile(childPath(folder, path), new Uint8Array(await file.arrayBuffer()));
    this.accept(staged.snapshot());
    return files.length;
  }

  importZip(zip: Uint8Array, folder = ""): ZipImport {
    return this.change((ws) => importZip(ws, zip, folder));
  }

  exportZip(folder = ""): Uint8Array {
    return exportZip(this.#current().snapshot(), folder);
  }

  /** Changes the current workspace's quota; refused when its files already take more. */
  async setQuota(quotaBytes: number): Promise<void> {
    const resized = new Workspace({ bytes: quotaBytes }, await this.files());
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
    const { listing, files } = await listedRead(this.#store, name);
    this.#workspace = null;
    this.#loadError = null;
    this.#meta = meta;
    this.#listing = listing;
    this.#loaded = this.#fill(files);
    this.#remembered.setItem(CURRENT_KEY, name);
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

  /** The workspace, or a clear refusal while its files are still being read. */
  #current(): Workspace {
    if (this.#workspace) return this.#workspace;
    throw new Error(this.#loadError ?? `the files of workspace "${this.name}" are still loading: try again in a moment`);
  }

  /** The workspace once its files are read (the read begun last, if another workspace was opened meanwhile). */
  async #ready(): Promise<Workspace> {
    for (;;) {
      const loaded = this.#loaded;
      try {
        await loaded;
      } catch (error) {
        // The failure of a read given up for another workspace is not this one's.
        if (loaded === this.#loaded) throw error;
      }
      if (this.#workspace) return this.#workspace;
    }
  }

  /** Takes the current workspace's files when they arrive, unless another workspace was opened meanwhile. */
  #fill(files: Promise<WorkspaceSnapshot>): Promise<void> {
    const read = ++this.#reads;
    const meta = this.#meta;
    const filled = files.then(
      (snapshot) => {
        if (read !== this.#reads) return;
        this.#workspace = new Workspace({ bytes: meta.quotaBytes }, snapshot);
        this.#loadError = null;
        this.#announce();
      },
      (error: unknown) => {
        if (read === this.#reads) {
          this.#loadError = `could not read the files of workspace "${meta.name}" from the browser: ${String(error)}`;
          this.#announce();
        }
        throw error;
      },
    );
    // Whoever waits for the files gets the error; the page shows loadError.
    filled.catch(() => undefined);
    return filled;
  }

  #changed(): void {
    const snapshot = this.#current().snapshot();
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

  #announce(snapshot = this.#workspace?.snapshot() ?? null): void {
    if (snapshot && snapshot !== this.#snapshot) this.#listing = listingOf(snapshot);
    this.#snapshot = snapshot;
    this.#version++;
    for (const listener of this.#listeners) listener();
  }
}

/** A read whose listing is in hand and whose files may still be on their way. */
interface ListedRead {
  readonly listing: WorkspaceListing;
  readonly files: Promise<WorkspaceSnapshot>;
}

/** Reads workspace `name` and resolves once its listing is read (from its files, if none was saved). */
async function listedRead(store: WorkspaceStore, name: string): Promise<ListedRead> {
  const { listing, files } = store.read(name);
  // A failed read fails both; the listing's failure is the one reported here.
  files.catch(() => undefined);
  return { listing: (await listing) ?? listingOf(await files), files };
}

function newMeta(name: string, quotaBytes: number): WorkspaceMeta {
  return { name, quotaBytes, createdMs: Date.now() };
}
