/**
 * Compiles the same workload and probe sources as workloads.ts to WASI
 * (clang-16, the clean wasi-libc sysroot and flags of scripts/build-examples.ts)
 * into build/wasi-workloads/<name>.wasm, for the WebAssembly engines. Probes
 * take their `#ifdef __wasi__` paths where WASI has no such call (fork, sockets).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { checkToolchain, ensureSysroot, wasiCompileCommand } from "../../scripts/build-examples.ts";
import { WASI_WORKLOADS } from "../paths.ts";
import { guestSources, isUpToDate } from "./workloads.ts";

let built = false;

/** Builds what is missing or stale; returns the folder holding the modules. */
export function buildWasiWorkloads(): string {
  if (built) return WASI_WORKLOADS;
  checkToolchain();
  ensureSysroot();
  mkdirSync(WASI_WORKLOADS, { recursive: true });
  const [compiler, ...flags] = wasiCompileCommand();
  for (const source of guestSources()) {
    const output = join(WASI_WORKLOADS, `${source.name}.wasm`);
    if (isUpToDate(output, [source.path, ...source.dependsOn])) continue;
    const partial = `${output}.${process.pid}.partial`;
    execFileSync(compiler!, [...flags, "-o", partial, source.path], { stdio: ["ignore", "inherit", "inherit"] });
    renameSync(partial, output);
  }
  built = true;
  return WASI_WORKLOADS;
}
