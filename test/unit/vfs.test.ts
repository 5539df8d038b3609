import { describe, expect, it } from "vitest";
import {
  FsError,
  fromSnapshot,
  linkCount,
  mkdirp,
  populate,
  readFile,
  snapshot,
  VirtualFs,
  writeFile,
  type DirNode,
  type FileNode,
  type FsErrorCode,
} from "../../wasm-runtime/vfs/index.ts";

const text = new TextEncoder();
const bytes = (s: string) => text.encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

/** A VFS with a fixed clock, so timestamps are predictable. */
function fixture(files: Record<string, string> = {}): { fs: VirtualFs; tick: (ns: bigint) => void } {
  let now = 1_000n;
  const fs = new VirtualFs({ now: () => now });
  mkdirp(fs, "/workspace");
  mkdirp(fs, "/etc");
  populate(fs, files);
  return { fs, tick: (ns) => (now = ns) };
}

function codeOf(run: () => unknown): FsErrorCode | "ok" {
  try {
    run();
    return "ok";
  } catch (error) {
    if (error instanceof FsError) return error.code;
    throw error;
  }
}

function file(fs: VirtualFs, path: string): FileNode {
  const node = fs.lookup(path);
  if (node.kind !== "file") throw new Error(`${path} is a ${node.kind}`);
  return node;
}

function dir(fs: VirtualFs, path: string): DirNode {
  const node = fs.lookup(path);
  if (node.kind !== "dir") throw new Error(`${path} is a ${node.kind}`);
  return node;
}

const names = (fs: VirtualFs, path: string) => [...fs.readdir(dir(fs, path))].map((e) => e.name);

describe("path resolution", () => {
  it("normalises `.`, `..` and repeated slashes, and never climbs above the root", () => {
    const { fs } = fixture({ "a.txt": "A" });
    expect(fs.locate("/workspace/./a.txt").path).toBe("/workspace/a.txt");
    expect(fs.locate("//workspace//a.txt").node).toBe(fs.lookup("/workspace/a.txt"));
    expect(fs.locate("/../../workspace/../workspace/a.txt").path).toBe("/workspace/a.txt");
    expect(fs.locate("/..").node).toBe(fs.root);
    expect(fs.locate("/workspace/..").path).toBe("/");
  });

  it("resolves relative paths from a directory", () => {
    const { fs } = fixture({ "a.txt": "A" });
    const workspace = dir(fs, "/workspace");
    expect(fs.locate("a.txt", { from: workspace }).path).toBe("/workspace/a.txt");
    expect(fs.locate("../etc/passwd", { from: workspace }).path).toBe("/etc/passwd");
    expect(fs.locate("", { from: workspace }).error).toBe("ENOENT");
  });

  it("follows symlinks to their real target, relative and absolute, through directories too", () => {
    const { fs } = fixture({ "secret.txt": "S", "/etc/passwd": "root" });
    fs.symlink("/etc/passwd", fs.locate("/workspace/out"));
    fs.symlink("secret.txt", fs.locate("/workspace/rel"));
    fs.symlink("../etc", fs.locate("/workspace/etcdir"));
    fs.symlink("rel", fs.locate("/workspace/chain"));
    expect(fs.locate("/workspace/out").path).toBe("/etc/passwd");
    expect(fs.locate("/workspace/rel").path).toBe("/workspace/secret.txt");
    expect(fs.locate("/workspace/etcdir/passwd").path).toBe("/etc/passwd");
    expect(fs.locate("/workspace/chain").node).toBe(fs.lookup("/workspace/secret.txt"));
    // `..` after a symlinked directory climbs from the real directory, as POSIX does.
    expect(fs.locate("/workspace/etcdir/../workspace/secret.txt").path).toBe("/workspace/secret.txt");
  });

  it("does not follow a final symlink when asked not to, but always follows one before a trailing slash", () => {
    const { fs } = fixture();
    fs.symlink("/etc", fs.locate("/workspace/l"));
    const link = fs.locate("/workspace/l", { follow: false });
    expect(link.node?.kind).toBe("symlink");
    expect(link.path).toBe("/workspace/l");
    expect(fs.locate("/workspace/l/", { follow: false }).node).toBe(fs.lookup("/etc"));
  });

  it("reports ELOOP for symlink cycles and chains longer than 40", () => {
    const { fs } = fixture();
    fs.symlink("b", fs.locate("/workspace/a"));
    fs.symlink("a", fs.locate("/workspace/b"));
    expect(fs.locate("/workspace/a").error).toBe("ELOOP");
    for (let i = 0; i < 41; i++) fs.symlink(`l${i + 1}`, fs.locate(`/workspace/l${i}`));
    mkdirp(fs, "/workspace/l41");
    expect(fs.locate("/workspace/l1").error).toBeUndefined();
    expect(fs.locate("/workspace/l0").error).toBe("ELOOP");
  });

  it("says where a failed walk would have led, so the caller can check it before revealing anything", () => {
    const { fs } = fixture({ "a.txt": "A" });
    expect(fs.locate("/nope/x/../y")).toMatchObject({ error: "ENOENT", path: "/nope/y", node: undefined });
    expect(fs.locate("/workspace/a.txt/x")).toMatchObject({ error: "ENOTDIR", path: "/workspace/a.txt/x" });
    expect(fs.locate("/workspace/a.txt/")).toMatchObject({ error: "ENOTDIR" });
    expect(fs.locate("/workspace/new.txt")).toMatchObject({ error: undefined, node: undefined, name: "new.txt" });
  });

  it("limits a component to 255 UTF-8 bytes and a path to 4096", () => {
    const { fs } = fixture();
    expect(codeOf(() => fs.createFile(fs.locate(`/workspace/${"a".repeat(255)}`)))).toBe("ok");
    expect(fs.locate(`/workspace/${"a".repeat(256)}`).error).toBe("ENAMETOOLONG");
    // 128 two-byte characters: 128 UTF-16 units but 256 bytes.
    expect(fs.locate(`/workspace/${"é".repeat(128)}`).error).toBe("ENAMETOOLONG");
    expect(fs.locate(`/workspace/${"é".repeat(127)}`).error).toBeUndefined();
    expect(fs.locate(`/${"d/".repeat(2048)}x`).error).toBe("ENAMETOOLONG");
  });
});

