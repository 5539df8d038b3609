import { unzipSync, zipSync, type Zippable } from "fflate";
import { describe, expect, it } from "vitest";
import { exportZip, importZip, Workspace, WorkspaceError } from "../../wasm-runtime/workspace/index.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const MiB = 1024 * 1024;

function zipOf(files: Zippable): Uint8Array {
  const object: Zippable = Object.create(null) as Zippable;
  Object.assign(object, files);
  return zipSync(object);
}

function refusal(run: () => unknown): WorkspaceError {
  try {
    run();
  } catch (error) {
    if (error instanceof WorkspaceError) return error;
    throw error;
  }
  throw new Error("expected a WorkspaceError");
}

function seeded(): Workspace {
  const ws = new Workspace();
  ws.writeFile("keep.txt", "untouched");
  return ws;
}

describe("zip export", () => {
  it("round-trips files, empty folders and unicode names", () => {
    const ws = new Workspace();
    ws.writeFile("src/main.py", "print(1)\n");
    ws.writeFile("données/é.bin", new Uint8Array([0, 255, 1]));
    ws.writeFile("empty.txt", "");
    ws.mkdir("empty-dir");
    const zip = exportZip(ws.snapshot());
    expect(Object.keys(unzipSync(zip)).sort()).toEqual(["données/é.bin", "empty-dir/", "empty.txt", "src/main.py"]);
    const back = new Workspace();
    // The folders created: empty-dir, and src and données, which only the files' paths name.
    expect(importZip(back, zip)).toEqual({ files: 3, folders: 3, bytes: 12 });
    // Imported again over itself: nothing new.
    expect(importZip(back, zip).folders).toBe(0);
    expect(back.list()).toEqual(ws.list().map((row) => ({ ...row, mtimeMs: expect.any(Number) })));
    expect(back.readFile("données/é.bin")).toEqual(new Uint8Array([0, 255, 1]));
  });

  it("exports one folder with paths relative to it", () => {
    const ws = new Workspace();
    ws.writeFile("a/b/c.txt", "c");
    ws.writeFile("other.txt", "o");
    expect(Object.keys(unzipSync(exportZip(ws.snapshot(), "a")))).toEqual(["b/c.txt"]);
    expect(refusal(() => exportZip(ws.snapshot(), "other.txt")).code).toBe("not-directory");
  });

  it("imports into a folder", () => {
    const ws = new Workspace();
    importZip(ws, zipOf({ "x.txt": bytes("x") }), "upload");
    expect(ws.readText("upload/x.txt")).toBe("x");
  });
});

describe("zip import safety", () => {
  const unsafeNames: [string, RegExp][] = [
    ["../evil.txt", /contains "\.\."/],
    ["ok/../../evil.txt", /contains "\.\."/],
    ["..\\evil.txt", /contains "\.\."/],
    ["/etc/cron.d/evil", /absolute/],
    ["\\windows\\evil", /absolute/],
    ["C:/Windows/evil.dll", /drive letter/],
    ["c:evil", /drive letter/],
  ];
  for (const [name, why] of unsafeNames) {
    it(`refuses the entry ${JSON.stringify(name)}, naming it, and changes nothing`, () => {
      const ws = seeded();
      const before = ws.snapshot();
      const error = refusal(() => importZip(ws, zipOf({ "fine.txt": bytes("fine"), [name]: bytes("evil") })));
      expect(error.code).toBe("zip-unsafe-entry");
      expect(error.path).toBe(name);
      expect(error.message).toContain(JSON.stringify(name).slice(1, -1).replaceAll("\\\\", "\\"));
      expect(error.message).toMatch(why);
      expect(ws.snapshot()).toEqual(before);
    });
  }

  it("refuses a symbolic link entry", () => {
    const ws = seeded();
    const zip = zipOf({ "link": [bytes("/etc/passwd"), { os: 3, attrs: 0o120777 << 16 }], "a.txt": bytes("a") });
    const error = refusal(() => importZip(ws, zip));
    expect([error.code, error.path]).toEqual(["zip-unsafe-entry", "link"]);
    expect(error.message).toMatch(/symbolic link/);
    expect(ws.list().map((r) => r.path)).toEqual(["keep.txt"]);
  });

  it("refuses an archive that would not fit the quota before unpacking it", () => {
    const ws = new Workspace({ bytes: MiB });
    // 2 MiB of zeros compresses to a few KB: the declared size is what counts.
    const error = refusal(() => importZip(ws, zipOf({ "zeros.bin": new Uint8Array(2 * MiB) })));
    expect(error.code).toBe("quota-bytes");
    expect(error.message).toMatch(/zip too large for the workspace quota/);
    expect(ws.usage()).toEqual({ bytes: 0, entries: 0 });
  });

  it("refuses an entry that clashes with the workspace, naming it, and changes nothing", () => {
    const ws = seeded();
    const error = refusal(() => importZip(ws, zipOf({ "a.txt": bytes("a"), "keep.txt/inner": bytes("x") })));
    expect(error.code).toBe("not-directory");
    expect(error.message).toMatch(/^zip entry "keep.txt\/inner"/);
    expect(ws.list().map((r) => r.path)).toEqual(["keep.txt"]);
  });

  it("says plainly when the bytes are not a zip", () => {
    const error = refusal(() => importZip(new Workspace(), bytes("just some text, not an archive")));
    expect(error.code).toBe("zip-invalid");
    expect(error.message).toMatch(/not a readable zip archive/);
  });
});

describe("100 MB upload", () => {
  const upload = new Uint8Array(100 * MiB).fill(0x61);

  it("fails with a quota message under the default 64 MiB quota", () => {
    const ws = new Workspace();
    const error = refusal(() => ws.writeFile("upload.bin", upload));
    expect(error.code).toBe("quota-bytes");
    expect(error.message).toBe(`workspace quota exceeded: ${100 * MiB} bytes of ${64 * MiB} allowed (writing upload.bin)`);
    expect(ws.usage().bytes).toBe(0);
  });

  it("works within a quota large enough, as a file and as a zip", () => {
    const ws = new Workspace({ bytes: 256 * MiB });
    ws.writeFile("upload.bin", upload);
    expect(ws.stat("upload.bin")?.size).toBe(100 * MiB);
    importZip(ws, zipOf({ "zipped.bin": upload }), "z");
    expect(ws.usage().bytes).toBe(200 * MiB);
  });
});
