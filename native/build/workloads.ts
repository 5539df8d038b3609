/**
 * Compiles the workloads, the probes and the Landlock launcher as static
 * x86-64 binaries into build/native-workloads/. Static, because the sandboxes'
 * root filesystem has no libc; up-to-date outputs are skipped. The same
 * sources (but the launcher) are compiled to WASI by wasi-workloads.ts.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, symlinkSync } from "node:fs";
import { basename, join } from "node:path";
import { EXAMPLE_SOURCES, LAUNCHER_SOURCE, WORKLOAD_BIN, WORKLOAD_SOURCES } from "../paths.ts";
import { HOST_PYTHON, hasHostPython } from "./python.ts";

/** The examples shared with the WASI side; the others are native/workloads/*.c. */
const SHARED_EXAMPLES = ["cpu-bench.c", "fileio-bench.c", "syscall-bench.c"];

export interface Source {
  name: string;
  path: string;
  /** Files whose change must trigger a rebuild besides the source. */
  dependsOn: string[];
}

/** The workloads and probes, the programs that run in every sandbox, native and WASI. */
export function guestSources(): Source[] {
  const header = join(WORKLOAD_SOURCES, "probe.h");
  const own = readdirSync(WORKLOAD_SOURCES)
    .filter((file) => file.endsWith(".c"))
    .sort()
    .map((file) => ({ name: basename(file, ".c"), path: join(WORKLOAD_SOURCES, file), dependsOn: [header] }));
  const shared = SHARED_EXAMPLES.map((file) => ({ name: basename(file, ".c"), path: join(EXAMPLE_SOURCES, file), dependsOn: [] }));
  return [...own, ...shared];
}

export function workloadSources(): Source[] {
  return [...guestSources(), { name: "landlock-seccomp", path: LAUNCHER_SOURCE, dependsOn: [] }];
}

export function isUpToDate(output: string, inputs: readonly string[]): boolean {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return inputs.every((input) => statSync(input).mtimeMs <= built);
}

/** Builds what is missing or stale; returns the folder holding the binaries. */
export function buildWorkloads(): string {
  mkdirSync(WORKLOAD_BIN, { recursive: true });
  for (const source of workloadSources()) {
    const output = join(WORKLOAD_BIN, source.name);
    if (isUpToDate(output, [source.path, ...source.dependsOn])) continue;
    // Compile beside the target and rename: a concurrent reader never sees half a binary.
    const partial = `${output}.${process.pid}.partial`;
    execFileSync("cc", ["-O2", "-static", "-Wall", "-Wextra", "-o", partial, source.path], {
      stdio: ["ignore", "inherit", "inherit"],
    });
    renameSync(partial, output);
  }
  // The Python workload's program: the host's interpreter, beside the binaries (the rootfs has its own copy).
  const python = join(WORKLOAD_BIN, "python3");
  if (hasHostPython() && !existsSync(python)) symlinkSync(HOST_PYTHON, python);
  return WORKLOAD_BIN;
}
