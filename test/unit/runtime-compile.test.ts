import { readFileSync } from "node:fs";
import { Wasmer } from "@wasmer/sdk/node";
import { afterAll, describe, expect, it } from "vitest";
import { startNodeRunThread } from "../../cli/src/node-run-thread.ts";
import { readRuntime } from "../../cli/src/runtime-files.ts";
import { finishModule } from "../../scripts/runtimes/finish.ts";
import { GatedEngine, WasmerEngine, type Engine, type ModuleCompiler } from "../../wasm-runtime/index.ts";
import { CompiledModules } from "../../wasm-runtime/engine/wasmer-compiled-modules.ts";
import { capMemory, inspectModule, pagesOfMiB, setMemoryMaximum } from "../../wasm-runtime/module/index.ts";
import { DEFAULT_LIMITS } from "../../wasm-runtime/policy/index.ts";
import { runProgram } from "../../wasm-runtime/shell/index.ts";

const manifest = JSON.parse(readFileSync("public/runtimes/manifest.json", "utf8")) as { runtimes: { name: string; file: string }[] };
const hello = new Uint8Array(readFileSync("public/examples/hello.wasm"));
const DEFAULT_PAGES = pagesOfMiB(DEFAULT_LIMITS.memoryMiB);

// Installed before any engine exists, so the engine's hook wraps it: every module
// the SDK compiles by itself passes here; the ones an engine hands it do not.
const sdkCompiles: number[] = [];
const RealModule = WebAssembly.Module;
WebAssembly.Module = new Proxy(RealModule, {
  construct: (target, args, newTarget) => (sdkCompiles.push((args[0] as Uint8Array).byteLength), Reflect.construct(target, args, newTarget) as object),
});
afterAll(() => {
  WebAssembly.Module = RealModule;
});

describe("served runtimes", () => {
  it.each(manifest.runtimes)("$name carries the default memory limit, so the default policy compiles the very bytes served", ({ file }) => {
    const bytes = new Uint8Array(readFileSync(`public/runtimes/${file}`));
    expect(inspectModule(bytes).memory?.maxPages).toBe(DEFAULT_PAGES);
    expect(setMemoryMaximum(bytes, DEFAULT_PAGES)).toBe(bytes);
  });

  it("are finished with that limit, and a module whose own maximum is lower than any policy may grant is refused", () => {
    expect(inspectModule(finishModule(hello, () => {})).memory?.maxPages).toBe(DEFAULT_PAGES);
    const small = capMemory(hello, inspectModule(hello).memory!.initialPages + 1);
    expect(() => finishModule(small, () => {})).toThrow(/memory maximum \(\d+ pages\) is below the largest limit a policy may set \(4096 MiB\)/);
  });
});

describe("CompiledModules", () => {
  it("makes `new WebAssembly.Module` of registered bytes return the registered module, and compiles anything else", async () => {
    const registry = new CompiledModules();
    try {
      const module = await WebAssembly.compile(hello);
      registry.add(hello, module);
      expect(new WebAssembly.Module(hello.slice())).toBe(module); // equal bytes, another array
      const other = capMemory(hello, inspectModule(hello).memory!.initialPages + 1);
      const compiled = new WebAssembly.Module(other);
      expect(compiled).not.toBe(module);
      expect(compiled).toBeInstanceOf(WebAssembly.Module);
      expect(WebAssembly.Module.exports(compiled).map((e) => e.name)).toContain("_start");
    } finally {
      registry.dispose();
    }
    expect(new WebAssembly.Module(hello)).not.toBe(undefined);
  });
});

/** A compiler that counts the modules it compiles, by size. */
function countingCompiler(): { compile: ModuleCompiler; sizes: number[] } {
  const sizes: number[] = [];
  return { sizes, compile: (bytes) => (sizes.push(bytes.byteLength), WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>)) };
}

const size = (runtime: string) => readFileSync(`public/runtimes/${runtime}.wasm`).byteLength;

describe.each([
  ["wasmer", (compile: ModuleCompiler) => new WasmerEngine(new Wasmer({ cache: false }), readRuntime, compile)],
  ["gated", (compile: ModuleCompiler) => new GatedEngine(readRuntime, startNodeRunThread, compile)],
] as const)("the %s engine", (name, create) => {
  const counting = countingCompiler();
  const engine: Engine = create(counting.compile);
  afterAll(() => engine.close());

  it("compiles each runtime once, through its compiler, for every command and run", { timeout: 60_000 }, async () => {
    const sandbox = await engine.createSandbox({ files: { "notes.txt": "x\n" } });
    try {
      for (const code of ["print(1)", "print(2)"]) {
        expect((await sandbox.run({ program: { language: "python", code } }).result).stdout).toBe(`${code.slice(6, 7)}\n`);
      }
      const pipeline = await runProgram(sandbox, { program: { language: "shell", code: "echo a b c | tr a-z A-Z | wc -w; ls /workspace | sort | tail -1" } }).result;
      expect(pipeline.stdout).toBe("3\nnotes.txt\n");
    } finally {
      await sandbox.close();
    }
    expect(counting.sizes.sort()).toEqual([size("busybox"), size("python")].sort());
    // The SDK was handed those modules rather than compiling the runtimes again.
    if (name === "wasmer") expect(sdkCompiles.filter((n) => n === size("python") || n === size("busybox"))).toEqual([]);
  });
});
