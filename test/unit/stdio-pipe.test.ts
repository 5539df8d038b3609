import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileWasi } from "../../native/build/wasi-workloads.ts";
import { ROOT } from "../../scripts/build-examples.ts";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { Engine, EngineName, Sandbox } from "../../wasm-runtime/index.ts";

/**
 * Stdin is all given before a run: the guest must see a pipe, not a terminal,
 * or CPython's input() cuts the last character of a final line without a
 * newline (issue 12). The gated engine reports stdio as Node's WASI does for a
 * piped stdin and a terminal's stdout/stderr; @wasmer/sdk reports a terminal
 * whatever stdin is, which Playpen's Python start-up works around.
 */

const MODULE = path.join(ROOT, "build/cli-tests/stdio-stat.wasm");
const engines = new Map<EngineName, { engine: Engine; sandbox: Sandbox }>();

beforeAll(async () => {
  compileWasi(path.join(ROOT, "test/fixtures/c/stdio-stat.c"), MODULE);
  for (const name of ["gated", "wasmer"] as const) {
    const engine = createNodeEngine(name);
    await engine.prepare("python");
    engines.set(name, { engine, sandbox: await engine.createSandbox({}) });
  }
}, 120_000);

afterAll(async () => {
  for (const { engine, sandbox } of engines.values()) {
    await sandbox.close();
    await engine.close();
  }
});

/** The fixture under node:wasi in a child process whose stdin is a pipe and whose stdout is one too. */
function reference(): Promise<string> {
  const script = `
    const { WASI } = require("node:wasi");
    const wasi = new WASI({ version: "preview1", args: ["stdio-stat"], env: {}, returnOnExit: true });
    const module = new WebAssembly.Module(require("node:fs").readFileSync(${JSON.stringify(MODULE)}));
    wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));`;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ["--no-warnings", "-e", script], { timeout: 60_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    child.stdin!.end("abc");
  });
}

const python = (engine: EngineName, code: string, stdin: string) =>
  engines.get(engine)!.sandbox.run({ program: { language: "python", code }, stdin, timeoutMs: 30_000 }).result;

describe("stdin is a pipe, as a reference runtime reports it", () => {
  it("gated: descriptor 0 is what node:wasi reports for a piped stdin (a stream, not a terminal); 1 and 2 what it reports for a terminal", async () => {
    const program = { language: "wasm" as const, module: new Uint8Array(readFileSync(MODULE)), name: "stdio-stat" };
    const gated = await engines.get("gated")!.sandbox.run({ program, stdin: "abc", timeoutMs: 30_000 }).result;
    const [stdin] = (await reference()).split("\n");
    const lines = gated.stdout.split("\n");
    expect(lines[0]).toBe(stdin);
    expect(lines[0]).toBe("fd0: fdstat=0 type=6 rights=3820004a inheriting=3fffffff filestat=0 type=6 isatty=0");
    // What node:wasi reports for a terminal (measured under script(1)): a character device, uvwasi's tty rights.
    expect(lines.slice(1, 3)).toEqual(["fd1: fdstat=0 type=2 rights=820004a inheriting=0 filestat=0 type=2 isatty=1", "fd2: fdstat=0 type=2 rights=820004a inheriting=0 filestat=0 type=2 isatty=1"]);
  }, 60_000);

  it.each(["gated", "wasmer"] as const)("%s: Python's input() reads a last line without a newline whole, then raises EOFError", async (engine) => {
    const code = "print(repr(input()), repr(input('> ')))\ntry:\n    input()\nexcept EOFError:\n    print('EOF')";
    const result = await python(engine, code, "first line\nabc");
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("> 'first line' 'abc'\nEOF\n");
  }, 60_000);

  it.each(["gated", "wasmer"] as const)("%s: a final newline is still taken off, and an empty line reads as ''", async (engine) => {
    const result = await python(engine, "print(repr(input()), repr(input()))", "\nabc\n");
    expect(result.stdout).toBe("'' 'abc'\n");
  }, 60_000);

  it("gated: sys.stdin says it is not a terminal (the wasmer engine's does, its one remaining difference: capability-matrix.ts)", async () => {
    const code = "import sys\nprint(sys.stdin.isatty(), sys.stdout.isatty())";
    expect((await python("gated", code, "")).stdout).toBe("False True\n");
    expect((await python("wasmer", code, "")).stdout).toBe("True True\n");
  }, 60_000);
});
