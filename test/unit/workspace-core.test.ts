import { describe, expect, it } from "vitest";
import {
  diff,
  hashDiff,
  normalizePath,
  Workspace,
  WorkspaceError,
  type WorkspaceErrorCode,
} from "../../wasm-runtime/workspace/index.ts";
import { sha256 } from "../../wasm-runtime/engine/shared.ts";

function codeOf(run: () => unknown): WorkspaceErrorCode | "ok" {
  try {
    run();
    return "ok";
  } catch (error) {
    if (error instanceof WorkspaceError) return error.code;
    throw error;
  }
}

describe("workspace paths", () => {
  it("canonicalises relative and /workspace paths", () => {
    expect(normalizePath("src/main.py")).toBe("src/main.py");
    expect(normalizePath("/workspace/src//./main.py")).toBe("src/main.py");
    expect(normalizePath("./a/b/../c")).toBe("a/c");
    expect(normalizePath("/workspace", { allowRoot: true })).toBe("");
  });

  it("refuses each kind of bad path with its own code", () => {
    expect(codeOf(() => normalizePath("../etc/passwd"))).toBe("path-escapes");
    expect(codeOf(() => normalizePath("a/../../b"))).toBe("path-escapes");
    expect(codeOf(() => normalizePath("/workspace/../etc"))).toBe("path-escapes");
    expect(codeOf(() => normalizePath("/etc/passwd"))).toBe("path-outside");
    expect(codeOf(() => normalizePath("/workspacex/a"))).toBe("path-outside");
    expect(codeOf(() => normalizePath("a\0b"))).toBe("path-nul");
    expect(codeOf(() => normalizePath(""))).toBe("path-empty");
    expect(codeOf(() => normalizePath("/workspace/"))).toBe("path-empty");
    expect(codeOf(() => normalizePath("x".repeat(256)))).toBe("name-too-long");
    // 255 bytes is the limit in UTF-8 bytes: 128 two-byte letters are 256.
    expect(codeOf(() => normalizePath("é".repeat(128)))).toBe("name-too-long");
    expect(codeOf(() => normalizePath(Array(20).fill("d".repeat(250)).join("/")))).toBe("path-too-long");
  });

  it("accepts unicode names and the longest allowed name", () => {
    const ws = new Workspace();
    ws.writeFile("données/日本語 ✓.txt", "ok");
    ws.writeFile("x".repeat(255), "");
    expect(ws.readText("/workspace/données/日本語 ✓.txt")).toBe("ok");
    expect(ws.stat("x".repeat(255))).toMatchObject({ kind: "file", size: 0 });
  });

  it("names the path in the message", () => {
    expect(() => normalizePath("../secret")).toThrow(/climbs out of the workspace.*\.\.\/secret/);
  });
});