describe("names: create, unlink, rmdir, rename", () => {
  it("creates files, directories and symlinks once", () => {
    const { fs } = fixture();
    fs.mkdir(fs.locate("/workspace/d"));
    expect(codeOf(() => fs.mkdir(fs.locate("/workspace/d")))).toBe("EEXIST");
    expect(codeOf(() => fs.createFile(fs.locate("/workspace/d")))).toBe("EEXIST");
    expect(codeOf(() => fs.mkdir(fs.locate("/workspace/missing/d")))).toBe("ENOENT");
    fs.symlink("nowhere", fs.locate("/workspace/s"));
    expect(fs.readlink(fs.locate("/workspace/s", { follow: false }))).toBe("nowhere");
    expect(codeOf(() => fs.readlink(fs.locate("/workspace/d")))).toBe("EINVAL");
    // Creating through a dangling symlink creates its target.
    fs.createFile(fs.locate("/workspace/s"));
    expect(fs.lookup("/workspace/nowhere").kind).toBe("file");
  });

  it("unlinks files and symlinks but not directories", () => {
    const { fs } = fixture({ "a.txt": "A" });
    fs.symlink("a.txt", fs.locate("/workspace/l"));
    fs.unlink(fs.locate("/workspace/l", { follow: false }));
    expect(fs.lookup("/workspace/a.txt").kind).toBe("file");
    fs.unlink(fs.locate("/workspace/a.txt"));
    expect(codeOf(() => fs.unlink(fs.locate("/workspace/a.txt")))).toBe("ENOENT");
    expect(codeOf(() => fs.unlink(fs.locate("/workspace")))).toBe("EISDIR");
  });

  it("removes only empty directories, never the root", () => {
    const { fs } = fixture({ "d/a.txt": "A" });
    expect(codeOf(() => fs.rmdir(fs.locate("/workspace/d")))).toBe("ENOTEMPTY");
    expect(codeOf(() => fs.rmdir(fs.locate("/workspace/d/a.txt")))).toBe("ENOTDIR");
    expect(codeOf(() => fs.rmdir(fs.locate("/")))).toBe("EBUSY");
    fs.unlink(fs.locate("/workspace/d/a.txt"));
    // As on Linux: `d/.` is an invalid argument, `d/..` names a directory that holds d.
    expect(codeOf(() => fs.rmdir(fs.locate("/workspace/d/.")))).toBe("EINVAL");
    expect(codeOf(() => fs.rmdir(fs.locate("/workspace/d/..")))).toBe("ENOTEMPTY");
    expect(codeOf(() => fs.rename(fs.locate("/workspace/d/."), fs.locate("/workspace/e")))).toBe("EBUSY");
    expect(codeOf(() => fs.mkdir(fs.locate("/workspace/missing/.")))).toBe("ENOENT");
    fs.rmdir(fs.locate("/workspace/d/"));
    expect(fs.locate("/workspace/d").node).toBeUndefined();
  });

  it("renames following POSIX replace rules", () => {
    const { fs } = fixture({ "a.txt": "A", "b.txt": "B", "full/x": "X", "src/inner.txt": "I" });
    mkdirp(fs, "/workspace/empty");
    const rename = (from: string, to: string) =>
      codeOf(() => fs.rename(fs.locate(from, { follow: false }), fs.locate(to, { follow: false })));
    expect(rename("/workspace/a.txt", "/workspace/b.txt")).toBe("ok");
    expect(str(readFile(fs, "/workspace/b.txt"))).toBe("A");
    expect(rename("/workspace/b.txt", "/workspace/empty")).toBe("EISDIR");
    expect(rename("/workspace/src", "/workspace/b.txt")).toBe("ENOTDIR");
    expect(rename("/workspace/src", "/workspace/full")).toBe("ENOTEMPTY");
    expect(rename("/workspace/src", "/workspace/src/inner")).toBe("EINVAL");
    expect(rename("/workspace/missing", "/workspace/x")).toBe("ENOENT");
    expect(rename("/workspace/b.txt", "/workspace/b.txt")).toBe("ok");
    expect(rename("/workspace/src", "/workspace/empty")).toBe("ok");
    expect(str(readFile(fs, "/workspace/empty/inner.txt"))).toBe("I");
    expect(fs.pathOf(fs.lookup("/workspace/empty/inner.txt"))).toBe("/workspace/empty/inner.txt");
    expect(rename("/", "/workspace/root")).toBe("EBUSY");
    expect(names(fs, "/workspace")).toEqual([".", "..", "full", "b.txt", "empty"]);
  });

  it("stamps times: content changes the file, entry changes the directory", () => {
    const { fs, tick } = fixture({ "a.txt": "A" });
    tick(5_000n);
    fs.write(file(fs, "/workspace/a.txt"), bytes("more"), 1);
    expect(file(fs, "/workspace/a.txt")).toMatchObject({ mtim: 5_000n, ctim: 5_000n, atim: 1_000n });
    expect(fs.lookup("/workspace").mtim).toBe(1_000n);
    tick(6_000n);
    fs.mkdir(fs.locate("/workspace/d"));
    expect(fs.lookup("/workspace")).toMatchObject({ mtim: 6_000n, ctim: 6_000n });
    fs.setTimes(fs.lookup("/workspace/d"), 7n, undefined);
    expect(fs.lookup("/workspace/d")).toMatchObject({ atim: 7n, mtim: 6_000n });
  });
});

