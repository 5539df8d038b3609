/**
 * The differential WASI harness: C programs that make every preview1 call
 * (test/fixtures/wasi-diff/, through wasi/api.h so each errno is the raw one)
 * run under Node's own WASI (`node:wasi`, uvwasi over a real temporary folder),
 * then under both engines; exit code and each case's line are compared.
 * Where Node departs from the WASI spec (or from POSIX, whose meaning
 * preview1's calls and errnos carry), the spec's answer is expected instead,
 * with the reason below. The gated engine must give the expected answer on
 * every case; the wasmer engine's differences are exactly those listed in
 * wasm-runtime/engine/wasi-differences.ts (the capability matrix shows them).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileWasi } from "../../native/build/wasi-workloads.ts";
import { ROOT } from "../../scripts/build-examples.ts";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import { WASMER_WASI_DIFFERENCES } from "../../wasm-runtime/engine/wasi-differences.ts";
import { PRESETS } from "../../wasm-runtime/policy/index.ts";
import type { Engine, EngineName } from "../../wasm-runtime/index.ts";
import { runReference } from "../support/wasi-reference.ts";

const FIXTURES = join(ROOT, "test/fixtures/wasi-diff");
const BUILD = join(ROOT, "build/wasi-diff");

/** Many variables, some awkward: empty, `=` in the value, non-ASCII, long. */
const MANY_VARIABLES: Record<string, string> = {
  ...Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`VAR_${i}`, `value ${i}`])),
  EMPTY: "",
  EQUALS: "a=b=c",
  UNICODE: "héllo wörld ✓",
  LONG: "x".repeat(5000),
};

interface Scenario {
  label: string;
  program: "files" | "paths" | "process";
  /** After the runtime's name, which every program takes first. */
  args: string[];
  env: Record<string, string>;
}

const SCENARIOS: Scenario[] = [
  { label: "files", program: "files", args: ["workspace/files"], env: {} },
  { label: "paths", program: "paths", args: ["workspace/paths"], env: {} },
  { label: "process", program: "process", args: ["workspace/poll.txt", "3"], env: {} },
  { label: "process-env", program: "process", args: ["workspace/poll.txt", "0", "one arg", "ünïcode"], env: MANY_VARIABLES },
];

/**
 * Where node:wasi is wrong, the line the spec calls for, and why, keyed
 * `<program>/<case>` (for every scenario of the program). A case skipped
 * under the reference because it hangs or crashes there has its line here too.
 */