describe("workspace files and folders", () => {
  it("creates folders for a file and lists them", () => {
    const ws = new Workspace();
    ws.writeFile("a/b/c.txt", "hello", 1000);
    ws.writeFile("empty", new Uint8Array(0), 1000);
    expect(ws.list().map((r) => [r.path, r.kind, r.size])).toEqual([
      ["a", "dir", 0],
      ["a/b", "dir", 0],
      ["a/b/c.txt", "file", 5],
      ["empty", "file", 0],
    ]);
    expect(ws.list("a", { recursive: false }).map((r) => r.path)).toEqual(["a/b"]);
    expect(ws.usage()).toEqual({ bytes: 5, entries: 4 });
  });

  it("refuses a file where a folder is, and a folder under a file", () => {
    const ws = new Workspace();
    ws.writeFile("a/b.txt", "x");
    expect(codeOf(() => ws.writeFile("a", "x"))).toBe("is-directory");
    expect(codeOf(() => ws.writeFile("a/b.txt/c", "x"))).toBe("not-directory");
    expect(codeOf(() => ws.mkdir("a/b.txt/d"))).toBe("not-directory");
    expect(codeOf(() => ws.readFile("a"))).toBe("is-directory");
    expect(codeOf(() => ws.readFile("nope"))).toBe("not-found");
  });

  it("renames and removes folders with their content", () => {
    const ws = new Workspace();
    ws.writeFile("src/a.py", "1");
    ws.writeFile("src/lib/b.py", "22");
    ws.rename("src", "app/src");
    expect(ws.list().map((r) => r.path)).toEqual(["app", "app/src", "app/src/a.py", "app/src/lib", "app/src/lib/b.py"]);
    expect(codeOf(() => ws.rename("app", "app/src/inner"))).toBe("move-into-itself");
    expect(codeOf(() => ws.rename("app/src/a.py", "app/src/lib/b.py"))).toBe("exists");
    ws.remove("app/src");
    expect(ws.list().map((r) => r.path)).toEqual(["app"]);
    expect(ws.usage()).toEqual({ bytes: 0, entries: 1 });
  });

  it("keeps its bytes to itself: a caller's array changed later changes nothing", () => {
    const ws = new Workspace();
    const data = new Uint8Array([1, 2, 3]);
    ws.writeFile("f", data);
    data[0] = 9;
    ws.readFile("f")[1] = 9;
    expect([...ws.readFile("f")]).toEqual([1, 2, 3]);
  });
});

describe("workspace quota", () => {
  it("refuses a write beyond the byte quota and changes nothing", () => {
    const ws = new Workspace({ bytes: 10 });
    ws.writeFile("a", "12345");
    const error = (() => {
      try {
        ws.writeFile("dir/b", "123456");
      } catch (e) {
        return e as WorkspaceError;
      }
    })();
    expect(error?.code).toBe("quota-bytes");
    expect(error?.message).toMatch(/11 bytes of 10 allowed \(writing dir\/b\)/);
    expect(ws.list().map((r) => r.path)).toEqual(["a"]);
    // Replacing a file counts only the difference.
    ws.writeFile("a", "1234567890");
    expect(ws.usage().bytes).toBe(10);
  });

  it("refuses more files and folders than the entry limit", () => {
    const ws = new Workspace({ entries: 3 });
    ws.writeFile("a/b", "");
    expect(codeOf(() => ws.writeFile("c/d", ""))).toBe("quota-entries");
    ws.writeFile("c", "");
    expect(codeOf(() => ws.mkdir("e"))).toBe("quota-entries");
  });

  it("refuses to restore a snapshot larger than its quota", () => {
    const big = new Workspace();
    big.writeFile("f", "x".repeat(100));
    const small = new Workspace({ bytes: 50 });
    expect(codeOf(() => small.restore(big.snapshot()))).toBe("quota-bytes");
    expect(codeOf(() => new Workspace({ bytes: 50 }, big.snapshot()))).toBe("quota-bytes");
  });
});

describe("snapshots and rollback", () => {
  it("a snapshot does not see later changes, and restoring it rolls back", () => {
    const ws = new Workspace();
    ws.writeFile("keep.txt", "v1");
    ws.writeFile("gone.txt", "bye");
    const before = ws.snapshot();
    ws.writeFile("keep.txt", "v2");
    ws.remove("gone.txt");
    ws.writeFile("new/file.txt", "hi");
    expect(before.entries.get("keep.txt")).toMatchObject({ kind: "file" });
    expect(new TextDecoder().decode((before.entries.get("keep.txt") as { data: Uint8Array }).data)).toBe("v1");
    ws.restore(before);
    expect(ws.list().map((r) => r.path)).toEqual(["gone.txt", "keep.txt"]);
    expect(ws.readText("keep.txt")).toBe("v1");
    expect(ws.usage().bytes).toBe(5);
  });

  it("shares file bytes between snapshots instead of copying them", () => {
    const ws = new Workspace();
    ws.writeFile("big", new Uint8Array(1024));
    const a = ws.snapshot();
    const b = ws.snapshot();
    expect(a.entries.get("big")).toBe(b.entries.get("big"));
  });

  it("survives structured cloning (postMessage, IndexedDB)", () => {
    const ws = new Workspace();
    ws.writeFile("d/f.bin", new Uint8Array([0, 1, 2]));
    const copy = structuredClone(ws.snapshot());
    expect(new Workspace({}, copy).readFile("d/f.bin")).toEqual(new Uint8Array([0, 1, 2]));
  });
});