describe("listing", () => {
  it("lists `.`, `..` and entries in creation order, with cookies that survive removals", () => {
    const { fs } = fixture({ a: "", b: "", c: "", d: "" });
    const workspace = dir(fs, "/workspace");
    const first = [...fs.readdir(workspace)].slice(0, 4);
    expect(first.map((e) => e.name)).toEqual([".", "..", "a", "b"]);
    expect(first[1]!.node).toBe(fs.root);
    // Remove what was already listed and what comes next, then continue from the cookie.
    fs.unlink(fs.locate("/workspace/a"));
    fs.unlink(fs.locate("/workspace/c"));
    fs.createFile(fs.locate("/workspace/e"));
    expect([...fs.readdir(workspace, first[3]!.next)].map((e) => e.name)).toEqual(["d", "e"]);
  });
});

describe("file content", () => {
  it("reads and writes at offsets, zero-filling gaps and truncation", () => {
    const { fs } = fixture({ "f.bin": "hello" });
    const f = file(fs, "/workspace/f.bin");
    fs.write(f, bytes("!"), 8);
    expect([...readFile(fs, "/workspace/f.bin")]).toEqual([...bytes("hello"), 0, 0, 0, 33]);
    fs.truncate(f, 2);
    fs.truncate(f, 4);
    expect([...readFile(fs, "/workspace/f.bin")]).toEqual([104, 101, 0, 0]);
    const into = new Uint8Array(10);
    expect(fs.read(f, into, 1)).toBe(3);
    expect(fs.read(f, into, 4)).toBe(0);
    expect(fs.read(f, into, 100)).toBe(0);
  });

  it("grows capacity geometrically and gives memory back after a large shrink", () => {
    const { fs } = fixture({ "f.bin": "" });
    const f = file(fs, "/workspace/f.bin");
    for (let i = 0; i < 1000; i++) fs.write(f, bytes("0123456789"), f.size);
    expect(f.size).toBe(10_000);
    expect(f.data.length).toBeLessThan(20_000);
    fs.truncate(f, 0);
    expect(f.data.length).toBeLessThan(100);
  });

  it("frees an unlinked file's content when its last handle closes", () => {
    const { fs } = fixture({ "f.txt": "still here" });
    const f = file(fs, "/workspace/f.txt");
    fs.open(f, false);
    fs.unlink(fs.locate("/workspace/f.txt"));
    expect(f.size).toBe(10);
    fs.close(f);
    expect(f.size).toBe(0);
  });
});

