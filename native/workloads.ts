/**
 * The speed workloads: what is timed on every backend. Each names its C
 * source, so the WebAssembly side (a later slice) can compile the same source
 * to WASI and run the same list; `{workspace}` in an argument is the folder
 * the guest may write, wherever a backend puts it.
 */
import { join } from "node:path";
import { EXAMPLE_SOURCES, WORKLOAD_SOURCES } from "./paths.ts";

export interface Workload {
  id: string;
  title: string;
  /** What the median of this workload tells. */
  measures: string;
  /** The C source, compiled natively (static) here and to WASI on the WebAssembly side. */
  source: string;
  binary: string;
  args: string[];
  timeoutMs: number;
}

/** The only environment any guest is granted. */
export const GRANTED_ENV: Record<string, string> = { PATH: "/bin", LANG: "C" };

export const WORKLOADS: Workload[] = [
  {
    id: "hello",
    title: "Start-up (hello)",
    measures: "the cost of creating and tearing down the sandbox around a program that does nothing",
    source: join(WORKLOAD_SOURCES, "hello.c"),
    binary: "hello",
    args: [],
    timeoutMs: 60_000,
  },
  {
    id: "cpu-bench",
    title: "CPU-bound (sieve, hash, Mandelbrot)",
    measures: "pure computation: the sandbox should cost nothing beyond start-up",
    source: join(EXAMPLE_SOURCES, "cpu-bench.c"),
    binary: "cpu-bench",
    args: ["100"],
    timeoutMs: 120_000,
  },
  {
    id: "fileio-bench",
    title: "File I/O (500 small files)",
    measures: "system-call-heavy file work: write, read back, stat and delete 500 files of 4 KiB",
    source: join(EXAMPLE_SOURCES, "fileio-bench.c"),
    binary: "fileio-bench",
    args: ["{workspace}/fileio", "500"],
    timeoutMs: 120_000,
  },
];

/** The time the workload reports for its own work (elapsed_ms: line), without start-up. */
export function innerMilliseconds(stdout: string): number | undefined {
  const match = /^elapsed_ms: ([\d.]+)$/m.exec(stdout);
  return match ? Number(match[1]) : undefined;
}
