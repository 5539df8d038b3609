/**
 * Playpen's benchmarks: measures the performance targets of issue 2 (page,
 * CLI) and issue 3 (gated engine vs wasmer engine, in Node and in Chromium;
 * see engines.ts) on a production build and writes bench/results.json and the
 * figures in docs/benchmarks.md.
 *
 * Usage: npm run build && npx tsx bench/run.ts [--samples N] [--warmup N] [--cpu-iterations N] [--wait-idle SECONDS] [--only IDS] [--no-write] [--render-only]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg as osLoadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Page } from "playwright-core";
import { launchBrowser, startPreview, type Browser, type PreviewServer } from "../test/support/browser.ts";
import { NodeEngines, nodeCpu, nodeHello, nodeSyscall, pageCpu, pageGatedHello, pageSyscall, type EnginePaths } from "./engines.ts";
import { cpuBusy, CpuWatch, describeMachine } from "./lib/machine.ts";
import {
  browserVersion,
  chooseExample,
  coldLoad,
  revisit,
  elapsedPrinted,
  helloDone,
  lateOutputNote,
  LONG_RUN_LIMIT_S,
  LONG_RUN_WAIT_MS,
  openPage,
  pageEngine,
  QUICK_RUN_WAIT_MS,
  runOnce,
  setArgs,
  setEngine,
  setStdin,
  setTimeLimit,
  typeProgram,
  waitIdle,
} from "./lib/page.ts";
import { daemonSocketDir, stopDaemons, timedRunOk, type Timed } from "./lib/proc.ts";
import { fmt, renderFigures, updateDoc, type Benchmark, type Results, type Target } from "./lib/report.ts";
import { median, round, series } from "./lib/stats.ts";
import { clockNote, expectOk, field, log, repeat, sameChecksums } from "./lib/steps.ts";

const ROOT = path.resolve(fileURLToPath(import.meta.url), "../..");
const DIST = path.join(ROOT, "dist");
const NATIVE = path.join(ROOT, "build/native");
const PLAYPEN_BIN = path.join(ROOT, "cli/bin/playpen.mjs");
const RESULTS_PATH = path.join(ROOT, "bench/results.json");
const DOC_PATH = path.join(ROOT, "docs/benchmarks.md");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Every benchmark, in the order they run; `--only` takes a comma-separated list of these. */
const BENCHMARK_IDS = [
  "cli-hello",
  "gated-hello-node",
  "engines-cpu-node",
  "engines-syscall-node",
  "page-ready-cold",
  "python-revisit",
  "python-print-warm",
  "python-cpu",
  "hello-c-warm",
  "gated-hello-page",
  "cpu-bench",
  "engines-syscall-page",
  "fileio-bench",
  "ruby-hello",
  "c-hello",
  "quickjs-hello",
  "sqlite-hello",
  "lua-hello",
  "python-hello",
  "busybox-applet",
  "shell-pipeline",
] as const;
type BenchmarkId = (typeof BENCHMARK_IDS)[number];

/** The order of the figures in the doc: issue 2's, the engine comparisons, then the informative ones. */
const DOC_ORDER: readonly BenchmarkId[] = [
  "hello-c-warm",
  "python-print-warm",
  "cpu-bench",
  "page-ready-cold",
  "python-revisit",
  "cli-hello",
  "gated-hello-node",
  "gated-hello-page",
  "engines-cpu-node",
  "engines-syscall-node",
  "engines-syscall-page",
  "python-cpu",
  "fileio-bench",
  "ruby-hello",
  "c-hello",
  "quickjs-hello",
  "sqlite-hello",
  "lua-hello",
  "python-hello",
  "busybox-applet",
  "shell-pipeline",
];

/** The order of the targets table, by benchmark id and issue. */
const TARGET_ORDER = [
  "hello-c-warm:2",
  "python-print-warm:2",
  "cpu-bench:2",
  "page-ready-cold:2",
  "cli-hello:2",
  "gated-hello-node:3",
  "gated-hello-page:3",
  "engines-cpu-node:3",
  "cpu-bench:3",
  "engines-syscall-node:3",
  "engines-syscall-page:3",
  "quickjs-hello:4",
  "sqlite-hello:4",
  "lua-hello:4",
  "busybox-applet:4",
  "python-hello:4",
  "shell-pipeline:4",
];

function targetRank(target: Target): number {
  const rank = TARGET_ORDER.indexOf(`${target.id}:${target.issue}`);
  return rank < 0 ? TARGET_ORDER.length : rank;
}

interface Config {
  samples: number;
  quickSamples: number;
  warmup: number;
  cpuIterations: number;
  primesLimit: number;
  fileioCount: number;
  syscallWrites: number;
  syscallOpens: number;
  /** The benchmarks to run: all of them unless --only names some (and then nothing is written). */
  only: ReadonlySet<BenchmarkId>;
  /** Wait up to this long for the machine to be idle (other work under 20% of the CPUs) before starting. */
  waitIdleS: number;
  write: boolean;
  /** Only rewrite the doc's figures from bench/results.json. */
  renderOnly: boolean;
}

