import type { RunHandle, Sandbox } from "../engine/engine.ts";
import { EXIT_CODE, type RunObserver, type RunRequest, type RunResult } from "../types.ts";
import { Workspace, WORKSPACE_ROOT, type Mount } from "../workspace/index.ts";
import { readTar } from "./tar.ts";

/** C, compiled in the sandbox by clang and wasm-ld (the `clang` runtime), then run as a WASI module. */
export const C_LANGUAGE = {
  title: "C (clang 22)",
  runtime: "clang",
  extensions: [".c"],
  editorLanguage: "c",
  sourcePath: `${WORKSPACE_ROOT}/main.c`,
} as const;

const OBJECT_PATH = `${WORKSPACE_ROOT}/main.o`;
const MODULE_PATH = `${WORKSPACE_ROOT}/main.wasm`;
/** clang's resource folder and sysroot, as YoWASP's build expects them. */
const RESOURCES = "/usr";
const TRIPLE_LIBS = `${RESOURCES}/lib/wasm32-wasip1`;
const BUILTINS = `${RESOURCES}/lib/wasm32-unknown-wasip1/libclang_rt.builtins.a`;

/** The compiler's command lines; `clang -c` compiles in-process, and WASI cannot spawn the linker, so it runs next. */
const STEPS = [
  { command: "clang", args: ["-c", C_LANGUAGE.sourcePath, "-o", OBJECT_PATH, "-O2"] },
  {
    command: "wasm-ld",
    args: ["-m", "wasm32", `-L${TRIPLE_LIBS}`, `${TRIPLE_LIBS}/crt1-command.o`, OBJECT_PATH, "-lc", BUILTINS, "-o", MODULE_PATH],
  },
] as const;

/**
 * Each compile step's own time limit. Compiling (and, on a first run, fetching and
 * compiling clang itself) never counts against the program's time limit, which
 * covers only the program's run; a compiler that hangs still ends.
 */
export const COMPILE_STEP_LIMIT_MS = 120_000;

/** The longest a C run may take in all: every compile step at its limit, then the program at `timeoutMs`. */
export function cRunBudgetMs(timeoutMs: number): number {
  return timeoutMs + STEPS.length * COMPILE_STEP_LIMIT_MS;
}

/**
 * The resources tar (headers, wasi-libc, compiler-rt; public/runtimes/clang-resources.tar)
 * as a read-only mount at /usr, where clang looks by default. Build it once and reuse it:
 * its file bytes are shared, not copied, by every run.
 */
export function clangResourcesMount(tar: Uint8Array): Mount {
  const tree = new Workspace({ bytes: 2 * tar.length, entries: 10_000 });
  for (const entry of readTar(tar)) {
    if (entry.kind === "dir") tree.mkdir(entry.path);
    else tree.writeFile(entry.path, entry.data);
  }
  return { path: RESOURCES, files: tree.snapshot(), readOnly: true };
}

let resourcesSource: (() => Promise<Uint8Array>) | undefined;
let resourcesMount: Promise<Mount> | undefined;

/**
 * Where the host (the sandbox worker, the CLI) gets clang-resources.tar from; read
 * on the first C run and kept for the next ones.
 */
export function setClangResourcesSource(source: () => Promise<Uint8Array>): void {
  resourcesSource = source;
  resourcesMount = undefined;
}

/** The resources mount, loading it on first use through the host's source. */
export function clangResources(): Promise<Mount> {
  if (!resourcesSource) return Promise.reject(new Error("C needs clang's resources, and this host gives no source for them"));
  if (!resourcesMount) {
    resourcesMount = resourcesSource().then(clangResourcesMount);
    resourcesMount.catch(() => (resourcesMount = undefined));
  }
  return resourcesMount;
}