describe("quotas", () => {
  it("refuses writes beyond the quota with ENOSPC, writing nothing", () => {
    const { fs } = fixture({ "a.txt": "12345" });
    fs.setQuota("/workspace", 10);
    expect(fs.quotaAt("/workspace")).toEqual({ limit: 10, used: 5, peak: 5 });
    const a = file(fs, "/workspace/a.txt");
    expect(codeOf(() => fs.write(a, bytes("abcdef"), 5))).toBe("ENOSPC");
    expect(a.size).toBe(5);
    fs.write(a, bytes("abcde"), 5);
    expect(codeOf(() => writeFile(fs, "/workspace/b.txt", "x"))).toBe("ENOSPC");
    // Overwriting in place costs nothing; files outside the subtree are not counted.
    fs.write(a, bytes("ZZ"), 0);
    writeFile(fs, "/etc/big", "x".repeat(100));
    expect(fs.quotaAt("/workspace")).toEqual({ limit: 10, used: 10, peak: 10 });
  });

  it("returns space on truncate and unlink, but only when the last handle closes", () => {
    const { fs } = fixture({ "a.txt": "1234567890" });
    fs.setQuota("/workspace", 10);
    const a = file(fs, "/workspace/a.txt");
    fs.truncate(a, 4);
    expect(fs.quotaAt("/workspace")!.used).toBe(4);
    fs.open(a, true);
    fs.unlink(fs.locate("/workspace/a.txt"));
    // Still open: writing to it still counts, so unlinking cannot dodge the quota.
    expect(codeOf(() => fs.write(a, bytes("x".repeat(7)), 4))).toBe("ENOSPC");
    expect(fs.quotaAt("/workspace")!.used).toBe(4);
    fs.close(a);
    expect(fs.quotaAt("/workspace")!.used).toBe(0);
  });

  it("moves charges with renames across the boundary, refusing a move that does not fit", () => {
    const { fs } = fixture({ "/tmp/small": "123", "/tmp/big/a": "1234567890", "/tmp/big/b": "1" });
    fs.setQuota("/workspace", 10);
    const move = (from: string, to: string) => codeOf(() => fs.rename(fs.locate(from), fs.locate(to)));
    expect(move("/tmp/big", "/workspace/big")).toBe("ENOSPC");
    expect(fs.lookup("/tmp/big/a").kind).toBe("file");
    expect(move("/tmp/small", "/workspace/small")).toBe("ok");
    expect(fs.quotaAt("/workspace")!.used).toBe(3);
    expect(move("/workspace/small", "/tmp/small")).toBe("ok");
    expect(fs.quotaAt("/workspace")!.used).toBe(0);
  });

  it("nests: content counts toward its quota and every enclosing one", () => {
    const { fs } = fixture({ "inner/a": "12345" });
    fs.setQuota("/", 100);
    fs.setQuota("/workspace/inner", 6);
    fs.setQuota("/workspace", 8);
    expect(fs.quotaAt("/")!.used).toBe(5);
    expect(fs.quotaAt("/workspace")!.used).toBe(5);
    const a = file(fs, "/workspace/inner/a");
    expect(codeOf(() => fs.write(a, bytes("xx"), 5))).toBe("ENOSPC");
    writeFile(fs, "/workspace/b", "123");
    expect(codeOf(() => fs.write(a, bytes("x"), 5))).toBe("ENOSPC");
    expect(fs.quotaAt("/")!.used).toBe(8);
  });

  it("cannot be moved or removed, like a mount point", () => {
    const { fs } = fixture();
    mkdirp(fs, "/workspace/q");
    fs.setQuota("/workspace/q", 1);
    expect(codeOf(() => fs.rename(fs.locate("/workspace/q"), fs.locate("/workspace/r")))).toBe("EBUSY");
    expect(codeOf(() => fs.rmdir(fs.locate("/workspace/q")))).toBe("EBUSY");
  });
});

