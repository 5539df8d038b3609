import { describe, expect, it } from "vitest";
import type { RunResult } from "../../wasm-runtime/index.ts";
import { Workspace } from "../../wasm-runtime/workspace/index.ts";
import { formatBytes } from "../../web/workspace/format.ts";
import { listingOf } from "../../web/workspace/listing.ts";
import { checkEntryName, childPath } from "../../web/workspace/names.ts";
import { savePlan } from "../../web/workspace/persist.ts";
import { quotaHit, reviewOf, summary } from "../../web/workspace/review.ts";
import { treeRows } from "../../web/workspace/tree.ts";

function result(over: Partial<RunResult>): RunResult {
  return { exitCode: 0, reason: "exited", stdout: "", stderr: "", stdoutTruncated: false, stderrTruncated: false, durationMs: 1, ...over };
}

describe("names typed in the file tree", () => {
  it("takes one component: unicode, spaces and dots inside are fine", () => {
    expect(checkEntryName("  données é 🐍.txt ")).toEqual({ ok: true, name: "données é 🐍.txt" });
    expect(checkEntryName(".env")).toEqual({ ok: true, name: ".env" });
  });

  it.each([
    ["", "a name is needed"],
    ["a/b", 'may not contain "/"'],
    ["..\\x", 'may not contain "/"'],
    ["..", "is not a name"],
    [".", "is not a name"],
    ["a\0b", "NUL"],
    ["x".repeat(256), "at most 255 bytes"],
    ["é".repeat(128), "this one has 256"],
  ])("refuses %j with a specific message", (input, message) => {
    const checked = checkEntryName(input);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.message).toContain(message);
  });

  it("accepts exactly 255 bytes", () => {
    expect(checkEntryName("x".repeat(255)).ok).toBe(true);
  });

  it("places a child in a folder or at the top", () => {
    expect(childPath("", "a")).toBe("a");
    expect(childPath("src/lib", "a")).toBe("src/lib/a");
  });
});

describe("tree rows", () => {
  const ws = new Workspace();
  ws.writeFile("b.txt", "b");
  ws.writeFile("a10.txt", "a10");
  ws.writeFile("a9.txt", "a9");
  ws.writeFile("src/main.py", "print(1)");
  ws.writeFile("src/lib/util.py", "");
  ws.mkdir("empty");

  it("shows folders first, then files in natural order; a closed folder hides its content", () => {
    expect(treeRows(listingOf(ws.snapshot()), new Set()).map((r) => r.path)).toEqual(["empty", "src", "a9.txt", "a10.txt", "b.txt"]);
  });

  it("shows an expanded folder's content indented below it", () => {
    const rows = treeRows(listingOf(ws.snapshot()), new Set(["src", "src/lib"]));
    expect(rows.map((r) => [r.path, r.depth])).toEqual([
      ["empty", 0],
      ["src", 0],
      ["src/lib", 1],
      ["src/lib/util.py", 2],
      ["src/main.py", 1],
      ["a9.txt", 0],
      ["a10.txt", 0],
      ["b.txt", 0],
    ]);
    expect(rows.find((r) => r.path === "src/main.py")!.size).toBe(8);
    expect(rows.find((r) => r.path === "src")!.size).toBe(2);
  });
});

describe("what a save writes", () => {
  it("puts only new or changed entries and removes only deleted paths", () => {
    const ws = new Workspace();
    ws.writeFile("keep.txt", "k");
    ws.writeFile("edit.txt", "1");
    ws.writeFile("gone/x.txt", "x");
    const before = ws.snapshot();
    ws.writeFile("edit.txt", "2");
    ws.remove("gone");
    ws.writeFile("new/y.txt", "y");
    const plan = savePlan(before, ws.snapshot());
    expect(plan.put.map(([p]) => p).sort()).toEqual(["edit.txt", "new", "new/y.txt"]);
    expect([...plan.remove].sort()).toEqual(["gone", "gone/x.txt"]);
  });

  it("writes nothing for a state restored from the same snapshot (an accepted run's untouched files)", () => {
    const ws = new Workspace();
    ws.writeFile("a.txt", "a");
    const before = ws.snapshot();
    ws.restore(before);
    expect(savePlan(before, ws.snapshot())).toEqual({ put: [], remove: [] });
  });
});

describe("review of a run", () => {
  const ws = new Workspace();
  ws.writeFile("a.txt", "one\n");
  ws.writeFile("b.bin", new Uint8Array([0, 1, 2]));
  const before = ws.snapshot();

  it("lists what the guest added, modified and deleted", () => {
    const after = new Workspace({}, before);
    after.writeFile("a.txt", "two\n");
    after.remove("b.bin");
    after.writeFile("c.txt", "");
    const review = reviewOf(before, result({ workspace: after.snapshot() }));
    expect(review.kind).toBe("changes");
    if (review.kind !== "changes") return;
    expect(summary(review.diff)).toBe("1 added, 1 modified, 1 deleted");
    expect(review.diff.entries.map((e) => [e.path, e.change])).toEqual([
      ["a.txt", "modified"],
      ["b.bin", "deleted"],
      ["c.txt", "added"],
    ]);
    expect(review.diff.entries[0]!.before?.text).toBe("one\n");
    expect(review.diff.entries[1]!.binary).toBe(true);
  });

  it("says nothing changed when the run handed no files back (stopped, timed out, crashed)", () => {
    for (const reason of ["stopped", "timeout", "error"] as const) {
      const review = reviewOf(before, result({ reason, exitCode: 1 }));
      expect(review).toEqual({ kind: "unchanged", why: `the run ended (${reason}) without handing files back` });
    }
  });

  it("says nothing changed when the files came back the same", () => {
    expect(reviewOf(before, result({ workspace: before }))).toEqual({ kind: "unchanged", why: "the run changed no files" });
  });

  it("recognises a quota hit on either engine and nothing else", () => {
    expect(quotaHit(result({ stderr: "OSError: [Errno 28] No space left on device" }))).toBe(true);
    expect(quotaHit(result({ reason: "error", error: "workspace quota exceeded: the run left 5 bytes" }))).toBe(true);
    expect(quotaHit(result({ stderr: "PermissionError: [Errno 2] denied" }))).toBe(false);
  });
});

describe("sizes", () => {
  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1536, "1.5 KiB"],
    [64 * 1024 * 1024, "64 MiB"],
    [100 * 1024 * 1024 + 1, "100 MiB"],
  ])("%d bytes → %s", (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