const SPEC: Record<string, { line: string; why: string }> = {
  "files/fdstat_root": {
    line: "fdstat_root: SUCCESS type=dir flags=0 rights=fbffe98 inheriting=fffffff",
    why: "fs_flags are fdflags (append, dsync, nonblock, rsync, sync); uvwasi reports the host's open(2) flags (O_LARGEFILE)",
  },
  "files/fdstat_file": {
    line: "fdstat_file: SUCCESS type=file flags=0 rights=8e001ff inheriting=0",
    why: "the same: O_RDWR|O_LARGEFILE read as fdflags would be dsync and more",
  },
  "files/append_flag_reported": { line: "append_flag_reported: 1", why: "fdflags.append alone, without host bits" },
  "files/open_empty_path": { line: "open_empty_path: NOENT", why: "an empty path names no file: ENOENT in POSIX; uvwasi answers EINVAL" },
  "paths/list_empty": { line: "list_empty: SUCCESS n=2 .(dir) ..(dir)", why: "fd_readdir is readdir(3), which lists . and .. (as native Linux and wasmtime do); libuv's scandir, under node:wasi, leaves them out" },
  "paths/list_full": { line: "list_full: SUCCESS n=18 .(dir) ..(dir) a(file) bb(file) file-00(file) file-01(file) file-02(file) file-03(file) file-04(file) file-05(file) file-06(file) file-07(file) file-08(file) file-09(file) file-10(file) file-11(file) link(symlink) sub(dir)", why: "fd_readdir is readdir(3), which lists . and .. (as native Linux and wasmtime do); libuv's scandir, under node:wasi, leaves them out" },
  "paths/list_small_buffer": { line: "list_small_buffer: SUCCESS n=18 .(dir) ..(dir) a(file) bb(file) file-00(file) file-01(file) file-02(file) file-03(file) file-04(file) file-05(file) file-06(file) file-07(file) file-08(file) file-09(file) file-10(file) file-11(file) link(symlink) sub(dir)", why: "fd_readdir is readdir(3), which lists . and .. (as native Linux and wasmtime do); libuv's scandir, under node:wasi, leaves them out" },
  "paths/list_from_cookie_3": { line: "list_from_cookie_3: SUCCESS n=15", why: "fd_readdir is readdir(3), which lists . and .. (as native Linux and wasmtime do); libuv's scandir, under node:wasi, leaves them out" },
  "paths/list_after_unlink_from_cookie": { line: "list_after_unlink_from_cookie: SUCCESS n=12", why: "fd_readdir is readdir(3), which lists . and .. (as native Linux and wasmtime do); libuv's scandir, under node:wasi, leaves them out" },
  "paths/stat_dot_in_file": {
    line: "stat_dot_in_file: NOTDIR",
    why: "`f/.` needs f to be a directory; uvwasi drops the `.` lexically and stats the file",
  },
  "paths/rmdir_dot": { line: "rmdir_dot: INVAL", why: "POSIX rmdir refuses a path ending in `.`; uvwasi removes the directory" },
  "paths/readlink_truncated": {
    line: "readlink_truncated: SUCCESS used=3 target=d/i",
    why: "path_readlink is readlinkat(2) (the spec says so), which truncates to the buffer; uvwasi fails with ENOBUFS",
  },
  "paths/open_link_nofollow": {
    line: "open_link_nofollow: LOOP",
    why: "without lookupflags.symlink_follow the final symlink is not expanded, and a symlink cannot be opened as a file (O_NOFOLLOW: ELOOP); uvwasi follows it",
  },
  "paths/open_dangling_create": {
    line: "open_dangling_create: EXIST",
    why: "O_CREAT|O_EXCL fails when the name exists, a dangling symlink included; uvwasi creates the file the link points to",
  },
  "paths/path_times_invalid": {
    line: "path_times_invalid: INVAL",
    why: "a time and `now` for the same field is invalid; uvwasi says so but keeps the directory locked, and later aborts the process (skipped there)",
  },
  "process/environ_get": { line: "environ_get: SUCCESS", why: "an empty environment is read like any other; uvwasi answers EINVAL" },
  "process/poll_absolute_past": {
    line: "poll_absolute_past: SUCCESS n=1 [ud=8 type=0 err=SUCCESS]",
    why: "an absolute time already past is due at once; uvwasi never returns (skipped there)",
  },
  "process/poll_unknown_clock": {
    line: "poll_unknown_clock: SUCCESS n=1 [ud=10 type=0 err=INVAL]",
    why: "an unknown clock is an invalid argument, as in clock_time_get; uvwasi reports it due",
  },
  "process/poll_file_write": {
    line: "poll_file_write: SUCCESS n=1 [ud=11 type=2 err=SUCCESS bytes=0]",
    why: "a regular file is always ready (POSIX poll); uvwasi's epoll refuses regular files (EPERM)",
  },
  "process/poll_bad_fd": {
    line: "poll_bad_fd: SUCCESS n=1 [ud=12 type=1 err=BADF]",
    why: "the event of a subscription on no descriptor carries EBADF and its userdata; uvwasi returns a zeroed event",
  },
  "process/poll_fd_and_clock": {
    line: "poll_fd_and_clock: SUCCESS n=1 [ud=13 type=2 err=SUCCESS bytes=0]",
    why: "the ready file is reported at once; uvwasi fails with EPERM as above",
  },
  ...Object.fromEntries(
    [
      ["sock_accept_stdout", "NOTSOCK"],
      ["sock_recv_stdin", "NOTSOCK"],
      ["sock_send_stdout", "NOTSOCK"],
      ["sock_shutdown_stdout", "NOTSOCK"],
      ["sock_send_bad_fd", "BADF"],
    ].map(([name, errno]) => [
      `process/${name}`,
      { line: `${name}: ${errno}`, why: "a descriptor that is not a socket: ENOTSOCK (POSIX); no descriptor: EBADF. Node's WASI crashes with SIGSEGV here (skipped there)" },
    ]),
  ),
};

type Outcome = Map<string, string>;

/** Case → line, plus the exit code, for one run; cases are keyed `<scenario>/<name>`. */
function outcome(label: string, exitCode: number, stdout: string): Outcome {
  const cases: Outcome = new Map([[`${label}/exit`, `exit: ${exitCode}`]]);
  for (const line of stdout.split("\n").filter(Boolean)) cases.set(`${label}/${line.slice(0, line.indexOf(":"))}`, line);
  return cases;
}

/** For every case of either side, whether `actual` gives the `expected` line. */
function compare(expected: Outcome, actual: Outcome): { matched: string[]; differing: string[] } {
  const keys = [...new Set([...expected.keys(), ...actual.keys()])];
  const matched = keys.filter((key) => expected.get(key) === actual.get(key));
  return { matched, differing: keys.filter((key) => !matched.includes(key)) };
}

const modules = new Map<string, Uint8Array>();
const expected: Outcome = new Map();
const engines = new Map<EngineName, Engine>();
let scratch = "";

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "playpen-wasi-diff-"));
  for (const program of new Set(SCENARIOS.map((s) => s.program))) {
    const output = join(BUILD, `${program}.wasm`);
    compileWasi(join(FIXTURES, `${program}.c`), output, [join(FIXTURES, "report.h")]);
    modules.set(program, new Uint8Array(readFileSync(output)));
  }
  for (const scenario of SCENARIOS) {
    const root = join(scratch, scenario.label);
    mkdirSync(join(root, "workspace"), { recursive: true });
    const module = new WebAssembly.Module(modules.get(scenario.program)! as Uint8Array<ArrayBuffer>);
    const run = runReference(module, scenario.program, { args: ["reference", ...scenario.args], env: scenario.env, root });
    for (const [key, line] of outcome(scenario.label, run.exitCode, run.stdout)) expected.set(key, line);
  }
  for (const [key, line] of perScenario(SPEC)) expected.set(key, line);
}, 120_000);