describe("read-only mounts", () => {
  it("refuse every change below them with EROFS, and allow reading", () => {
    const { fs } = fixture({ "/playpen/python/site.py": "x = 1", "/playpen/lib/a": "A" });
    fs.setReadOnly("/playpen");
    const site = file(fs, "/playpen/python/site.py");
    expect(codeOf(() => fs.createFile(fs.locate("/playpen/new")))).toBe("EROFS");
    expect(codeOf(() => fs.mkdir(fs.locate("/playpen/python/d")))).toBe("EROFS");
    expect(codeOf(() => fs.open(site, true))).toBe("EROFS");
    expect(codeOf(() => fs.unlink(fs.locate("/playpen/python/site.py")))).toBe("EROFS");
    expect(codeOf(() => fs.rename(fs.locate("/playpen/lib/a"), fs.locate("/workspace/a")))).toBe("EROFS");
    expect(codeOf(() => fs.rename(fs.locate("/workspace"), fs.locate("/playpen/w")))).toBe("EROFS");
    expect(codeOf(() => fs.setTimes(site, 1n, 1n))).toBe("EROFS");
    expect(codeOf(() => fs.symlink("x", fs.locate("/playpen/l")))).toBe("EROFS");
    expect(codeOf(() => writeFile(fs, "/playpen/python/site.py", "hacked"))).toBe("EROFS");
    expect(codeOf(() => fs.rmdir(fs.locate("/playpen")))).toBe("EBUSY");
    expect(codeOf(() => fs.open(site, false))).toBe("ok");
    expect(str(readFile(fs, "/playpen/python/site.py"))).toBe("x = 1");
    fs.setReadOnly("/playpen", false);
    expect(codeOf(() => writeFile(fs, "/playpen/python/site.py", "x = 2"))).toBe("ok");
  });
});

describe("hard links", () => {
  it("give a file another name: shared content and link count, listed under each name, charged once to the quota", () => {
    const { fs } = fixture({ "a.txt": "AAAA", "d/x": "" });
    fs.setQuota("/workspace", 10);
    fs.link(fs.locate("/workspace/a.txt"), fs.locate("/workspace/d/b.txt"));
    fs.link(fs.locate("/workspace/a.txt"), fs.locate("/workspace/c.txt"));
    expect(file(fs, "/workspace/d/b.txt")).toBe(file(fs, "/workspace/a.txt"));
    expect(linkCount(file(fs, "/workspace/a.txt"))).toBe(3);
    expect(names(fs, "/workspace/d")).toEqual([".", "..", "x", "b.txt"]);
    expect(fs.quotaAt("/workspace")?.used).toBe(4);
    // Removing names one by one: another becomes the file's path; the content goes with the last.
    fs.unlink(fs.locate("/workspace/a.txt"));
    expect(fs.pathOf(file(fs, "/workspace/c.txt"))).toBe("/workspace/d/b.txt");
    fs.unlink(fs.locate("/workspace/d/b.txt"));
    expect(fs.quotaAt("/workspace")?.used).toBe(4);
    fs.unlink(fs.locate("/workspace/c.txt"));
    expect(fs.quotaAt("/workspace")?.used).toBe(0);
  });

  it("refuse folders (EPERM), existing names (EEXIST), and crossing a mount (EXDEV) — by link or by renaming a linked file", () => {
    const { fs } = fixture({ "a.txt": "A", "q/r": "" });
    populate(fs, { "/mnt/m.txt": "M" });
    fs.setReadOnly("/mnt");
    fs.setQuota("/workspace/q", 100);
    const link = (from: string, to: string) => codeOf(() => fs.link(fs.locate(from, { follow: false }), fs.locate(to, { follow: false })));
    expect(link("/workspace/q", "/workspace/q2")).toBe("EPERM");
    expect(link("/workspace/a.txt", "/workspace/q/r")).toBe("EEXIST");
    expect(link("/mnt/m.txt", "/workspace/m.txt")).toBe("EXDEV");
    expect(link("/workspace/a.txt", "/mnt/a.txt")).toBe("EROFS");
    expect(link("/workspace/a.txt", "/workspace/q/a.txt")).toBe("EXDEV");
    expect(link("/workspace/a.txt", "/workspace/b.txt")).toBe("ok");
    expect(codeOf(() => fs.rename(fs.locate("/workspace/b.txt"), fs.locate("/workspace/q/b.txt")))).toBe("EXDEV");
    // Renaming one name onto another name of the same file does nothing, as POSIX says.
    expect(codeOf(() => fs.rename(fs.locate("/workspace/b.txt"), fs.locate("/workspace/a.txt")))).toBe("ok");
    expect(linkCount(file(fs, "/workspace/a.txt"))).toBe(2);
  });

  it("survive a snapshot: the names are one file again after restoring", () => {
    const { fs } = fixture({ "a.txt": "A" });
    fs.setQuota("/workspace", 100);
    fs.link(fs.locate("/workspace/a.txt"), fs.locate("/workspace/b.txt"));
    const copy = fromSnapshot(structuredClone(snapshot(fs)));
    writeFile(copy, "/workspace/b.txt", "BB");
    expect(str(readFile(copy, "/workspace/a.txt"))).toBe("BB");
    expect(linkCount(file(copy, "/workspace/a.txt"))).toBe(2);
    expect(copy.quotaAt("/workspace")?.used).toBe(2);
  });
});

