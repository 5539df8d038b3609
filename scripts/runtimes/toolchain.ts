import { execFile } from "node:child_process";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { checkToolchain, ensureSysroot, onPath, ROOT, SYSROOT } from "../build-examples.ts";

export { onPath };

const execFileAsync = promisify(execFile);

export const SHIMS_DIR = join(ROOT, "runtimes/shims");
export const PATCHES_DIR = join(ROOT, "runtimes/patches");
/** Fresh per build: sources are copied here, patched and compiled. */
export const WORK_DIR = join(ROOT, "build/runtime-work");

/** The shims every runtime build uses; they are inputs of every C runtime. */
export const SHIM_FILES = [
  "wasi-posix.h",
  "wasi-posix.c",
  "wasm-sjlj.c",
  "include/pthread.h",
  "include/dlfcn.h",
  "include/setjmp.h",
  "include/termios.h",
  "include/sys/wait.h",
].map((file) => join(SHIMS_DIR, file));

/** For sources that use setjmp/longjmp (include/setjmp.h): link wasm-sjlj.c too. Needs wasm exception handling in the engine. */
export const SJLJ_FLAGS = ["-mllvm", "-wasm-enable-sjlj", "-mexception-handling"];
export const TOOLCHAIN_FILES = [join(ROOT, "scripts/runtimes/toolchain.ts"), join(ROOT, "scripts/build-examples.ts")];

/** What this machine lacks to compile C to WASI, or undefined. */
export function missingWasiToolchain(): string | undefined {
  try {
    checkToolchain();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Compiler flags for upstream C sources: the clean sysroot plus the shims, warnings off (not our code). */
export function wasiCFlags(): string[] {
  return [
    "--target=wasm32-wasi",
    `--sysroot=${SYSROOT}`,
    "-O2",
    "-w",
    `-I${join(SHIMS_DIR, "include")}`,
    "-include",
    join(SHIMS_DIR, "wasi-posix.h"),
    "-D_WASI_EMULATED_SIGNAL",
    "-D_WASI_EMULATED_PROCESS_CLOCKS",
    "-D_WASI_EMULATED_GETPID",
  ];
}

/** Runs a command; on failure the error carries the end of its output, which names the problem. */
export async function run(command: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd, env: env ?? process.env, maxBuffer: 64 << 20 });
    return stdout;
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    const tail = `${stdout}\n${stderr}`.trim().split("\n").slice(-25).join("\n");
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${tail}`, { cause: error });
  }
}

/** Runs jobs with at most one per core: the machine is shared. */
export async function inParallel<T>(jobs: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), jobs.length) }, worker));
  return results;
}

/**
 * Compiles each C source (relative to cwd) to WASI objects in cwd, the shims included;
 * returns the object paths. `only` adds flags for single sources.
 */
export async function compileToWasi(
  cwd: string,
  sources: readonly string[],
  flags: readonly string[] = [],
  only: Readonly<Record<string, readonly string[]>> = {},
): Promise<string[]> {
  const all = [...sources, join(SHIMS_DIR, "wasi-posix.c")];
  // On a fresh checkout the runtimes build before the examples, which otherwise make it.
  ensureSysroot();
  return inParallel(
    all.map((source, index) => async () => {
      const object = join(cwd, `${index}-${basename(source, ".c")}.wasm.o`);
      await run("clang-16", [...wasiCFlags(), ...flags, ...(only[source] ?? []), "-c", "-o", object, source], cwd);
      return object;
    }),
  );
}

/**
 * Links a WASI command. The default 64 KiB stack is too small for interpreters'
 * recursion (QuickJS checks against 256 KiB), so it gets 1 MiB.
 */
export async function linkWasi(cwd: string, objects: readonly string[], output: string, libs: readonly string[] = []): Promise<void> {
  await run(
    "clang-16",
    [
      "--target=wasm32-wasi",
      `--sysroot=${SYSROOT}`,
      "-Wl,-z,stack-size=1048576",
      "-o",
      output,
      ...objects,
      ...libs,
      "-lwasi-emulated-signal",
      "-lwasi-emulated-process-clocks",
      "-lwasi-emulated-getpid",
    ],
    cwd,
  );
}

/** Applies one of runtimes/patches/ to a source tree. */
export async function applyPatch(dir: string, patch: string): Promise<void> {
  await run("patch", ["-p1", "--forward", "--silent", "-i", join(PATCHES_DIR, patch)], dir);
}
