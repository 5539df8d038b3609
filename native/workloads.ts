/**
 * The speed workloads: what is timed on every backend, native and
 * WebAssembly. Each names its source: the C ones are compiled natively
 * (static) and to WASI from the same file; the Python one is the same script
 * for python3 natively and for CPython-on-WASI in the engines. `{workspace}`
 * in an argument is the folder the guest may write, wherever a backend puts it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PYTHON_READ_DIRS } from "./build/python.ts";
import { EXAMPLE_SOURCES, WORKLOAD_SOURCES } from "./paths.ts";
import type { Invocation } from "./types.ts";

export interface Workload {
  id: "hello" | "cpu" | "fileio" | "syscall" | "memory" | "python";
  title: string;
  /** What the median of this workload tells. */
  measures: string;
  /** The C source (compiled natively and to WASI) or the Python script. */
  source: string;
  binary: string;
  args: string[];
  /** Host folders the program reads besides the workloads (an interpreter's), for backends that must grant them. */
  readPaths?: string[];
  timeoutMs: number;
}

/** The only environment any guest is granted. */
export const GRANTED_ENV: Record<string, string> = { PATH: "/bin", LANG: "C" };

const PYTHON_SCRIPT = join(WORKLOAD_SOURCES, "python-bench.py");
/** python3's flags: isolated (no environment, no user site) and no `site`, so start-up needs only built-in and frozen modules. */
const PYTHON_FLAGS = ["-I", "-S", "-c"];

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
    id: "cpu",
    title: "CPU-bound (sieve, hash, Mandelbrot)",
    measures: "pure computation: the sandbox should cost nothing beyond start-up",
    source: join(EXAMPLE_SOURCES, "cpu-bench.c"),
    binary: "cpu-bench",
    args: ["100"],
    timeoutMs: 120_000,
  },
  {
    id: "fileio",
    title: "File I/O (500 small files)",
    measures: "system-call-heavy file work: write, read back, stat and delete 500 files of 4 KiB",
    source: join(EXAMPLE_SOURCES, "fileio-bench.c"),
    binary: "fileio-bench",
    args: ["{workspace}/fileio", "500"],
    timeoutMs: 120_000,
  },
  {
    id: "syscall",
    title: "Syscall-heavy (20 000 writes, 2 000 opens)",
    measures: "the cost of crossing into the host: 16-byte writes to one file, then open/close pairs",
    source: join(EXAMPLE_SOURCES, "syscall-bench.c"),
    binary: "syscall-bench",
    args: ["20000", "2000", "{workspace}/syscall-bench.dat"],
    timeoutMs: 120_000,
  },
  {
    id: "memory",
    title: "Memory (32 MiB allocated, touched and freed, 10 times)",
    measures: "allocating fresh memory: page faults natively, linear-memory growth and reuse in WebAssembly",
    source: join(WORKLOAD_SOURCES, "memory-bench.c"),
    binary: "memory-bench",
    args: ["10", "32"],
    timeoutMs: 120_000,
  },
  {
    id: "python",
    title: "Python script (dict and integer loops)",
    measures: "an interpreter's start-up and work: Debian's python3.11 natively, CPython 3.12 for WASI in the engines",
    source: PYTHON_SCRIPT,
    binary: "python3",
    args: [...PYTHON_FLAGS, readFileSync(PYTHON_SCRIPT, "utf8")],
    readPaths: PYTHON_READ_DIRS,
    timeoutMs: 120_000,
  },
];

/** The Python code of an invocation of `python3 -I -S -c CODE`, or undefined for any other program. */
export function pythonCode(invocation: Invocation): string | undefined {
  if (invocation.binary !== "python3") return undefined;
  const flags = invocation.args.slice(0, PYTHON_FLAGS.length);
  return flags.join(" ") === PYTHON_FLAGS.join(" ") ? invocation.args[PYTHON_FLAGS.length] : undefined;
}

/** The time the workload reports for its own work (elapsed_ms: line), without start-up. */
export function innerMilliseconds(stdout: string): number | undefined {
  const match = /^elapsed_ms: ([\d.]+)$/m.exec(stdout);
  return match ? Number(match[1]) : undefined;
}
