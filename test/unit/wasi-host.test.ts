import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessRequest } from "../../wasm-runtime/capabilities.ts";
import type { Engine, RunResult } from "../../wasm-runtime/index.ts";
import { assembleModule, Writer, type SectionPayload } from "../../wasm-runtime/module/index.ts";
import { mkdirp, populate, readFile, VirtualFs } from "../../wasm-runtime/vfs/index.ts";
import { createWasiHost, type TraceCall, type WasiHostOptions } from "../../wasm-runtime/wasi/index.ts";
import { exampleModule, nodeWasmerEngine } from "../support/node-engine.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const FIXTURES = new URL("../fixtures/c/", import.meta.url);

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const hasClang = hasTool("clang-16");
const hasCc = hasTool("cc");

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

type RunOptions = Partial<Omit<WasiHostOptions, "args" | "stdin" | "fs">> & {
  args?: string[];
  stdin?: string;
  fs?: VirtualFs;
};

/** A VFS laid out like the Wasmer sandbox's: /workspace with the given files, and an /etc. */
function workspace(files: Record<string, string> = {}): VirtualFs {
  const fs = new VirtualFs();
  mkdirp(fs, "/workspace");
  mkdirp(fs, "/etc");
  populate(fs, files);
  return fs;
}

/** Runs a command module in this thread on our host. */
function runOurs(module: WebAssembly.Module, options: RunOptions = {}): Run {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const { args = [], stdin = "", fs = workspace(), ...rest } = options;
  const host = createWasiHost({
    fs,
    gate: () => true,
    args: ["program", ...args],
    stdin: encoder.encode(stdin),
    stdout: (bytes) => out.push(bytes),
    stderr: (bytes) => err.push(bytes),
    ...rest,
  });
  const instance = new WebAssembly.Instance(module, host.imports);
  const started = performance.now();
  const exitCode = host.start(instance);
  const ms = performance.now() - started;
  return { exitCode, stdout: decoder.decode(Buffer.concat(out)), stderr: decoder.decode(Buffer.concat(err)), ms };
}

/** The examples' bytes are typed over any buffer; WebAssembly.Module wants an ArrayBuffer-backed one (they are). */
const moduleOf = (bytes: Uint8Array) => new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);

/** Drops the lines that report timings, which differ from run to run. */
const untimed = (output: string) => output.replace(/^.*_ms: .*\n/gm, "");

let engine: Engine;
let dir = "";

/** Compiles a C fixture to WASI, the way scripts/build-examples.ts builds the examples. */
function compileWasm(name: string): Uint8Array {
  const output = join(dir, `${name}.wasm`);
  const source = new URL(`${name}.c`, FIXTURES).pathname;
  execFileSync("clang-16", ["--target=wasm32-wasi", `--sysroot=${join(dir, "sysroot")}`, "-O2", "-Wall", "-Wextra", "-o", output, source]);
  return new Uint8Array(readFileSync(output));
}

async function runWasmer(module: Uint8Array, files: Record<string, string>, args: string[], stdin?: string): Promise<RunResult> {
  const sandbox = await engine.createSandbox({ files, env: {} });
  try {
    return await sandbox.run({ program: { language: "wasm", module }, args, ...(stdin !== undefined && { stdin }), timeoutMs: 30_000 }).result;
  } finally {
    await sandbox.close();
  }
}

beforeAll(() => {
  engine = nodeWasmerEngine();
  dir = mkdtempSync(join(tmpdir(), "playpen-wasi-"));
  // A clean sysroot: pointing clang at Debian's wasi-libc directly would let it pick up host headers from /usr/include.
  mkdirSync(join(dir, "sysroot/lib"), { recursive: true });
  symlinkSync("/usr/include/wasm32-wasi", join(dir, "sysroot/include"));
  symlinkSync("/usr/lib/wasm32-wasi", join(dir, "sysroot/lib/wasm32-wasi"));
});

afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the C examples print exactly what they print under @wasmer/sdk", () => {
  it("hello: arguments, environment, reading and writing /workspace", async () => {
    const bytes = await exampleModule("hello");
    const files = { "greeting.txt": "good morning\n" };
    const args = ["one", "two words"];
    const fs = workspace(files);
    const ours = runOurs(moduleOf(bytes), { args, fs, env: { NAME: "Ada" } });
    const sandbox = await engine.createSandbox({ files, env: { NAME: "Ada" } });
    try {
      const reference = await sandbox.run({ program: { language: "wasm", module: bytes }, args }).result;
      expect(ours).toMatchObject({ exitCode: reference.exitCode, stdout: reference.stdout, stderr: reference.stderr });
      expect(ours.stdout).toContain("Hello, Ada");
      expect(decoder.decode(readFile(fs, "/workspace/hello-out.txt"))).toBe(
        decoder.decode(await sandbox.readFile("/workspace/hello-out.txt")),
      );
    } finally {
      await sandbox.close();
    }
  });

  it("hello --fail: stderr and exit code 3", async () => {
    const bytes = await exampleModule("hello");
    const ours = runOurs(moduleOf(bytes), { args: ["--fail"] });
    const reference = await runWasmer(bytes, {}, ["--fail"]);
    expect(ours).toMatchObject({ exitCode: 3, stdout: reference.stdout, stderr: reference.stderr });
  });

  it("cpu-bench: the same checksum", async () => {
    const bytes = await exampleModule("cpu-bench");
    const ours = runOurs(moduleOf(bytes), { args: ["3"] });
    const reference = await runWasmer(bytes, {}, ["3"]);
    expect(ours.exitCode).toBe(0);
    expect(untimed(ours.stdout)).toBe(untimed(reference.stdout));
    expect(ours.stdout).toMatch(/checksum: [0-9a-f]{16}/);
  });

  it("fileio-bench: the same files, sizes and checksum", async () => {
    const bytes = await exampleModule("fileio-bench");
    const fs = workspace();
    const ours = runOurs(moduleOf(bytes), { args: ["/workspace/bench", "40"], fs });
    const reference = await runWasmer(bytes, {}, ["/workspace/bench", "40"]);
    expect(ours.exitCode).toBe(0);
    expect(untimed(ours.stdout)).toBe(untimed(reference.stdout));
    expect(fs.locate("/workspace/bench").node).toBeUndefined();
  });
});

describe.skipIf(!hasClang)("C fixtures on the host", () => {
  it.skipIf(!hasCc)("fs-ops prints what the same program prints natively on Linux", () => {
    const native = join(dir, "fs-ops-native");
    execFileSync("cc", ["-O2", "-o", native, new URL("fs-ops.c", FIXTURES).pathname]);
    const scratch = mkdtempSync(join(dir, "native-"));
    const expected = execFileSync(native, [scratch], { encoding: "utf8" });
    const fs = workspace();
    mkdirp(fs, "/workspace/t");
    const ours = runOurs(moduleOf(compileWasm("fs-ops")), { args: ["/workspace/t"], fs });
    expect(ours.stderr).toBe("");
    expect(ours.stdout).toBe(expected);
  });

  it("clock-poll: coarse clocks, real sleeps, zero timeouts return at once, stdin is ready", () => {
    const ours = runOurs(moduleOf(compileWasm("clock-poll")), {
      stdin: "abc",
      clock: { resolutionNs: 1_000_000 },
    });
    expect(ours.stdout).toBe(
      [
        "resolution_ns: 1000000",
        "realtime multiple of resolution: 1",
        "monotonic multiple of resolution: 1",
        "realtime after 2020: 1",
        "nanosleep 0 returns at once: 1",
        "nanosleep 30 ms sleeps at least 30 ms: 1",
        "poll timeout 20 ms: 0 events after at least 20 ms: 1",
        "poll stdin: 1 ready with POLLIN: 1 at once: 1",
        "select timeout 0: 0 at once: 1",
        'stdin read: 3 "abc"',
        "stdin at end: 0",
        "",
      ].join("\n"),
    );
  });

  it("rights: a descriptor's rights shrink but never grow back", () => {
    const ours = runOurs(moduleOf(compileWasm("rights")));
    expect(ours.stderr).toBe("");
    expect(ours.stdout).toBe(
      "write before: 1\ndrop write: 0\nwrite after: -1 errno 8\nread access mode: 1\nwiden again: 76\nstdout rights: 58\n",
    );
  });

  it("syscall-heavy: many small writes and opens give the same results as @wasmer/sdk", async () => {
    // Speed is measured by the benchmark (docs/benchmarks.md), not asserted here.
    const bytes = new Uint8Array(readFileSync("public/examples/syscall-bench.wasm"));
    const args = ["20000", "2000"];
    const ours = runOurs(moduleOf(bytes), { args });
    const reference = await runWasmer(bytes, {}, args);
    expect(ours.exitCode).toBe(0);
    expect(untimed(ours.stdout)).toBe(untimed(reference.stdout));
    expect(ours.stdout).toContain("size: 320000");
  });
});

