import { readFile as readHostFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessRequest } from "../../wasm-runtime/capabilities.ts";
import type { Engine, RunResult } from "../../wasm-runtime/index.ts";
import { python } from "../../wasm-runtime/languages/python.ts";
import { mkdirp, populate, readFile, VirtualFs, writeFile } from "../../wasm-runtime/vfs/index.ts";
import { createWasiHost, type WasiHostOptions } from "../../wasm-runtime/wasi/index.ts";
import { nodeWasmerEngine } from "../support/node-engine.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Case {
  args?: string[];
  stdin?: string;
  files?: Record<string, string>;
  env?: Record<string, string>;
}

let engine: Engine;
let module: WebAssembly.Module;

beforeAll(async () => {
  engine = nodeWasmerEngine();
  await engine.prepare("python");
  module = await WebAssembly.compile(await readHostFile(new URL("../../public/runtimes/python.wasm", import.meta.url)));
});

afterAll(() => engine.close());

/** The filesystem the Wasmer engine gives Python: /workspace with the files, the runtime's files read-only. */
function pythonFs(files: Record<string, string> = {}): VirtualFs {
  const fs = new VirtualFs();
  mkdirp(fs, "/workspace");
  mkdirp(fs, "/etc");
  populate(fs, python.files);
  fs.setReadOnly("/playpen");
  populate(fs, files);
  return fs;
}

/** Runs `code` as /workspace/main.py on our host, in this thread. */
function runOurs(code: string, c: Case & { fs?: VirtualFs; gate?: WasiHostOptions["gate"] } = {}) {
  const fs = c.fs ?? pythonFs(c.files);
  writeFile(fs, python.scriptPath, code);
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const host = createWasiHost({
    fs,
    gate: c.gate ?? (() => true),
    args: ["python", ...python.args(c.args ?? [])],
    env: { ...python.env, ...c.env },
    stdin: encoder.encode(c.stdin ?? ""),
    stdout: (bytes) => out.push(bytes),
    stderr: (bytes) => err.push(bytes),
  });
  const exitCode = host.start(new WebAssembly.Instance(module, host.imports));
  return {
    exitCode,
    stdout: decoder.decode(Buffer.concat(out)),
    stderr: decoder.decode(Buffer.concat(err)),
    fs,
  };
}

async function runReference(code: string, c: Case = {}): Promise<RunResult> {
  const sandbox = await engine.createSandbox({ files: c.files ?? {}, env: c.env ?? {} });
  try {
    return await sandbox.run({
      program: { language: "python", code },
      args: c.args ?? [],
      ...(c.stdin !== undefined && { stdin: c.stdin }),
      timeoutMs: 30_000,
    }).result;
  } finally {
    await sandbox.close();
  }
}

/** Runs on both engines and expects identical output and exit code; returns ours. */
async function expectSameAsWasmer(code: string, c: Case = {}) {
  const reference = await runReference(code, c);
  const ours = runOurs(code, c);
  expect({ exitCode: ours.exitCode, stdout: ours.stdout, stderr: ours.stderr }).toEqual({
    exitCode: reference.exitCode,
    stdout: reference.stdout,
    stderr: reference.stderr,
  });
  return ours;
}