function parseConfig(): Config {
  const { values } = parseArgs({
    options: {
      samples: { type: "string", default: "7" },
      warmup: { type: "string", default: "2" },
      "cpu-iterations": { type: "string", default: "500" },
      "no-write": { type: "boolean", default: false },
      "wait-idle": { type: "string", default: "0" },
      "render-only": { type: "boolean", default: false },
      only: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log("usage: npx tsx bench/run.ts [--samples N (≥ 5)] [--warmup N] [--cpu-iterations N] [--wait-idle SECONDS] [--only ID,...] [--no-write] [--render-only]");
    console.log(`benchmark ids for --only (which implies --no-write): ${BENCHMARK_IDS.join(", ")}`);
    process.exit(0);
  }
  const int = (name: string, value: string, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, not "${value}"`);
    return n;
  };
  const samples = int("samples", values.samples, 5);
  const only = values.only === undefined ? BENCHMARK_IDS : values.only.split(",").map((id) => id.trim());
  const unknown = only.filter((id) => !(BENCHMARK_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) throw new Error(`--only: unknown benchmark(s) ${unknown.join(", ")}; known: ${BENCHMARK_IDS.join(", ")}`);
  return {
    samples,
    quickSamples: samples * 3,
    warmup: int("warmup", values.warmup, 1),
    cpuIterations: int("cpu-iterations", values["cpu-iterations"], 1),
    primesLimit: 2_000_000,
    fileioCount: 500,
    syscallWrites: 100_000,
    syscallOpens: 10_000,
    only: new Set(only as BenchmarkId[]),
    waitIdleS: int("wait-idle", values["wait-idle"], 0),
    // A partial run must not replace the full record.
    write: !values["no-write"] && values.only === undefined,
    renderOnly: values["render-only"],
  };
}

/** The C programs the benchmarks run, built to WASI and natively by `npm run build` (scripts/build-examples.ts). */
const C_EXAMPLES = ["hello", "cpu-bench", "fileio-bench", "syscall-bench"];

/** Everything the benchmarks need from `npm run build`, checked before anything starts. */
function preflight(): void {
  const needed = [
    path.join(DIST, "index.html"),
    ...C_EXAMPLES.map((name) => path.join(DIST, "examples", `${name}.wasm`)),
    path.join(DIST, "runtimes/python.wasm"),
    ...C_EXAMPLES.map((name) => path.join(NATIVE, name)),
    path.join(ROOT, "public/runtimes/python.wasm"),
  ];
  const missing = needed.filter((file) => !existsSync(file)).map((file) => path.relative(ROOT, file));
  if (missing.length > 0) throw new Error(`missing build outputs: ${missing.join(", ")}. Run npm run build first.`);
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
}

// ---------------------------------------------------------------------------
// Page benchmarks

async function helloC(page: Page, config: Config): Promise<{ benchmark: Benchmark; target: Target }> {
  await chooseExample(page, "hello");
  const runs = await repeat("hello (WASI) warm", config.warmup + 1, config.quickSamples, async () => {
    const run = expectOk("hello", await runOnce(page, QUICK_RUN_WAIT_MS, helloDone));
    if (!run.stdout.startsWith("Hello from WASI!")) throw new Error(`hello: unexpected stdout ${JSON.stringify(run.stdout)}`);
    return run;
  });
  const duration = series("worker run duration (data-duration-ms)", runs.map((r) => r.durationMs));
  const roundTrip = series("page round trip, click → exit status", runs.map((r) => r.roundTripMs));
  return {
    benchmark: {
      id: "hello-c-warm",
      title: "Warm run of the hello C program (WASI) in the page",
      method:
        "The `hello` example (args `one 'two words'`) run repeatedly from the Run button of one page, after warm-up runs. The worker duration is measured in the sandbox worker from spawn to exit; the round trip in the page, from the click to the rendered exit status (it includes fetching the module from the HTTP cache, the worker messages and React's render).",
      series: [duration, roundTrip],
      notes: lateOutputNote(runs),
    },
    target: {
      id: "hello-c-warm",
      issue: 2,
      requirement: "Warm run of the hello C program in the worker",
      limit: "≤ 15 ms",
      measured: fmt(duration.median, "ms"),
      basis: `median worker duration of ${duration.samples.length} runs (page round trip: ${fmt(roundTrip.median, "ms")})`,
      pass: duration.median <= 15,
    },
  };
}

async function pythonPrint(page: Page, config: Config): Promise<{ benchmark: Benchmark; target: Target }> {
  await chooseExample(page, "hello-py");
  await typeProgram(page, "print(1)");
  await setArgs(page, "");
  await setStdin(page, "");
  const runs = await repeat("print(1) warm", config.warmup + 1, config.quickSamples, async () => {
    const run = expectOk("print(1)", await runOnce(page, QUICK_RUN_WAIT_MS, (stdout) => stdout === "1\n"));
    if (run.stdout !== "1\n") throw new Error(`print(1): unexpected stdout ${JSON.stringify(run.stdout)} (did typing into Monaco work?)`);
    return run;
  });
  const duration = series("worker run duration (data-duration-ms)", runs.map((r) => r.durationMs));
  const roundTrip = series("page round trip, click → exit status", runs.map((r) => r.roundTripMs));
  return {
    benchmark: {
      id: "python-print-warm",
      title: "Warm `print(1)` in Python (the page's `python -c \"print(1)\"`)",
      method:
        "The program `print(1)` typed into Monaco (no args, no stdin), run repeatedly from the Run button after warm-up runs: each run starts a fresh CPython interpreter in the sandbox (the runtime module is already compiled).",
      series: [duration, roundTrip],
      notes: lateOutputNote(runs),
    },
    target: {
      id: "python-print-warm",
      issue: 2,
      requirement: 'Warm `python -c "print(1)"` equivalent in the page',
      limit: "≤ 250 ms",
      measured: fmt(roundTrip.median, "ms"),
      basis: `median page round trip (click → status) of ${roundTrip.samples.length} runs (worker duration: ${fmt(duration.median, "ms")})`,
      pass: roundTrip.median <= 250,
    },
  };
}

async function fileioBench(page: Page, config: Config, scratch: string): Promise<Benchmark> {
  const count = String(config.fileioCount);
  await chooseExample(page, "fileio-bench");
  await setEngine(page, "wasmer");
  await setArgs(page, `/workspace/fileio-bench ${count}`);
  await setTimeLimit(page, LONG_RUN_LIMIT_S);
  const native = path.join(NATIVE, "fileio-bench");
  const nativeDir = path.join(scratch, "fileio-bench");
  const pairs = await repeat("fileio-bench native vs WASI", config.warmup, config.samples, async () => {
    const nativeRun = await timedRunOk(native, [nativeDir, count], { timeoutMs: LONG_RUN_WAIT_MS });
    const wasiRun = expectOk("fileio-bench", await runOnce(page, LONG_RUN_WAIT_MS, elapsedPrinted));
    return { nativeRun, wasiRun };
  });
  const checksum = sameChecksums("fileio-bench", [
    ...pairs.map((p) => field(p.nativeRun.stdout, "checksum", "native fileio-bench")),
    ...pairs.map((p) => field(p.wasiRun.stdout, "checksum", "WASI fileio-bench")),
  ]);
  const phases = ["write_ms", "read_ms", "stat_ms", "delete_ms", "elapsed_ms"];
  const phaseSeries = phases.flatMap((name) => [
    series(`native: ${name}`, pairs.map((p) => Number(field(p.nativeRun.stdout, name, "native fileio-bench")))),
    series(`WASI: ${name}`, pairs.map((p) => Number(field(p.wasiRun.stdout, name, "WASI fileio-bench")))),
  ]);
  const nativeElapsed = median(pairs.map((p) => Number(field(p.nativeRun.stdout, "elapsed_ms", "native"))));
  const wasiElapsed = median(pairs.map((p) => Number(field(p.wasiRun.stdout, "elapsed_ms", "WASI"))));
  return {
    id: "fileio-bench",
    title: `File I/O (informative): WASI in Chromium vs native (fileio-bench, ${count} files of 4 KiB)`,
    method: `\`examples/c/fileio-bench.c\` writes, reads back, stats and deletes ${count} files; WASI in the sandbox's in-memory /workspace, natively in \`${tmpdir()}\`. Alternating runs after ${config.warmup} warm-up pair(s); figures are the phase times the program prints.`,
    series: [
      ...phaseSeries,
      series("native: wall, spawn → exit", pairs.map((p) => p.nativeRun.wallMs)),
      series("WASI: worker run duration", pairs.map((p) => p.wasiRun.durationMs)),
    ],
    notes: [
      `Checksum ${checksum} in every run.`,
      `Ratio of median elapsed_ms, WASI / native: ${(wasiElapsed / nativeElapsed).toFixed(2)}×.`,
      ...clockNote(pairs.flatMap((p) => phases.map((name) => Number(field(p.wasiRun.stdout, name, "WASI fileio-bench"))))),
      ...lateOutputNote(pairs.map((p) => p.wasiRun)),
    ],
  };
}

async function pythonCpu(page: Page, config: Config, python: string): Promise<Benchmark> {
  const limit = String(config.primesLimit);
  const script = path.join(ROOT, "examples/python/primes.py");
  await chooseExample(page, "primes-py");
  await setArgs(page, limit);
  await setTimeLimit(page, LONG_RUN_LIMIT_S);
  const selfTime = (output: string, what: string) => {
    const match = /primes below \d+ in ([\d.]+)s/.exec(output);
    if (!match) throw new Error(`${what}: unexpected output ${JSON.stringify(output.slice(-300))}`);
    return Number(match[1]) * 1000;
  };
  const pairs = await repeat("primes.py native vs WASI", config.warmup, config.samples, async () => {
    const nativeRun = await timedRunOk(python, [script, limit], { timeoutMs: LONG_RUN_WAIT_MS });
    const wasiRun = expectOk("primes-py", await runOnce(page, LONG_RUN_WAIT_MS, (stdout) => /primes below \d+ in [\d.]+s/.test(stdout)));
    return { nativeRun, wasiRun };
  });
  const nativeSelf = pairs.map((p) => selfTime(p.nativeRun.stdout, "native primes.py"));
  const wasiSelf = pairs.map((p) => selfTime(p.wasiRun.stdout, "WASI primes.py"));
  const answers = new Set(pairs.flatMap((p) => [p.nativeRun.stdout, p.wasiRun.stdout].map((o) => o.split(" in ")[0])));
  if (answers.size !== 1) throw new Error(`primes.py: results differ: ${[...answers].join(" / ")}`);
  return {
    id: "python-cpu",
    title: `CPU-bound Python (informative): WASI CPython in Chromium vs native python3 (primes.py ${limit})`,
    method: `\`examples/python/primes.py ${limit}\` (a bytearray sieve) from the page (\`primes-py\` example) and with the native interpreter \`${python}\`, alternating, after ${config.warmup} warm-up pair(s). "self-timed" is the time the script prints (perf_counter around the sieve).`,
    series: [
      series("native python3: self-timed", nativeSelf),
      series("WASI CPython: self-timed", wasiSelf),
      series("native python3: wall, spawn → exit", pairs.map((p) => p.nativeRun.wallMs)),
      series("WASI: worker run duration", pairs.map((p) => p.wasiRun.durationMs)),
    ],
    notes: [
      `Both print "${[...answers][0]}".`,
      `Ratio of medians, self-timed WASI / native: ${(median(wasiSelf) / median(nativeSelf)).toFixed(2)}×; wall: ${(median(pairs.map((p) => p.wasiRun.durationMs)) / median(pairs.map((p) => p.nativeRun.wallMs))).toFixed(2)}×.`,
      ...lateOutputNote(pairs.map((p) => p.wasiRun)),
    ],
  };
}

/** A language whose runtime the page loads only when it is first run. */
interface LazyLanguage {
  id: BenchmarkId;
  language: string;
  example: string;
  title: string;
  /** What the first run costs besides the run itself. */
  loads: string;
  done: (stdout: string) => boolean;
  /** Typed in place of the example's code (arguments and stdin cleared): what the runs measure. */
  program?: string;
  /** Issue 4's limit on the warm page round trip. */
  warmLimitMs?: number;
}

const COLD_SAMPLES = 3;

/**
 * Cold: the page reloaded (a fresh worker with nothing loaded or compiled; the HTTP cache
 * may answer the download), the language chosen, its example run once: load + first run.
 * Warm: the same example again on the last page, after warm-up runs.
 */
async function lazyLanguage(page: Page, url: string, config: Config, lang: LazyLanguage): Promise<{ benchmark: Benchmark; target?: Target }> {
  const open = async () => {
    await page.goto(url);
    await waitIdle(page);
    await page.getByTestId("language").selectOption(lang.language);
    await chooseExample(page, lang.example);
    if (lang.program === undefined) return;
    await typeProgram(page, lang.program);
    await setArgs(page, "");
    await setStdin(page, "");
  };
  const cold = await repeat(`${lang.id} cold`, 0, COLD_SAMPLES, async () => {
    await open();
    return expectOk(`${lang.id} (cold)`, await runOnce(page, LONG_RUN_WAIT_MS, lang.done));
  });
  const warm = await repeat(`${lang.id} warm`, config.warmup, config.quickSamples, async () =>
    expectOk(`${lang.id} (warm)`, await runOnce(page, LONG_RUN_WAIT_MS, lang.done)),
  );
  const what = lang.program === undefined ? `The \`${lang.example}\` example` : `\`${lang.program}\` (typed over the \`${lang.example}\` example, no arguments or stdin)`;
  const warmRoundTrip = series("warm: page round trip, click → exit status", warm.map((r) => r.roundTripMs));
  const warmDuration = series("warm: worker run duration (data-duration-ms)", warm.map((r) => r.durationMs));
  const benchmark: Benchmark = {
    id: lang.id,
    title: lang.title,
    method: `${what} from the page (wasmer engine). Cold (${COLD_SAMPLES} samples): the page reloaded, the language chosen, Run clicked once; the round trip includes ${lang.loads}. Warm: the same run repeated on that page after ${config.warmup} warm-up run(s).`,
    series: [series("cold: page round trip, click → exit status (load + first run)", cold.map((r) => r.roundTripMs)), warmRoundTrip, warmDuration],
    notes: lateOutputNote(warm),
  };
  if (lang.warmLimitMs === undefined) return { benchmark };
  return {
    benchmark,
    target: {
      id: lang.id,
      issue: 4,
      requirement: `${lang.title.replace(/:.*/, "")}: warm run`,
      limit: `≤ ${lang.warmLimitMs} ms`,
      measured: fmt(warmRoundTrip.median, "ms"),
      basis: `median page round trip (click → status) of ${warmRoundTrip.samples.length} runs (worker duration: ${fmt(warmDuration.median, "ms")})`,
      pass: warmRoundTrip.median <= lang.warmLimitMs,
    },
  };
}

/** Issue 4's per-runtime hello runs: each language's runtime loaded by the page on first use. */
const RUNTIME_HELLOS: readonly LazyLanguage[] = [
  { id: "quickjs-hello", language: "javascript", example: "hello-js", program: 'console.log("hello")', warmLimitMs: 100, title: "JavaScript (QuickJS): hello, cold (load + first run) and warm", loads: "downloading quickjs.wasm and compiling it in the sandbox worker", done: (stdout) => stdout === "hello\n" },
  { id: "sqlite-hello", language: "sql", example: "hello-sql", program: "select 'hello';", warmLimitMs: 100, title: "SQL (SQLite shell): hello, cold (load + first run) and warm", loads: "downloading sqlite.wasm and compiling it in the sandbox worker", done: (stdout) => stdout === "hello\n" },
  { id: "lua-hello", language: "lua", example: "hello-lua", program: 'print("hello")', warmLimitMs: 100, title: "Lua 5.4: hello, cold (load + first run) and warm", loads: "downloading lua.wasm and compiling it in the sandbox worker", done: (stdout) => stdout === "hello\n" },
  // printf is not a shell builtin: each run is busybox.wasm's applet.
  { id: "busybox-applet", language: "shell", example: "pipeline-sh", program: "printf 'hello\\n'", warmLimitMs: 100, title: "Busybox applet (printf through the shell): hello, cold (load + first run) and warm", loads: "downloading busybox.wasm and compiling it in the sandbox worker", done: (stdout) => stdout === "hello\n" },
  { id: "shell-pipeline", language: "shell", example: "pipeline-sh", program: "seq 1000 | sort -rn | head -n 3", warmLimitMs: 200, title: "Shell pipeline of three busybox applets: cold (load + first run) and warm", loads: "downloading busybox.wasm and compiling it in the sandbox worker", done: (stdout) => stdout === "1000\n999\n998\n" },
  { id: "python-hello", language: "python", example: "hello-py", program: 'print("hello")', warmLimitMs: 250, title: "Python 3.12: hello, cold (first run after a reload) and warm", loads: "only the first run: the page compiles Python, its default language, before it is ready", done: (stdout) => stdout === "hello\n" },
];

async function coldReady(url: string, config: Config): Promise<{ benchmark: Benchmark; target: Target }> {
  const loads = await repeat("cold page load", 1, config.samples, () => coldLoad(url));
  const ready = series("ready to run: idle + editor shown", loads.map((l) => l.readyMs));
  const fetched = loads.map((l) => l.runtimeFetchedMs).filter((v): v is number => v !== null);
  return {
    benchmark: {
      id: "page-ready-cold",
      title: "Page ready to run, cold, from the production build on localhost",
      method:
        'Each sample launches a fresh headless Chromium with an empty profile (no HTTP cache, no compiled-code cache), opens the `vite preview` server of `dist/` on 127.0.0.1 and notes, with a MutationObserver installed before the page\'s scripts, when `.app[data-ready="true"]` holds with a visible `.monaco-editor`. Times are from navigation start (performance.timeOrigin). One untimed load first warms the OS file cache and the server.',
      series: [
        ready,
        series("Monaco editor shown", loads.map((l) => l.editorMs)),
        series("DOMContentLoaded", loads.map((l) => l.domContentLoadedMs)),
        series("load event", loads.map((l) => l.loadEventMs)),
        ...(fetched.length === loads.length ? [series("Python runtime (python.wasm) downloaded", fetched)] : []),
      ],
      notes: [
        "The Python runtime is loaded at start-up because Python is the default language: readiness includes downloading and compiling `python.wasm` in the sandbox worker.",
      ],
    },
    target: {
      id: "page-ready-cold",
      issue: 2,
      requirement: "Page ready to run (editor visible, runtime loaded), cold, production build on localhost",
      limit: "≤ 3 s",
      measured: fmt(ready.median, "ms"),
      basis: `median of ${ready.samples.length} fresh-profile loads, from navigation start`,
      pass: ready.median <= 3000,
    },
  };
}

const REVISIT_SAMPLES = 3;

/** Issue 4's compiled-code cache: what a second visit gains once the browser has kept Python's optimised code. */
async function pythonRevisit(url: string): Promise<Benchmark> {
  const visits = await repeat("python revisit", 0, REVISIT_SAMPLES, () => revisit(url, 'print("hello")', (stdout) => stdout === "hello\n"));
  for (const v of visits) [v.first.run, v.second.run].forEach((r, i) => expectOk(`python-revisit (visit ${i + 1})`, r));
  return {
    id: "python-revisit",
    title: "Python on a second visit, with the machine code the browser kept (informative)",
    method: `Each of ${REVISIT_SAMPLES} samples launches a fresh headless Chromium with an empty profile and visits the page: time to ready (Python downloaded and compiled while it downloads), then \`print("hello")\` run once. The \`stdlib-py\` example then runs until V8 has stored Python's optimised code (it does so once about a megabyte of code is optimised). A second visit in a new tab of the same browser: time to ready (python.wasm from the HTTP cache under its hashed URL, its code from V8's code cache), then the same first run.`,
    series: [
      series("first visit: ready to run (from navigation start)", visits.map((v) => v.first.load.readyMs)),
      series("second visit: ready to run", visits.map((v) => v.second.load.readyMs)),
      series("first visit: first run, click → exit status", visits.map((v) => v.first.run.roundTripMs)),
      series("second visit: first run, click → exit status", visits.map((v) => v.second.run.roundTripMs)),
    ],
    notes: [`Before the second visit the profile's WebAssembly code cache held ${visits.map((v) => (v.codeCacheBytes / 1e6).toFixed(2)).join(", ")} MB.`],
  };
}

// ---------------------------------------------------------------------------
// CLI benchmark

async function cliHello(config: Config, scratch: string, python: string): Promise<{ benchmark: Benchmark; target: Target }> {
  const script = path.join(scratch, "hello.py");
  writeFileSync(script, 'print("Hello, world!")\n');
  const expected = "Hello, world!\n";
  // A TMPDIR of its own gives the CLI a socket folder of its own: "cold" really
  // has no daemon, and daemons that other people's runs of this checkout use are left alone.
  const cliTmp = path.join(scratch, "tmp");
  mkdirSync(cliTmp);
  const sockets = daemonSocketDir(cliTmp);
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: cliTmp };
  delete env.PLAYPEN_NO_DAEMON;
  const check = (what: string, run: Timed) => {
    if (run.stdout !== expected) throw new Error(`${what}: unexpected stdout ${JSON.stringify(run.stdout)}; stderr: ${run.stderr.slice(-1000)}`);
    return run.wallMs;
  };
  const cli = (extraArgs: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) =>
    timedRunOk(process.execPath, [PLAYPEN_BIN, "run", ...extraArgs, script], { cwd: ROOT, env: { ...env, ...extraEnv }, timeoutMs: 60_000 });

  try {
    // Cold: the call finds no daemon, starts one and waits for it to listen.
    // The untimed first call also fills tsx's transpile cache (kept in TMPDIR).
    const cold = await repeat("playpen run, cold", 1, config.samples, async () => {
      await stopDaemons(PLAYPEN_BIN, sockets);
      return check("playpen run (cold)", await cli());
    });
    const warm = await repeat("playpen run, warm", config.warmup, config.quickSamples, async () => check("playpen run (warm)", await cli()));
    // The same runs with --json, for the daemon's own measure of the run (spawn → exit).
    const warmJson = await repeat("playpen run --json, warm", 0, config.samples, async () => {
      const run = await cli(["--json"]);
      const reply = JSON.parse(run.stdout) as { stdout: string; durationMs: number };
      if (reply.stdout !== expected) throw new Error(`playpen run --json: unexpected reply ${run.stdout}`);
      return { wallMs: run.wallMs, durationMs: reply.durationMs };
    });
    await stopDaemons(PLAYPEN_BIN, sockets);
    const inProcess = await repeat("playpen run, in-process", 1, config.samples, async () =>
      check("playpen run (PLAYPEN_NO_DAEMON=1)", await cli([], { PLAYPEN_NO_DAEMON: "1" })),
    );
    const native = await repeat("python3 hello.py", config.warmup, config.quickSamples, async () =>
      check("python3 hello.py", await timedRunOk(python, [script], { timeoutMs: 30_000 })),
    );
    const onPath = which("python3");
    const viaPath =
      onPath && path.resolve(onPath) !== python
        ? await repeat("python3 (PATH) hello.py", config.warmup, config.samples, async () =>
            check("python3 hello.py", await timedRunOk(onPath, [script], { timeoutMs: 30_000 })),
          )
        : null;
    const nodeStart = await repeat("node -e 0", config.warmup, config.samples, async () => (await timedRunOk(process.execPath, ["-e", "0"])).wallMs);

    const warmSeries = series("`playpen run hello.py`, warm (daemon running)", warm);
    const pythonSeries = series(`\`python3 hello.py\` (${python})`, native);
    const ratio = warmSeries.median / pythonSeries.median;
    return {
      benchmark: {
        id: "cli-hello",
        title: "`playpen run hello.py` from a shell vs `python3 hello.py`",
        method: `\`node cli/bin/playpen.mjs run <tmp>/hello.py\` (what \`npx playpen run\` runs, without npx's own start-up), hello.py being \`print("Hello, world!")\`, spawned from Node and timed spawn → exit. The CLI runs with a TMPDIR of its own, so its daemon socket folder is private. Cold: the benchmark's daemon is ended first (SIGTERM by pid), so the call starts a daemon and waits for it; one untimed cold call first. Warm: the daemon is running. In-process: \`PLAYPEN_NO_DAEMON=1\`, everything in the client's process.`,
        series: [
          series("`playpen run hello.py`, cold (starts the daemon)", cold),
          warmSeries,
          series("`playpen run --json hello.py`, warm: wall", warmJson.map((r) => r.wallMs)),
          series("`playpen run --json hello.py`, warm: durationMs (the daemon's run, spawn → exit)", warmJson.map((r) => r.durationMs)),
          series("`playpen run hello.py`, in-process (PLAYPEN_NO_DAEMON=1)", inProcess),
          pythonSeries,
          ...(viaPath ? [series(`\`python3 hello.py\` as found on PATH (${onPath})`, viaPath)] : []),
          series("`node -e 0` (Node start-up alone)", nodeStart),
        ],
        notes: [`Ratio of medians, warm playpen / python3: ${ratio.toFixed(2)}×.`],
      },
      target: {
        id: "cli-hello",
        issue: 2,
        requirement: "`npx playpen run hello.py` end to end, beside `python3 hello.py`",
        limit: null,
        measured: `${fmt(warmSeries.median, "ms")} warm (${ratio.toFixed(1)}× python3)`,
        basis: `median wall, spawn → exit; cold ${fmt(median(cold), "ms")}, in-process ${fmt(median(inProcess), "ms")}, python3 ${fmt(pythonSeries.median, "ms")}`,
        pass: null,
      },
    };
  } finally {
    await stopDaemons(PLAYPEN_BIN, sockets);
  }
}