/**
 * Compiles `code` as /workspace/main.c and links it in the sandbox (the same
 * filesystem and policy as the program, each step under COMPILE_STEP_LIMIT_MS;
 * the request's time limit is the program's alone), then runs main.wasm with the
 * request's arguments and stdin. Like any raw WASI module, the program starts in
 * "/" (wasi-libc's default): relative paths are not the workspace's. A compile or link error is that step's result:
 * the compiler's stderr (file:line:col: error: …) and its non-zero status.
 */
export function compileAndRunC(
  sandbox: Sandbox,
  request: Omit<RunRequest, "program">,
  code: string,
  resources: () => Promise<Mount> = clangResources,
  observer: RunObserver = {},
): RunHandle {
  let current: RunHandle | undefined;
  let stopped = false;
  const started = performance.now();
  const programLimit = request.timeoutMs ?? request.policy?.limits.wallMs;
  const step = (program: RunRequest["program"], extra: Partial<RunRequest>, workspace: RunRequest["workspace"]): Promise<RunResult> => {
    const timeoutMs = program.language === "wasm" ? programLimit : COMPILE_STEP_LIMIT_MS;
    current = sandbox.run(
      {
        ...request,
        program,
        ...(timeoutMs !== undefined && { timeoutMs }),
        ...(workspace && { workspace }),
        args: [],
        stdin: "",
        ...extra,
      },
      observer,
    );
    if (stopped) current.stop();
    return current.result;
  };

  const result = (async (): Promise<RunResult> => {
    const done: RunResult[] = [];
    // The resources mount is the compiler's, not the caller's: its tree stays out of the result.
    const finish = (last: RunResult) => combine(done, last, performance.now() - started, request.mounts?.length ?? 0);
    let workspace = request.workspace;
    if (workspace) {
      const tree = new Workspace({}, workspace);
      tree.writeFile("main.c", code);
      workspace = tree.snapshot();
    } else {
      await sandbox.writeFile(C_LANGUAGE.sourcePath, code);
    }
    let mounts: Mount[];
    try {
      mounts = [...(request.mounts ?? []), await resources()];
    } catch (error) {
      return finish({ ...emptyResult(), reason: "error", exitCode: EXIT_CODE.error, error: `could not load clang's resources: ${String(error)}` });
    }
    for (const { command, args } of STEPS) {
      const ran = await step({ language: "command", runtime: C_LANGUAGE.runtime, command }, { args: [...args], mounts, cwd: WORKSPACE_ROOT }, workspace);
      if (ran.reason !== "exited" || ran.exitCode !== 0) return finish(ran);
      done.push(ran);
      workspace = ran.workspace ?? workspace;
    }
    let module: Uint8Array;
    try {
      module = workspace ? new Workspace({}, workspace).readFile("main.wasm") : await sandbox.readFile(MODULE_PATH);
    } catch (error) {
      return finish({ ...emptyResult(), reason: "error", exitCode: EXIT_CODE.error, error: `the linker wrote no ${MODULE_PATH}: ${String(error)}` });
    }
    const { args = [], stdin } = request;
    return finish(await step({ language: "wasm", module, name: "main.wasm" }, { args, ...(stdin !== undefined && { stdin }) }, workspace));
  })();
  return {
    result,
    stop: () => {
      stopped = true;
      current?.stop();
    },
  };
}

/** The last step's result, with what the compiler and linker printed before it and the whole time taken. */
function combine(earlier: readonly RunResult[], last: RunResult, durationMs: number, callerMounts: number): RunResult {
  const { mounts, ...rest } = last;
  return {
    ...rest,
    ...(mounts && callerMounts > 0 && { mounts: mounts.slice(0, callerMounts) }),
    stdout: earlier.map((r) => r.stdout).join("") + last.stdout,
    stderr: earlier.map((r) => r.stderr).join("") + last.stderr,
    audit: [...earlier.flatMap((r) => r.audit ?? []), ...(last.audit ?? [])],
    durationMs,
  };
}

function emptyResult(): RunResult {
  return { exitCode: 0, reason: "exited", stdout: "", stderr: "", stdoutTruncated: false, stderrTruncated: false, durationMs: 0 };
}