describe.skipIf(!hasClang)("the gate", () => {
  const secret = "/workspace/secret.txt";

  function gated(deny: (request: AccessRequest & { capability: "file" }) => boolean) {
    const calls: { path: string; access: string; syscall: string }[] = [];
    const gate = (request: AccessRequest, syscall: string) => {
      if (request.capability !== "file") throw new Error(`unexpected ${request.capability} request`);
      calls.push({ path: request.path, access: request.access, syscall });
      return !deny(request);
    };
    return { calls, gate };
  }

  it("denies with EACCES, seeing resolved paths through `..` and symlinks, and the syscall's name", () => {
    const fs = workspace({ "secret.txt": "s3cret", "public.txt": "hello" });
    fs.symlink(secret, fs.locate("/workspace/link"));
    fs.symlink("/etc", fs.locate("/workspace/etc-link"));
    const { calls, gate } = gated((r) => (r.path === secret && r.access === "read") || (r.path.startsWith("/etc/") && r.access === "write"));
    const probes = [
      `r:${secret}`,
      "r:/workspace/../workspace/secret.txt",
      "r:/workspace/link",
      "r:/workspace/public.txt",
      "w:/etc/x",
      "w:/workspace/etc-link/y",
      "w:/workspace/out.txt",
    ];
    const ours = runOurs(moduleOf(compileWasm("open-files")), { args: probes, fs, gate });
    expect(ours.stdout).toBe(
      [
        `r ${secret}: errno 2 (Permission denied)`,
        "r /workspace/../workspace/secret.txt: errno 2 (Permission denied)",
        "r /workspace/link: errno 2 (Permission denied)",
        'r /workspace/public.txt: ok "hello"',
        "w /etc/x: errno 2 (Permission denied)",
        "w /workspace/etc-link/y: errno 2 (Permission denied)",
        "w /workspace/out.txt: ok",
        "",
      ].join("\n"),
    );
    const opens = calls.filter((c) => c.syscall === "path_open").map((c) => `${c.access} ${c.path}`);
    expect(opens).toEqual([
      `read ${secret}`,
      `read ${secret}`,
      `read ${secret}`,
      "read /workspace/public.txt",
      "write /etc/x",
      "write /etc/y",
      "write /workspace/out.txt",
    ]);
    // Nothing denied was created, and what was allowed was.
    expect(fs.locate("/etc/x").node).toBeUndefined();
    expect(fs.locate("/etc/y").node).toBeUndefined();
    expect(decoder.decode(readFile(fs, "/workspace/out.txt"))).toBe("written");
  });

  it("sees through preopens: `..` out of /workspace's descriptor is checked as the path it reaches", () => {
    const fs = workspace({ "/etc/passwd": "root", "a.txt": "A" });
    const { calls, gate } = gated((r) => r.path.startsWith("/etc/"));
    const opens: string[] = [];
    const trace = (call: TraceCall) => call.name === "path_open" && opens.push(`${call.args[0]} ${call.paths}`);
    const probes = ["r:/workspace/../etc/passwd", "r:/workspace/a.txt"];
    const ours = runOurs(moduleOf(compileWasm("open-files")), { args: probes, fs, gate, trace, preopens: ["/", "/workspace"] });
    // wasi-libc picks the longest matching preopen (descriptor 4, /workspace) and passes the rest as is.
    expect(opens).toEqual(["4 ../etc/passwd", "4 a.txt"]);
    expect(calls.map((c) => c.path)).toEqual(["/etc/passwd", "/workspace/a.txt"]);
    expect(ours.stdout).toBe('r /workspace/../etc/passwd: errno 2 (Permission denied)\nr /workspace/a.txt: ok "A"\n');
  });

  it("guards stat, mkdir, rename, unlink, symlink, readlink, rmdir and utimes", () => {
    const fs = workspace({ "keep.txt": "k" });
    const { calls, gate } = gated((r) => r.access === "write");
    const ours = runOurs(moduleOf(compileWasm("fs-ops")), { args: ["/workspace"], fs, gate });
    expect(ours.stdout).toMatch(/^mkdir d +EACCES$/m);
    expect(ours.stdout).toMatch(/^unlink missing +EACCES$/m);
    expect(ours.stdout).toMatch(/^ls \.: \.\.\/ \.\/ keep\.txt$/m);
    expect(new Set(calls.map((c) => c.syscall))).toEqual(
      new Set([
        "path_create_directory",
        "path_open",
        "path_filestat_get",
        "path_unlink_file",
        "path_rename",
        "path_symlink",
        "path_readlink",
        "path_remove_directory",
        "path_filestat_set_times",
      ]),
    );
    expect(calls.every((c) => c.path.startsWith("/workspace") && !/\/\.\.?(\/|$)/.test(c.path))).toBe(true);
  });
});