describe("snapshots", () => {
  it("round-trip through structured cloning: tree, contents, links, times, inodes, mounts", () => {
    const { fs, tick } = fixture({ "a.txt": "A", "d/b.bin": "BB", "/playpen/p.py": "p" });
    tick(42n);
    fs.symlink("../a.txt", fs.locate("/workspace/d/link"));
    fs.setReadOnly("/playpen");
    fs.setQuota("/workspace", 100);
    const copy = fromSnapshot(structuredClone(snapshot(fs)));

    expect(str(readFile(copy, "/workspace/d/link"))).toBe("A");
    expect(str(readFile(copy, "/workspace/d/b.bin"))).toBe("BB");
    for (const path of ["/workspace/a.txt", "/workspace/d", "/workspace/d/link"]) {
      const [before, after] = [fs.lookup(path, { follow: false }), copy.lookup(path, { follow: false })];
      expect({ ino: after.ino, atim: after.atim, mtim: after.mtim, ctim: after.ctim, kind: after.kind }).toEqual({
        ino: before.ino,
        atim: before.atim,
        mtim: before.mtim,
        ctim: before.ctim,
        kind: before.kind,
      });
    }
    expect(names(copy, "/workspace")).toEqual(names(fs, "/workspace"));
    expect(copy.quotaAt("/workspace")).toEqual({ limit: 100, used: 3, peak: 3 });
    expect(codeOf(() => writeFile(copy, "/playpen/p.py", "x"))).toBe("EROFS");

    // The copy is independent, and new inodes do not collide with restored ones.
    writeFile(copy, "/workspace/a.txt", "changed");
    expect(str(readFile(fs, "/workspace/a.txt"))).toBe("A");
    const created = copy.createFile(copy.locate("/workspace/new"));
    expect(created.ino).toBe(fs.nextIno);
  });
});

describe("populate", () => {
  it("puts relative paths in /workspace and absolute ones where they say, creating parents", () => {
    const fs = new VirtualFs();
    populate(fs, { "src/main.py": "print(1)", "/etc/config": Uint8Array.of(1, 2, 3) });
    expect(str(readFile(fs, "/workspace/src/main.py"))).toBe("print(1)");
    expect([...readFile(fs, "/etc/config")]).toEqual([1, 2, 3]);
    writeFile(fs, "/workspace/src/main.py", "print(2)");
    expect(str(readFile(fs, "/workspace/src/main.py"))).toBe("print(2)");
    expect(codeOf(() => readFile(fs, "/workspace/src"))).toBe("EISDIR");
    expect(codeOf(() => mkdirp(fs, "/etc/config/x"))).toBe("ENOTDIR");
  });
});