/** The real interpreter behind `python3` (PATH may hold a shim, e.g. pyenv's, which costs a shell start). */
async function realPython(): Promise<string> {
  const { stdout } = await timedRunOk("python3", ["-c", "import sys; print(sys.executable)"]);
  const executable = stdout.trim();
  if (!executable || !existsSync(executable)) throw new Error("python3 is needed for the native Python comparisons");
  return executable;
}

/** Above this fraction of the CPUs busy before the benchmark starts, the machine does not count as idle. */
const IDLE_BUSY = 0.2;

/** How many 2-second windows in a row must be quiet before --wait-idle lets the run start. */
const QUIET_WINDOWS = 5;

/**
 * Samples CPU use in 2 s windows until QUIET_WINDOWS in a row are under
 * IDLE_BUSY, or `seconds` have passed; returns the busiest of the last windows.
 */
async function waitForIdle(seconds: number): Promise<number | null> {
  const deadline = Date.now() + seconds * 1000;
  const recent: number[] = [];
  for (;;) {
    const busy = await cpuBusy(2000);
    if (busy === null) return null;
    recent.push(busy);
    if (recent.length > QUIET_WINDOWS) recent.shift();
    const worst = Math.max(...recent);
    if (busy > IDLE_BUSY) log(`waiting for a quiet machine: CPUs ${Math.round(busy * 100)}% busy`);
    if ((recent.length === QUIET_WINDOWS && worst <= IDLE_BUSY) || Date.now() >= deadline) return worst;
    if (seconds === 0) return worst;
  }
}