describe("diff", () => {
  it("lists added, modified and deleted entries with sizes and both texts", () => {
    const ws = new Workspace();
    ws.writeFile("same.txt", "same");
    ws.writeFile("edit.txt", "old line\n");
    ws.writeFile("old/gone.txt", "gone");
    const before = ws.snapshot();
    ws.writeFile("same.txt", "same", Date.now() + 5000); // a new time, not a change
    ws.writeFile("edit.txt", "new line\n");
    ws.remove("old");
    ws.writeFile("added.txt", "");
    const changes = diff(before, ws.snapshot());
    expect(changes.entries.map((e) => [e.path, e.change, e.kind])).toEqual([
      ["added.txt", "added", "file"],
      ["edit.txt", "modified", "file"],
      ["old", "deleted", "dir"],
      ["old/gone.txt", "deleted", "file"],
    ]);
    expect([changes.added, changes.modified, changes.deleted]).toEqual([1, 1, 2]);
    const edit = changes.entries[1]!;
    expect(edit).toMatchObject({ binary: false, before: { size: 9, text: "old line\n" }, after: { size: 9, text: "new line\n" } });
    expect(changes.entries[0]).toMatchObject({ after: { size: 0, text: "" } });
  });

  it("shows binary files by size and hash, not text", async () => {
    const ws = new Workspace();
    ws.writeFile("img.bin", new Uint8Array([0x89, 0x50, 0x00, 0x01]));
    ws.writeFile("latin1.txt", new Uint8Array([0x63, 0x61, 0x66, 0xe9])); // not UTF-8
    const before = ws.snapshot();
    ws.writeFile("img.bin", new Uint8Array([0x89, 0x50, 0x00, 0x02]));
    ws.writeFile("latin1.txt", "café");
    const changes = await hashDiff(diff(before, ws.snapshot()), before, ws.snapshot());
    const img = changes.entries.find((e) => e.path === "img.bin")!;
    expect(img.binary).toBe(true);
    expect(img.before?.text).toBeUndefined();
    expect(img.before?.sha256).toBe(await sha256(new Uint8Array([0x89, 0x50, 0x00, 0x01])));
    expect(img.after?.sha256).toBe(await sha256(new Uint8Array([0x89, 0x50, 0x00, 0x02])));
    expect(changes.entries.find((e) => e.path === "latin1.txt")!.binary).toBe(true);
  });

  it("finds a one-byte change in a large file, at any offset", () => {
    const ws = new Workspace();
    const data = new Uint8Array(3 * 1024 * 1024 + 3).fill(7);
    ws.writeFile("big", data);
    const before = ws.snapshot();
    for (const offset of [0, 1_000_001, data.length - 1]) {
      const edited = data.slice();
      edited[offset] = 8;
      ws.writeFile("big", edited);
      expect(diff(before, ws.snapshot()).entries.map((e) => e.change)).toEqual(["modified"]);
    }
    ws.writeFile("big", data.slice());
    expect(diff(before, ws.snapshot()).entries).toEqual([]);
  });

  it("reports a file that became a folder as a deletion and an addition", () => {
    const ws = new Workspace();
    ws.writeFile("x", "file");
    const before = ws.snapshot();
    ws.remove("x");
    ws.writeFile("x/y", "inside");
    expect(diff(before, ws.snapshot()).entries.map((e) => [e.path, e.change, e.kind])).toEqual([
      ["x", "deleted", "file"],
      ["x", "added", "dir"],
      ["x/y", "added", "file"],
    ]);
  });
});
