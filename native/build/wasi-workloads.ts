/**
 * Compiles the same workload and probe sources as workloads.ts to WASI
 * (clang-16, the clean wasi-libc sysroot and flags of scripts/build-examples.ts)
 * into build/wasi-workloads/<name>.wasm, for the WebAssembly engines. Probes
 * take their `#ifdef __wasi__` paths where WASI has no such call (fork, sockets).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { checkToolchain, ensureSysroot, wasiCompileCommand } from "../../scripts/build-examples.ts";
import { WASI_WORKLOADS } from "../paths.ts";
import { guestSources, isUpToDate } from "./workloads.ts";

let built = false;

/** Builds what is missing or stale; returns the folder holding the modules. */
export function buildWasiWorkloads(): string {
  if (built) return WASI_WORKLOADS;
  for (const source of guestSources()) compileWasi(source.path, join(WASI_WORKLOADS, `${source.name}.wasm`), source.dependsOn);
  built = true;
  return WASI_WORKLOADS;
}

/**
 * Compiles one C source to a WASI command at `output` the way
 * scripts/build-examples.ts compiles the examples, unless `output` is newer
 * than the source and `dependsOn`. The module appears whole (written aside,
 * then renamed): parallel runs may build the same file.
 */
export function compileWasi(source: string, output: string, dependsOn: readonly string[] = []): void {
  if (isUpToDate(output, [source, ...dependsOn])) return;
  checkToolchain();
  ensureSysroot();
  mkdirSync(dirname(output), { recursive: true });
  const partial = `${output}.${process.pid}.partial`;
  const [compiler, ...flags] = wasiCompileCommand();
  execFileSync(compiler!, [...flags, "-o", partial, source], { stdio: ["ignore", "inherit", "inherit"] });
  renameSync(partial, output);
}
