import { EMPTY_SNAPSHOT, type WorkspaceEntry, type WorkspaceSnapshot } from "../../wasm-runtime/workspace/index.ts";
import { listingOf, type WorkspaceListing } from "./listing.ts";

/** What is kept of one named workspace besides its files. */
export interface WorkspaceMeta {
  readonly name: string;
  /** The workspace's quota: file content in bytes. */
  readonly quotaBytes: number;
  readonly createdMs: number;
}

/** The writes that turn the persisted `before` into `after`. */
export interface SavePlan {
  readonly put: readonly [string, WorkspaceEntry][];
  readonly remove: readonly string[];
}

/** One workspace read from IndexedDB in one transaction: the listing arrives first, the files after it. */
export interface WorkspaceRead {
  /** Undefined for a workspace last saved before listings were kept (its files must be read to list it). */
  readonly listing: Promise<WorkspaceListing | undefined>;
  readonly files: Promise<WorkspaceSnapshot>;
}

const DB_NAME = "playpen-workspaces";
/** 2 added LISTINGS. */
const DB_VERSION = 2;
const META = "workspaces";
/** Key [workspace name, path] → WorkspaceEntry: one record per file or folder, so a save writes only what changed. */
const FILES = "files";
/** Key workspace name → WorkspaceListing of its files, rewritten by every save in the transaction that writes them. */
const LISTINGS = "listings";

/**
 * Entries are compared by identity: a Workspace keeps the entry object of
 * everything it did not touch, and restoring a snapshot reuses its objects,
 * so an accepted run or one edited file costs writes for those paths only.
 */
export function savePlan(before: WorkspaceSnapshot, after: WorkspaceSnapshot): SavePlan {
  const put: [string, WorkspaceEntry][] = [];
  for (const [path, entry] of after.entries) if (before.entries.get(path) !== entry) put.push([path, entry]);
  const remove = [...before.entries.keys()].filter((path) => !after.entries.has(path));
  return { put, remove };
}

/**
 * Named workspaces in IndexedDB. Each save is one transaction (IndexedDB
 * commits all of it or none), so a tab closed mid-save keeps the previous
 * accepted state whole; saves of one workspace run one after another.
 */
export class WorkspaceStore {
  readonly #db: IDBDatabase;
  /** What IndexedDB holds now for each loaded workspace: the base of the next save plan. */
  readonly #persisted = new Map<string, WorkspaceSnapshot>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(db: IDBDatabase) {
    this.#db = db;
  }

  static async open(): Promise<WorkspaceStore> {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(META)) db.createObjectStore(META, { keyPath: "name" });
      if (!db.objectStoreNames.contains(FILES)) db.createObjectStore(FILES);
      if (!db.objectStoreNames.contains(LISTINGS)) db.createObjectStore(LISTINGS);
    };
    return new WorkspaceStore(await settled(request));
  }

  async list(): Promise<WorkspaceMeta[]> {
    const all = (await settled(this.#db.transaction(META).objectStore(META).getAll())) as WorkspaceMeta[];
    return all.sort((a, b) => a.createdMs - b.createdMs);
  }

  async create(meta: WorkspaceMeta): Promise<void> {
    const tx = this.#db.transaction([META, LISTINGS], "readwrite");
    tx.objectStore(META).add(meta);
    tx.objectStore(LISTINGS).put(listingOf(EMPTY_SNAPSHOT), meta.name);
    await committed(tx);
    this.#persisted.set(meta.name, EMPTY_SNAPSHOT);
  }

  async setQuota(name: string, quotaBytes: number): Promise<void> {
    const tx = this.#db.transaction(META, "readwrite");
    const store = tx.objectStore(META);
    const meta = (await settled(store.get(name))) as WorkspaceMeta | undefined;
    if (!meta) throw new Error(`no workspace named "${name}"`);
    store.put({ ...meta, quotaBytes });
    await committed(tx);
  }

  /**
   * Reads workspace `name` in one transaction, listing first: its requests
   * are answered in order, so the small listing is in hand while the content
   * (50 MB: half a second) is still being read.
   */
  read(name: string): WorkspaceRead {
    const tx = this.#db.transaction([LISTINGS, FILES]);
    const listing = settled(tx.objectStore(LISTINGS).get(name)) as Promise<WorkspaceListing | undefined>;
    const store = tx.objectStore(FILES);
    const range = rangeOf(name);
    const files = Promise.all([settled(store.getAllKeys(range)), settled(store.getAll(range))]).then(([keys, values]) => {
      const entries = new Map<string, WorkspaceEntry>();
      let bytes = 0;
      keys.forEach((key, i) => {
        const entry = values[i] as WorkspaceEntry;
        entries.set((key as [string, string])[1], entry);
        if (entry.kind === "file") bytes += entry.data.length;
      });
      const snapshot = { entries, bytes };
      this.#persisted.set(name, snapshot);
      return snapshot;
    });
    return { listing, files };
  }

  /** Makes `snapshot` the stored state of `name`, all at once. */
  save(name: string, snapshot: WorkspaceSnapshot): Promise<void> {
    const next = this.#queue.then(async () => {
      const { put, remove } = savePlan(this.#persisted.get(name) ?? EMPTY_SNAPSHOT, snapshot);
      if (put.length === 0 && remove.length === 0) return;
      const tx = this.#db.transaction([FILES, LISTINGS], "readwrite");
      const store = tx.objectStore(FILES);
      for (const path of remove) store.delete([name, path]);
      for (const [path, entry] of put) store.put(compact(entry), [name, path]);
      tx.objectStore(LISTINGS).put(listingOf(snapshot), name);
      await committed(tx);
      this.#persisted.set(name, snapshot);
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async delete(name: string): Promise<void> {
    const tx = this.#db.transaction([META, FILES, LISTINGS], "readwrite");
    tx.objectStore(META).delete(name);
    tx.objectStore(FILES).delete(rangeOf(name));
    tx.objectStore(LISTINGS).delete(name);
    await committed(tx);
    this.#persisted.delete(name);
  }
}

/** The entry with bytes of its own: a view into a larger buffer would store the whole buffer. */
function compact(entry: WorkspaceEntry): WorkspaceEntry {
  if (entry.kind === "dir" || entry.data.byteLength === entry.data.buffer.byteLength) return entry;
  return { ...entry, data: entry.data.slice() };
}

/** Every key [name, path] of one workspace (paths are strings, so [name, []] sorts after all of them). */
function rangeOf(name: string): IDBKeyRange {
  return IDBKeyRange.bound([name, ""], [name, []]);
}

function settled<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB request failed"));
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}