function loadavg(): number[] {
  return osLoadavg().map((v) => round(v, 2));
}

function which(program: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, program);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const config = parseConfig();
  if (config.renderOnly) {
    if (!existsSync(RESULTS_PATH)) throw new Error(`no ${path.relative(ROOT, RESULTS_PATH)} to render: run the benchmarks first`);
    updateDoc(DOC_PATH, JSON.parse(readFileSync(RESULTS_PATH, "utf8")) as Results);
    log(`rewrote the figures in ${path.relative(ROOT, DOC_PATH)} from ${path.relative(ROOT, RESULTS_PATH)}`);
    return;
  }
  preflight();
  const busyAtStart = await waitForIdle(config.waitIdleS);
  if (config.waitIdleS > 0) log(`starting: CPUs ${busyAtStart === null ? "?" : Math.round(busyAtStart * 100)}% busy`);
  if (busyAtStart !== null && busyAtStart > IDLE_BUSY) {
    log(`warning: the CPUs are ${Math.round(busyAtStart * 100)}% busy with other work, which will skew the figures (--wait-idle SECONDS waits for a quiet moment)`);
  }
  const scratch = mkdtempSync(path.join(tmpdir(), "playpen-bench-"));
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  let nodeEngines: NodeEngines | undefined;
  const started = Date.now();
  const loadAtStart = loadavg();
  const cleanup = async () => {
    await nodeEngines?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
    await stopDaemons(PLAYPEN_BIN, daemonSocketDir(path.join(scratch, "tmp"))).catch(() => 0);
    rmSync(scratch, { recursive: true, force: true });
  };
  // Ctrl+C must not leave the preview server, Chromium or a daemon behind.
  for (const name of ["SIGINT", "SIGTERM"] as const) {
    process.once(name, () => {
      log(`${name}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    const python = await realPython();

    /** Runs one benchmark, noting how much CPU other processes took meanwhile. */
    const watched = async <T extends Benchmark | { benchmark: Benchmark }>(run: () => Promise<T>): Promise<T> => {
      const watch = new CpuWatch(scratch);
      watch.start();
      const result = await run().finally(() => watch.stop());
      const outcome: Benchmark | { benchmark: Benchmark } = result;
      const benchmark = "benchmark" in outcome ? outcome.benchmark : outcome;
      benchmark.otherCpu = watch.share();
      if (benchmark.otherCpu !== null && benchmark.otherCpu > 0.1) {
        log(`warning: other processes used ${Math.round(benchmark.otherCpu * 100)}% of the CPU time during ${benchmark.id}`);
      }
      return result;
    };

    const done = new Map<BenchmarkId, { benchmark: Benchmark; targets: Target[] }>();
    type Outcome = Benchmark | { benchmark: Benchmark; target?: Target; targets?: Target[] };
    /** Runs one benchmark unless --only leaves it out, and keeps its figures and targets. */
    const bench = async (id: BenchmarkId, run: () => Promise<Outcome>): Promise<void> => {
      if (!config.only.has(id)) return;
      const outcome = await watched(run);
      if (!("benchmark" in outcome)) return void done.set(id, { benchmark: outcome, targets: [] });
      done.set(id, { benchmark: outcome.benchmark, targets: outcome.targets ?? (outcome.target ? [outcome.target] : []) });
    };
    const enginePaths: EnginePaths = { wasmDir: path.join(DIST, "examples"), nativeDir: NATIVE, scratch };

    // Shell and Node first, with no browser around.
    await bench("cli-hello", () => cliHello(config, scratch, python));
    nodeEngines = new NodeEngines();
    const engines = nodeEngines;
    await bench("gated-hello-node", () => nodeHello(engines, config, enginePaths));
    await bench("engines-cpu-node", () => nodeCpu(engines, config, enginePaths));
    await bench("engines-syscall-node", () => nodeSyscall(engines, config, enginePaths));
    await engines.close();

    let chromium = "not run";
    let engine = "not run";
    const pageIds: BenchmarkId[] = ["python-print-warm", "python-cpu", "hello-c-warm", "gated-hello-page", "cpu-bench", "engines-syscall-page", "fileio-bench", "ruby-hello", "c-hello", ...RUNTIME_HELLOS.map((lang) => lang.id)];
    if (["page-ready-cold", "python-revisit", ...pageIds].some((id) => config.only.has(id as BenchmarkId))) {
      server = await startPreview();
      log(`serving dist/ at ${server.url}`);
      const url = server.url;
      await bench("page-ready-cold", () => coldReady(url, config));
      await bench("python-revisit", () => pythonRevisit(url));

      browser = await launchBrowser();
      const page = await openPage(browser.context, url);
      chromium = await browserVersion(page);
      engine = await pageEngine(page);
      // The Python runs come first: the runtime is already loaded for the default language.
      await bench("python-print-warm", () => pythonPrint(page, config));
      await bench("python-cpu", () => pythonCpu(page, config, python));
      await bench("hello-c-warm", () => helloC(page, config));
      // From here on the page switches engines; each benchmark picks the one it needs.
      await bench("gated-hello-page", () => pageGatedHello(page, config));
      await bench("cpu-bench", () => pageCpu(page, config, enginePaths));
      await bench("engines-syscall-page", () => pageSyscall(page, config, enginePaths));
      await bench("fileio-bench", () => fileioBench(page, config, scratch));
      // Last: they reload the page.
      await bench("ruby-hello", () =>
        lazyLanguage(page, url, config, {
          id: "ruby-hello",
          language: "ruby",
          example: "hello-rb",
          title: "Ruby 3.4: hello, cold (load + first run) and warm",
          loads: "downloading ruby.wasm (30.6 MB) and compiling it in the sandbox worker",
          done: (stdout) => stdout.includes("apple"),
        }),
      );
      await bench("c-hello", () =>
        lazyLanguage(page, url, config, {
          id: "c-hello",
          language: "c",
          example: "hello-c",
          title: "C: hello compiled by clang in the page and run, cold (load + first run) and warm",
          loads: "downloading clang.wasm (75.5 MB) and clang-resources.tar (29.7 MB), compiling clang, and compiling and linking the program",
          done: (stdout) => stdout.includes("Hello from WASI!"),
        }),
      );
      for (const lang of RUNTIME_HELLOS) await bench(lang.id, () => lazyLanguage(page, url, config, lang));
    }

    const targets = [...done.values()]
      .flatMap((d) => d.targets)
      .sort((a, b) => targetRank(a) - targetRank(b));
    const benchmarks = DOC_ORDER.flatMap((id) => done.get(id)?.benchmark ?? []);
    const results: Results = {
      date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      machine: describeMachine(chromium),
      load: { start: loadAtStart, end: loadavg(), busyAtStart: busyAtStart === null ? null : round(busyAtStart, 2) },
      config: {
        samples: config.samples,
        quickSamples: config.quickSamples,
        warmup: config.warmup,
        cpuIterations: config.cpuIterations,
        primesLimit: config.primesLimit,
        fileioCount: config.fileioCount,
        syscallWrites: config.syscallWrites,
        syscallOpens: config.syscallOpens,
        pageEngine: engine,
      },
      targets,
      benchmarks,
    };
    log(`done in ${round((Date.now() - started) / 1000, 0)} s`);
    if (config.write) {
      mkdirSync(path.dirname(RESULTS_PATH), { recursive: true });
      writeFileSync(RESULTS_PATH, `${JSON.stringify(results, null, 2)}\n`);
      mkdirSync(path.dirname(DOC_PATH), { recursive: true });
      updateDoc(DOC_PATH, results);
      log(`wrote ${path.relative(ROOT, RESULTS_PATH)} and ${path.relative(ROOT, DOC_PATH)}`);
    }
    console.log(renderFigures(results));
    const failed = results.targets.filter((t) => t.pass === false);
    if (failed.length > 0) log(`targets missed: ${failed.map((t) => t.id).join(", ")}`);
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
