import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { beforeEach, describe, expect, it } from "vitest";
import type { WorkspaceFile, WorkspaceSnapshot } from "../../wasm-runtime/workspace/index.ts";
import { listingOf } from "../../web/workspace/listing.ts";
import { WorkspaceStore } from "../../web/workspace/persist.ts";
import { WorkspaceSession, type Remembered } from "../../web/workspace/session.ts";
import { treeRows } from "../../web/workspace/tree.ts";

// IndexedDB as specified, in memory (fake-indexeddb): the store's real transactions, a fresh database per test.
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

function remembered(): Remembered {
  const kept = new Map<string, string>();
  return {
    getItem: (key) => kept.get(key) ?? null,
    setItem: (key, value) => {
      kept.set(key, value);
    },
  };
}

/** A store whose reads hand the files' content over only when `release(name)` is called: a slow content read. */
async function storeHoldingFiles(): Promise<{ store: WorkspaceStore; release: (name: string) => void }> {
  const store = await WorkspaceStore.open();
  const gates = new Map<string, () => void>();
  const read = store.read.bind(store);
  store.read = (name) => {
    const { listing, files } = read(name);
    const held = new Promise<void>((resolve) => gates.set(name, resolve));
    return { listing, files: held.then(() => files) };
  };
  return { store, release: (name) => gates.get(name)!() };
}

/** `promise`, or a failure saying what it waited for. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(what)), 1000))]);
}

function text(snapshot: WorkspaceSnapshot, path: string): string {
  return new TextDecoder().decode((snapshot.entries.get(path) as WorkspaceFile).data);
}

/** A session as the page had it before a reload: files saved in workspace "default". */
async function savedWorkspace(edit: (session: WorkspaceSession) => void): Promise<Remembered> {
  const kept = remembered();
  const session = await WorkspaceSession.open(await WorkspaceStore.open(), kept);
  await session.files();
  edit(session);
  await session.saved;
  return kept;
}

describe("reopening a persisted workspace (a page reload)", () => {
  it("shows the listing before the files' content is read, and refuses or waits until it is", async () => {
    const kept = await savedWorkspace((session) =>
      session.change((ws) => {
        ws.writeFile("src/a.txt", "hello");
        ws.writeFile("b.bin", new Uint8Array(1000));
      }),
    );
    const { store, release } = await storeHoldingFiles();

    const page = await within(WorkspaceSession.open(store, kept), "the session waited for the files' content before showing the listing");
    expect(page.loading).toBe(true);
    expect(page.snapshot).toBeNull();
    expect(treeRows(page.listing, new Set(["src"])).map((r) => [r.path, r.size])).toEqual([
      ["src", 1],
      ["src/a.txt", 5],
      ["b.bin", 1000],
    ]);
    expect(page.listing.bytes).toBe(1005);
    expect(() => page.change((ws) => ws.writeFile("c.txt", ""))).toThrow('the files of workspace "default" are still loading');
    expect(() => page.exportZip()).toThrow("still loading");
    let arrived = false;
    const files = page.files().then((snapshot) => ((arrived = true), snapshot));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(arrived).toBe(false);

    release("default");
    expect(text(await files, "src/a.txt")).toBe("hello");
    expect(page.loading).toBe(false);
    expect(page.snapshot).toBe(await files);
    page.change((ws) => ws.writeFile("c.txt", "after"));
    await page.saved;
    expect(page.listing.entries.get("c.txt")).toEqual({ kind: "file", size: 5 });
  });

  it("saves the listing with the files: what a later reload lists is what it then reads", async () => {
    const kept = await savedWorkspace((session) => {
      session.change((ws) => ws.writeFile("keep.txt", "k"));
      session.change((ws) => ws.writeFile("gone/x.txt", "x"));
      session.change((ws) => ws.remove("gone"));
      session.change((ws) => ws.writeFile("keep.txt", "kept"));
    });
    const store = await WorkspaceStore.open();
    const { listing, files } = store.read("default");
    expect(await listing).toEqual(listingOf(await files));
    expect([...(await listing)!.entries.keys()]).toEqual(["keep.txt"]);
    const page = await WorkspaceSession.open(store, kept);
    expect(text(await page.files(), "keep.txt")).toBe("kept");
  });

  it("drops the files of a workspace left while they were being read", async () => {
    const kept = await savedWorkspace((session) => session.change((ws) => ws.writeFile("one.txt", "1")));
    const before = await WorkspaceSession.open(await WorkspaceStore.open(), kept);
    await before.create("second");
    await before.files();
    before.change((ws) => ws.writeFile("two.txt", "2"));
    await before.saved;
    const { store, release } = await storeHoldingFiles();

    const page = await WorkspaceSession.open(store, kept);
    expect(page.name).toBe("second");
    await page.switchTo("default");
    expect([...page.listing.entries.keys()]).toEqual(["one.txt"]);
    release("default");
    await page.files();
    // The files of "second" arrive last: they must not replace those of the workspace now open.
    release("second");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([...page.snapshot!.entries.keys()]).toEqual(["one.txt"]);
    expect([...page.listing.entries.keys()]).toEqual(["one.txt"]);
  });

  it("says why when the content cannot be read: runs and changes get the reason", async () => {
    const kept = await savedWorkspace((session) => session.change((ws) => ws.writeFile("a.txt", "a")));
    const store = await WorkspaceStore.open();
    const read = store.read.bind(store);
    store.read = (name) => ({ listing: read(name).listing, files: Promise.reject(new Error("disk gone")) });
    const page = await WorkspaceSession.open(store, kept);
    await expect(page.files()).rejects.toThrow("disk gone");
    expect(page.loading).toBe(false);
    expect(page.loadError).toBe('could not read the files of workspace "default" from the browser: Error: disk gone');
    expect(() => page.readText("a.txt")).toThrow(page.loadError!);
    expect([...page.listing.entries.keys()]).toEqual(["a.txt"]);

    // Another workspace starts afresh: loading, not failed, and its files arrive.
    store.read = read;
    await page.create("fresh");
    expect(page.loadError).toBeNull();
    expect(page.loading).toBe(true);
    await page.files();
    page.change((ws) => ws.writeFile("b.txt", "b"));
    expect([...page.snapshot!.entries.keys()]).toEqual(["b.txt"]);
  });

  it("lists a workspace saved before listings were kept from its files (database version 1)", async () => {
    const legacy = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open("playpen-workspaces", 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("workspaces", { keyPath: "name" });
        request.result.createObjectStore("files");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error("open failed"));
    });
    const tx = legacy.transaction(["workspaces", "files"], "readwrite");
    tx.objectStore("workspaces").put({ name: "old", quotaBytes: 1 << 20, createdMs: 1 });
    tx.objectStore("files").put({ kind: "file", data: new TextEncoder().encode("from v1"), mtimeMs: 1 }, ["old", "a.txt"]);
    await new Promise((resolve) => (tx.oncomplete = resolve));
    legacy.close();

    const page = await WorkspaceSession.open(await WorkspaceStore.open(), remembered());
    expect(page.name).toBe("old");
    expect(page.listing.entries.get("a.txt")).toEqual({ kind: "file", size: 7 });
    expect(text(await page.files(), "a.txt")).toBe("from v1");
  });
});