describe("host mechanics", () => {
  it("traces every call with decoded paths when asked, and adds no wrapper when not", async () => {
    const module = moduleOf(await exampleModule("hello"));
    const calls: TraceCall[] = [];
    runOurs(module, { fs: workspace({ "greeting.txt": "hi" }), trace: (call) => calls.push(call) });
    const open = calls.find((c) => c.name === "path_open");
    expect(open).toMatchObject({ result: 0, paths: ["workspace/greeting.txt"] });
    expect(open!.durationNs).toBeGreaterThanOrEqual(0);
    expect(calls.filter((c) => c.name === "fd_write").every((c) => c.result === 0)).toBe(true);
    calls.length = 0;
    runOurs(module, { args: ["--fail"], trace: (call) => calls.push(call) });
    expect(calls.at(-1)).toMatchObject({ name: "proc_exit", result: undefined, args: [3] });

    const plain = createWasiHost({ fs: workspace(), gate: () => true }).imports.wasi_snapshot_preview1;
    const traced = createWasiHost({ fs: workspace(), gate: () => true, trace: () => {} }).imports.wasi_snapshot_preview1;
    // The raw functions declare their parameters; the tracing wrapper takes ...args.
    expect((plain.fd_write as (...args: unknown[]) => unknown).length).toBe(4);
    expect((traced.fd_write as (...args: unknown[]) => unknown).length).toBe(0);
  });

  const [I32, I64] = [0x7f, 0x7e];
  const leb = (n: number) => [...new Writer().u32(n).finish()];
  const name = (s: string) => [...leb(s.length), ...encoder.encode(s)];
  const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
  const section = (id: number, content: number[]): SectionPayload => ({ id, payload: Uint8Array.from(content) });
  // Small non-negative constants only: one LEB byte below 64.
  const i32 = (n: number) => (n < 64 ? [0x41, n] : [0x41, ...signedLeb(n)]);
  function signedLeb(n: number): number[] {
    const out: number[] = [];
    for (;;) {
      const byte = n & 0x7f;
      n >>= 7;
      const done = (n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40);
      out.push(done ? byte : byte | 0x80);
      if (done) return out;
    }
  }
  const [FD_WRITE, PROC_EXIT, FD_READDIR] = [0, 1, 2];
  const call = (fn: number) => [0x10, fn];

  /** A command importing fd_write, proc_exit and fd_readdir (functions 0-2) whose _start runs `code`, then traps. */
  function command(code: number[]): WebAssembly.Module {
    const body = [0x00, ...code, 0x00, 0x0b];
    const wasi = (fn: string, type: number) => [...name("wasi_snapshot_preview1"), ...name(fn), 0, type];
    return new WebAssembly.Module(
      assembleModule([
        section(1, vec([[0x60, 4, I32, I32, I32, I32, 1, I32], [0x60, 1, I32, 0], [0x60, 0, 0], [0x60, 5, I32, I32, I32, I64, I32, 1, I32]])),
        section(2, vec([wasi("fd_write", 0), wasi("proc_exit", 1), wasi("fd_readdir", 3)])),
        section(3, vec([[2]])),
        section(5, vec([[0x00, 1]])),
        section(7, vec([[...name("memory"), 0x02, 0], [...name("_start"), 0x00, 3]])),
        section(10, vec([[...leb(body.length), ...body]])),
      ]),
    );
  }

  it("asks the gate before listing a preopened directory, which no path_open checked", () => {
    // fd_readdir(3, buf = 1024, len = 1024, cookie = 0, bufused = 0), then exit with its errno.
    const module = command([...i32(3), ...i32(1024), ...i32(1024), 0x42, 0, ...i32(0), ...call(FD_READDIR), ...call(PROC_EXIT)]);
    const asked: string[] = [];
    const gate = (path: string) => (request: AccessRequest, syscall: string) => {
      asked.push(`${syscall} ${request.capability === "file" && request.access} ${request.capability === "file" && request.path}`);
      return request.capability === "file" && request.path !== path;
    };
    expect(runOurs(module, { gate: gate("/") }).exitCode).toBe(2);
    expect(runOurs(module, { gate: gate("/elsewhere") }).exitCode).toBe(0);
    expect(asked).toEqual(["fd_readdir read /", "fd_readdir read /"]);
  });

  it("returns EFAULT for guest pointers outside memory instead of failing the run", () => {
    // fd_write(1, iovs = 65532 (the iovec runs past the 64 KiB page), 1, nwritten = 0), then exit with its errno.
    const module = command([...i32(1), ...i32(65532), ...i32(1), ...i32(0), ...call(FD_WRITE), ...call(PROC_EXIT)]);
    expect(runOurs(module).exitCode).toBe(21);
  });

  it("lets a trap propagate, and runs an instance only once", () => {
    const fs = workspace({ "a.txt": "x" });
    const host = createWasiHost({ fs, gate: () => true });
    const instance = new WebAssembly.Instance(command([]), host.imports);
    expect(() => host.start(instance)).toThrow(WebAssembly.RuntimeError);
    expect(() => host.start(instance)).toThrow(/already run/);
  });
});