/** `<program>/<case>` entries as `<scenario>/<case>` keys, for each scenario running the program (a scenario's own key stays). */
function perScenario(entries: Record<string, { line: string }>): Map<string, string> {
  const keyed = new Map<string, string>();
  for (const [key, { line }] of Object.entries(entries)) {
    const [prefix, name] = key.split("/");
    for (const scenario of SCENARIOS.filter((s) => s.program === prefix || s.label === prefix)) keyed.set(`${scenario.label}/${name}`, line);
  }
  return keyed;
}

afterAll(async () => {
  for (const engine of engines.values()) await engine.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Each scenario on the gated engine, in this process. */
async function runGated(): Promise<Outcome> {
  const engine = createNodeEngine("gated");
  engines.set("gated", engine);
  const cases: Outcome = new Map();
  for (const scenario of SCENARIOS) {
    const sandbox = await engine.createSandbox({ env: scenario.env });
    try {
      // The gated engine grants what node:wasi's preopen of "/" does: every file, every variable.
      const policy = PRESETS.find((p) => p.id === "open")!.policy;
      const program = { language: "wasm" as const, module: modules.get(scenario.program)!, name: scenario.program };
      const result = await sandbox.run({ program, args: ["gated", ...scenario.args], policy, timeoutMs: 60_000 }).result;
      expect(result.error).toBeUndefined();
      for (const [key, line] of outcome(scenario.label, result.exitCode, result.stdout)) cases.set(key, line);
    } finally {
      await sandbox.close();
    }
  }
  return cases;
}

/**
 * Each scenario on the wasmer engine, in a child process: @wasmer/sdk now and
 * then aborts its process (a Rust assertion), which is retried once and counted.
 */
async function runWasmer(): Promise<{ cases: Outcome; aborts: number }> {
  const cases: Outcome = new Map();
  let aborts = 0;
  for (const scenario of SCENARIOS) {
    const job = { module: join(BUILD, `${scenario.program}.wasm`), name: scenario.program, args: ["wasmer", ...scenario.args], env: scenario.env };
    let result: { exitCode: number; stdout: string; error?: string } | undefined;
    for (let attempt = 0; attempt < 2 && !result; attempt++) {
      result = await wasmerChild(job);
      if (!result) aborts++;
    }
    expect(result, `the wasmer engine's process died twice on ${scenario.label}`).toBeDefined();
    expect(result!.error).toBeUndefined();
    for (const [key, line] of outcome(scenario.label, result!.exitCode, result!.stdout)) cases.set(key, line);
  }
  return { cases, aborts };
}

function wasmerChild(job: object): Promise<{ exitCode: number; stdout: string; error?: string } | undefined> {
  const script = join(ROOT, "test/support/wasmer-wasi-run.ts");
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", script, JSON.stringify(job)], { cwd: ROOT, timeout: 120_000, maxBuffer: 16 << 20 }, (error, stdout) =>
      resolve(error ? undefined : (JSON.parse(stdout) as { exitCode: number; stdout: string; error?: string })),
    );
  });
}

describe("WASI preview1 against node:wasi, case by case", () => {
  it("the reference ran every program to its end", () => {
    expect(expected.get("files/exit")).toBe("exit: 0");
    expect(expected.get("paths/exit")).toBe("exit: 0");
    expect(expected.get("process/exit")).toBe("exit: 3");
    expect(expected.get("process-env/environ_sizes")).toMatch(/^environ_sizes: SUCCESS count=154 /);
    expect(expected.get("process-env/environ_order")).toBe("environ_order: VAR_0 VAR_1 VAR_2 VAR_3 VAR_4 VAR_5 VAR_6 VAR_7");
    expect(expected.size).toBeGreaterThan(250);
  });

  it("the gated engine gives the expected answer on every case", async () => {
    const gated = await runGated();
    const { matched, differing } = compare(expected, gated);
    console.info(`wasi-diff gated: ${matched.length}/${expected.size} cases as node:wasi (corrected by the spec where it departs)`);
    expect(differing.map((key) => `${key}: expected ${expected.get(key)}, got ${gated.get(key)}`)).toEqual([]);
  }, 180_000);

  it("the wasmer engine differs exactly where wasi-differences.ts says", async () => {
    const { cases: wasmer, aborts } = await runWasmer();
    const { matched, differing } = compare(expected, wasmer);
    console.info(`wasi-diff wasmer: ${matched.length}/${expected.size} cases as expected (its process aborted ${aborts} times, retried)`);
    const listed = [...perScenario(Object.fromEntries(WASMER_WASI_DIFFERENCES.flatMap((d) => d.cases).map((key) => [key, { line: "" }]))).keys()];
    expect(differing.filter((key) => !listed.includes(key)).map((key) => `${key}: expected ${expected.get(key)}, got ${wasmer.get(key)}`)).toEqual([]);
    expect(listed.filter((key) => !differing.includes(key))).toEqual([]);
  }, 180_000);
});
