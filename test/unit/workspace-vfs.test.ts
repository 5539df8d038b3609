import { describe, expect, it } from "vitest";
import { FsError, mkdirp, VirtualFs, writeFile, type FileNode } from "../../wasm-runtime/vfs/index.ts";
import { grantMounts, mountPath, readFromVfs, removeTree, Workspace, WorkspaceError, writeIntoVfs } from "../../wasm-runtime/workspace/index.ts";
import { DEFAULT_POLICY, compilePolicy } from "../../wasm-runtime/policy/index.ts";

function workspace(): Workspace {
  const ws = new Workspace();
  ws.writeFile("src/main.py", "print(1)\n", 1_700_000_000_000);
  ws.writeFile("empty.txt", "", 1_700_000_000_000);
  ws.mkdir("out", 1_700_000_000_000);
  return ws;
}

describe("workspace ↔ gated VFS", () => {
  it("writes a snapshot into the VFS and reads the same snapshot back", () => {
    const fs = new VirtualFs();
    const ws = workspace();
    writeIntoVfs(fs, "/workspace", ws.snapshot());
    expect(fs.lookup("/workspace/src/main.py").mtim).toBe(1_700_000_000_000n * 1_000_000n);
    const { snapshot, skipped } = readFromVfs(fs, "/workspace");
    expect(skipped).toEqual([]);
    expect(new Workspace({}, snapshot).list()).toEqual(ws.list());
  });

  it("replaces what was there before", () => {
    const fs = new VirtualFs();
    writeFile(fs, "/workspace/stale/old.txt", "old");
    writeIntoVfs(fs, "/workspace", workspace().snapshot());
    expect(fs.locate("/workspace/stale").node).toBeUndefined();
  });

  it("keeps the previous snapshot's bytes for unchanged files, so a diff is an identity check", () => {
    const fs = new VirtualFs();
    const before = workspace().snapshot();
    writeIntoVfs(fs, "/workspace", before);
    writeFile(fs, "/workspace/src/new.py", "x");
    const { snapshot } = readFromVfs(fs, "/workspace", before);
    expect(snapshot.entries.get("src/main.py")).toBe(before.entries.get("src/main.py"));
    expect(snapshot.entries.get("src/new.py")).toMatchObject({ kind: "file", data: new TextEncoder().encode("x") });
    expect(snapshot.bytes).toBe(before.bytes + 1);
  });

  it("leaves out symlinks the guest made, and says which", () => {
    const fs = new VirtualFs();
    writeIntoVfs(fs, "/workspace", workspace().snapshot());
    fs.symlink("/etc/passwd", fs.locate("/workspace/link"));
    expect(readFromVfs(fs, "/workspace").skipped).toEqual(["link"]);
  });

  it("a symlink loop in the VFS is ELOOP, and reading the tree back does not follow it", () => {
    const fs = new VirtualFs();
    mkdirp(fs, "/workspace");
    fs.symlink("b", fs.locate("/workspace/a"));
    fs.symlink("a", fs.locate("/workspace/b"));
    expect(() => fs.lookup("/workspace/a/x")).toThrow(FsError);
    expect(fs.locate("/workspace/a").error).toBe("ELOOP");
    expect(readFromVfs(fs, "/workspace").skipped.sort()).toEqual(["a", "b"]);
  });

  it("removeTree clears a read-only mount", () => {
    const fs = new VirtualFs();
    writeFile(fs, "/data/x.csv", "a,b");
    fs.setReadOnly("/data");
    removeTree(fs, "/data");
    expect(fs.locate("/data").node).toBeUndefined();
  });

  it("a read-only mount refuses writes with EROFS", () => {
    const fs = new VirtualFs();
    const data = new Workspace();
    data.writeFile("iris.csv", "a,b\n");
    writeIntoVfs(fs, "/data", data.snapshot());
    fs.setReadOnly("/data");
    const file = fs.lookup("/data/iris.csv") as FileNode;
    expect(() => fs.open(file, true)).toThrow(expect.objectContaining({ code: "EROFS" }));
    expect(() => fs.createFile(fs.locate("/data/new.csv"))).toThrow(expect.objectContaining({ code: "EROFS" }));
  });
});

describe("mounts", () => {
  it("canonicalises mount points and refuses bad ones", () => {
    expect(mountPath("/data/")).toBe("/data");
    expect(mountPath("/workspace//data")).toBe("/workspace/data");
    expect(mountPath("/")).toBe("/"); // a raw module's whole filesystem (the CLI's --mount HOSTDIR:/)
    for (const bad of ["data", "/workspace", "/a/../b", "/playpen/x", "/host", "/da*ta"]) {
      expect(() => mountPath(bad), bad).toThrow(WorkspaceError);
    }
  });

  it("grants read on a read-only mount and write on a writable one, whatever else the policy says", () => {
    const files = new Workspace().snapshot();
    const policy = grantMounts(DEFAULT_POLICY, [
      { path: "/data", files, readOnly: true },
      { path: "/scratch", files, readOnly: false },
    ]);
    const decide = (path: string, access: "read" | "write") => compilePolicy(policy).decide({ capability: "file", path, access }).decision;
    expect(compilePolicy(DEFAULT_POLICY).decide({ capability: "file", path: "/data/x", access: "read" }).decision).not.toBe("allow");
    expect([decide("/data", "read"), decide("/data/x.csv", "read"), decide("/data/x.csv", "write")]).toEqual(["allow", "allow", "deny"]);
    expect([decide("/scratch/a", "read"), decide("/scratch/a", "write")]).toEqual(["allow", "allow"]);
  });
});
