/**
 * The WASM side of a live comparison, measured in this page: the same example
 * programs the native runner times, run on both Playpen engines through the
 * ordinary sandbox client (a worker of its own, so the editor's sandbox is
 * untouched). Wall time is the page's click-to-result time of each run; the
 * inner time is the `elapsed_ms:` line the program prints.
 */
import type { EngineName } from "../../wasm-runtime/index.ts";
import { exampleModuleUrl } from "../examples.ts";
import { SandboxClient } from "../sandbox/client.ts";
import type { BrowserRun } from "./merge.ts";
import type { Backend, Measurement, Sample } from "./result.ts";

/** Workload id → the prebuilt example module that is its WASI build (examples/c/*.c). */
export const BROWSER_WORKLOADS: Record<string, { example: string; title: string; measures: string; args: string[] }> = {
  hello: { example: "hello", title: "Start-up (hello)", measures: "the cost of creating and tearing down the sandbox around a program that does nothing", args: [] },
  cpu: { example: "cpu-bench", title: "CPU-bound (sieve, hash, Mandelbrot)", measures: "pure computation", args: ["100"] },
  fileio: { example: "fileio-bench", title: "File I/O (500 small files)", measures: "write, read back, stat and delete 500 files of 4 KiB", args: ["{workspace}/fileio", "500"] },
  syscall: { example: "syscall-bench", title: "Syscall-heavy", measures: "many tiny system calls", args: ["20000", "2000", "{workspace}/syscall-bench.dat"] },
};

export const BROWSER_ENGINES: readonly EngineName[] = ["wasmer", "gated"];

/** Where the guest may write, for `{workspace}` in a workload's arguments. */
const GUEST_WORKSPACE = "/workspace";
const RUN_TIMEOUT_MS = 120_000;

export function browserBackendName(engine: EngineName): string {
  return `wasm-${engine}-chromium`;
}

function browserVersion(): string {
  const match = /(Chrome|Chromium|Firefox|Version)\/(\d+)/.exec(navigator.userAgent);
  return match ? `${match[1] === "Version" ? "Safari" : match[1]} ${match[2]}` : "this browser";
}

export function browserBackend(engine: EngineName): Backend {
  const titles: Record<EngineName, [string, string]> = {
    wasmer: ["Wasmer engine (Chromium)", "@wasmer/sdk's WASIX runtime in a page worker: the guest sees /workspace only, no network; coarse, no per-call policy."],
    gated: ["Gated engine (Chromium)", "Playpen's own WASI preview1 host in a page worker: every file, variable, secret and clock access is a policy decision; no processes, no sockets."],
  };
  const [title, notes] = titles[engine];
  return { name: browserBackendName(engine), title, kind: "wasm", engine, host: "chromium", notes, available: true, version: `Playpen ${engine} engine, ${browserVersion()}` };
}

/** The number a program prints as `elapsed_ms: N` (its own clock around its work). */
export function elapsedMs(stdout: string): number | undefined {
  const match = /^elapsed_ms: ([\d.]+)$/m.exec(stdout);
  return match ? Number(match[1]) : undefined;
}

function medianOf(values: number[]): number | null {
  const sorted = values.toSorted((a, b) => a - b);
  const half = sorted.length >> 1;
  if (sorted.length === 0) return null;
  return sorted.length % 2 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}

/** Medians over the successful samples, like the native runner's. */
export function summarise(backend: string, workload: string, warmup: number, samples: Sample[], error?: string): Measurement {
  const ok = samples.filter((s) => s.ok);
  const inner = ok.map((s) => s.innerMs).filter((ms): ms is number => ms !== undefined);
  return {
    backend,
    workload,
    warmup,
    samples,
    medianMs: medianOf(ok.map((s) => s.durationMs)),
    medianInnerMs: inner.length === ok.length ? medianOf(inner) : null,
    failures: samples.length - ok.length,
    ...(error !== undefined && { error }),
  };
}

let sharedClient: SandboxClient | undefined;

/** One sandbox worker for every live comparison of the page's lifetime, made on first use. */
function compareClient(): SandboxClient {
  sharedClient ??= new SandboxClient();
  return sharedClient;
}

async function moduleBytes(example: string, signal: AbortSignal): Promise<Uint8Array> {
  const url = exampleModuleUrl(example);
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`could not load ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export interface BrowserMeasureOptions {
  workloads: string[];
  engines: readonly EngineName[];
  samples: number;
  warmup: number;
  signal: AbortSignal;
  onLog: (line: string) => void;
  /** After every run, warm-up included (for a progress bar). */
  onRun?: () => void;
  /** A workload's arguments as the native side ran it, so both sides run the same; else the defaults here. */
  argsOf?: (workload: string) => string[] | undefined;
}

/** Times every workload on every engine: warm-up runs, then the samples back to back. */
export async function measureInBrowser(options: BrowserMeasureOptions): Promise<BrowserRun> {
  const { signal, onLog } = options;
  const client = compareClient();
  const stopOnAbort = () => client.stop();
  signal.addEventListener("abort", stopOnAbort);
  try {
    const workloads = options.workloads.filter((id) => id in BROWSER_WORKLOADS);
    const modules = new Map<string, Uint8Array>();
    for (const id of workloads) modules.set(id, await moduleBytes(BROWSER_WORKLOADS[id]!.example, signal));
    const measurements: Measurement[] = [];
    for (const engine of options.engines) {
      signal.throwIfAborted();
      onLog(`${browserBackendName(engine)}: starting a fresh sandbox`);
      await client.useEngine(engine);
      await client.prepare("wasm", () => {});
      for (const id of workloads) {
        const workload = BROWSER_WORKLOADS[id]!;
        const args = (options.argsOf?.(id) ?? workload.args).map((a) => a.replace("{workspace}", GUEST_WORKSPACE));
        const samples: Sample[] = [];
        let error: string | undefined;
        for (let i = 0; i < options.warmup + options.samples; i++) {
          signal.throwIfAborted();
          const started = performance.now();
          const result = await client.run(
            { program: { language: "wasm", module: modules.get(id)!, name: `${workload.example}.wasm` }, args, timeoutMs: RUN_TIMEOUT_MS },
            {},
          );
          const durationMs = Number((performance.now() - started).toFixed(2));
          signal.throwIfAborted();
          options.onRun?.();
          const ok = result.reason === "exited" && result.exitCode === 0;
          if (!ok) error = result.error ?? (result.stderr.trim() || `${result.reason}, exit ${result.exitCode}`);
          const innerMs = elapsedMs(result.stdout);
          if (i >= options.warmup) samples.push({ durationMs, ...(innerMs !== undefined && { innerMs }), exitCode: result.exitCode, ok });
        }
        const measurement = summarise(browserBackendName(engine), id, options.warmup, samples, error);
        measurements.push(measurement);
        onLog(`${browserBackendName(engine)}  ${id}  median ${measurement.medianMs ?? "—"} ms${measurement.failures ? ` (${measurement.failures} failed: ${error})` : ""}`);
      }
    }
    return {
      backends: options.engines.map(browserBackend),
      workloads: workloads.map((id) => {
        const { title, measures, args } = BROWSER_WORKLOADS[id]!;
        return { id, title, measures, args: options.argsOf?.(id) ?? args, baseline: "plain" };
      }),
      measurements,
    };
  } finally {
    signal.removeEventListener("abort", stopOnAbort);
  }
}