describe("CPython on the host prints exactly what it prints under @wasmer/sdk", () => {
  it("print, sys.argv, stdin, os.environ, cwd, stderr and the exit code", async () => {
    const ours = await expectSameAsWasmer(
      [
        "import os, sys",
        "print('hello', sys.argv[1:])",
        "for line in sys.stdin: print('stdin', line.rstrip().upper())",
        "print('env', os.environ.get('GREETING'), os.environ['PYTHONPATH'])",
        "print('cwd', os.getcwd())",
        "print('to stderr', file=sys.stderr)",
        "sys.exit(4)",
      ].join("\n"),
      { args: ["a", "b c"], stdin: "one\ntwo\n", env: { GREETING: "hi" } },
    );
    expect(ours.stdout).toBe("hello ['a', 'b c']\nstdin ONE\nstdin TWO\nenv hi /playpen/python\ncwd /workspace\n");
    expect(ours.exitCode).toBe(4);
  });

  it("files in /workspace: open, write, append, read, listdir, makedirs, rename, remove, pathlib", async () => {
    const ours = await expectSameAsWasmer(
      String.raw`
import os, pathlib
with open("notes.txt", "w") as f: f.write("line 1\nline 2\n")
with open("notes.txt", "a") as f: f.write("line 3\n")
print(open("notes.txt").read().splitlines(), open("data.txt").read())
os.makedirs("a/b/c", exist_ok=True)
os.rename("notes.txt", "a/b/notes.txt")
print(sorted(os.listdir(".")), sorted(os.listdir("a/b")))
os.remove("a/b/notes.txt")
os.removedirs("a/b/c")
print(sorted(os.listdir(".")))
p = pathlib.Path("/workspace/pkg")
(p / "sub").mkdir(parents=True)
(p / "sub" / "x.json").write_text('{"a": 1}')
print(sorted(str(q.relative_to(p)) for q in p.rglob("*")))
print((p / "sub" / "x.json").stat().st_size, (p / "sub" / "x.json").is_file(), (p / "nope").exists())
with open("bytes.bin", "wb") as f: f.write(bytes(range(256)) * 100)
with open("bytes.bin", "rb") as f:
    f.seek(1000)
    print(f.read(3), f.tell(), os.path.getsize("bytes.bin"))
os.mkdir("many")
for i in range(300): open(f"many/{'x' * 200}{i:03}", "w").close()
names = os.listdir("many")
print(len(names), len(set(names)), sorted(names)[-1][-4:])
for bad in [lambda: open("missing.txt"), lambda: os.rmdir("data.txt"), lambda: os.mkdir("data.txt")]:
    try: bad()
    except OSError as e: print(type(e).__name__, e.errno)
`,
      { files: { "data.txt": "from the host" } },
    );
    expect(ours.stdout).toContain("300 300 x299\nFileNotFoundError 44\nNotADirectoryError 54\nFileExistsError 20\n");
    expect(decoder.decode(readFile(ours.fs, "/workspace/pkg/sub/x.json"))).toBe('{"a": 1}');
  });

  it("json, sqlite3 in memory, and a traceback", async () => {
    await expectSameAsWasmer(`
import json, sqlite3
db = sqlite3.connect(":memory:")
db.execute("create table t (k text, v int)")
db.executemany("insert into t values (?, ?)", [("a", 1), ("b", 2)])
print(json.dumps(dict(db.execute("select k, v from t order by k")), sort_keys=True))
print(json.loads('{"x": [1, 2.5, null, true]}'))
`);
    const failed = await expectSameAsWasmer("def f(x):\n    return 1 / x\n\nf(0)\n");
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/File "\/workspace\/main.py", line 2, in f\n.*\nZeroDivisionError: division by zero\n$/s);
  });

  it("subprocess, asyncio and selectors import; sleep(0) returns; sleep(0.05) sleeps", async () => {
    const ours = await expectSameAsWasmer(`
import subprocess, asyncio, selectors, time
time.sleep(0)
selectors.DefaultSelector().select(0)
start = time.monotonic()
time.sleep(0.05)
print("slept", time.monotonic() - start >= 0.05)
`);
    expect(ours.stdout).toBe("slept True\n");
  });

  it("imports the standard library modules that name ssl's classes at import time (the host-TLS ssl shim)", async () => {
    const ours = await expectSameAsWasmer(`
import asyncio.sslproto, ftplib, http.client, imaplib, poplib, smtplib, ssl, urllib.request, xmlrpc.client
print(issubclass(ssl.SSLWantReadError, ssl.SSLError), hasattr(http.client, "HTTPSConnection"))
`);
    expect(ours.stdout).toBe("True True\n");
  });

  it("asyncio.run with concurrent sleeps", async () => {
    const ours = await expectSameAsWasmer(`
import asyncio, time
async def worker(name, delay, done):
    await asyncio.sleep(delay)
    done.append(name)
async def main():
    done = []
    await asyncio.gather(worker("slow", 0.06, done), worker("fast", 0.02, done), worker("now", 0, done))
    return done
start = time.monotonic()
print(asyncio.run(main()), 0.06 <= time.monotonic() - start < 1)
`);
    expect(ours.stdout).toBe("['now', 'fast', 'slow'] True\n");
  });

  // Speed is the benchmark's job (docs/benchmarks.md): here only the output of a second, warm run.
  it("prints what @wasmer/sdk prints on a warm second run", async () => {
    runOurs("print('hello')");
    const ours = runOurs("print('hello')");
    const reference = await runReference("print('hello')");
    expect(ours.stdout).toBe(reference.stdout);
  });
});

describe("the gate, seen from Python", () => {
  const secret = "/workspace/secret.txt";

  it("turns a denial into PermissionError, judging the real path behind `..` and symlinks", () => {
    const fs = pythonFs({ "secret.txt": "s3cret", "public.txt": "hello" });
    fs.symlink(secret, fs.locate("/workspace/link"));
    const seen: string[] = [];
    const gate = (request: AccessRequest, syscall: string) => {
      if (request.capability !== "file") return false;
      seen.push(`${syscall} ${request.access} ${request.path}`);
      return !((request.path === secret && request.access === "read") || request.path.startsWith("/etc/"));
    };
    const ours = runOurs(
      String.raw`
import os
for path in ["/workspace/secret.txt", "/workspace/../workspace/secret.txt", "link", "./secret.txt"]:
    try: open(path).read()
    except PermissionError as e: print("denied", path, e.errno, e.strerror)
print(open("public.txt").read())
try: open("/etc/x", "w")
except PermissionError as e: print("denied", e.filename, e.errno)
print(os.path.exists("/etc/x"))
`,
      { fs, gate },
    );
    expect(ours.stderr).toBe("");
    expect(ours.stdout).toBe(
      [
        "denied /workspace/secret.txt 2 Permission denied",
        "denied /workspace/../workspace/secret.txt 2 Permission denied",
        "denied link 2 Permission denied",
        "denied ./secret.txt 2 Permission denied",
        "hello",
        "denied /etc/x 2",
        "False",
        "",
      ].join("\n"),
    );
    expect(seen.filter((s) => s.endsWith(secret))).toEqual(Array(4).fill(`path_open read ${secret}`));
    expect(seen).toContain("path_open write /etc/x");
    expect(fs.locate("/etc/x").node).toBeUndefined();
  });

  it("reports quotas as ENOSPC and read-only mounts as EROFS", () => {
    const fs = pythonFs();
    fs.setQuota("/workspace", 1000);
    const ours = runOurs(
      String.raw`
import errno
for path, size in [("/workspace/big.bin", 2000), ("/playpen/python/x.py", 1)]:
    try:
        with open(path, "wb") as f: f.write(b"x" * size)
    except OSError as e: print(path, errno.errorcode[e.errno], e.strerror)
`,
      { fs },
    );
    expect(ours.stdout).toBe(
      "/workspace/big.bin ENOSPC No space left on device\n/playpen/python/x.py EROFS Read-only file system\n",
    );
  });
});
