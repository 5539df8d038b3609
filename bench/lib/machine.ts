import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  kernel: string;
  node: string;
  chromium: string;
  python3: string;
  cc: string;
}

/** What the figures were measured on; `chromium` comes from the browser itself. */
export function describeMachine(chromium: string): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium,
    python3: firstLine("python3", ["--version"]),
    cc: firstLine("cc", ["--version"]),
  };
}

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync("/etc/os-release", "utf8"));
    if (pretty?.[1]) return pretty[1];
  } catch {
    // not Linux, or no os-release
  }
  return `${os.type()} ${os.release()}`;
}

function firstLine(program: string, args: string[]): string {
  try {
    return execFileSync(program, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).split("\n")[0]!.trim();
  } catch {
    return "unavailable";
  }
}

/** Fraction of all CPU time spent busy over the next `ms` milliseconds (Linux /proc/stat), or null elsewhere. */
export async function cpuBusy(ms: number): Promise<number | null> {
  const read = () => {
    try {
      const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
      const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
      return { total: fields.reduce((a, b) => a + b, 0), idle };
    } catch {
      return null;
    }
  };
  const before = read();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = read();
  if (!before || !after || after.total === before.total) return null;
  return 1 - (after.idle - before.idle) / (after.total - before.total);
}

/** CPU time so far, in clock ticks: the machine's (all CPUs), and each process's, marked ours or not. */
interface CpuSnapshot {
  total: number;
  busy: number;
  processes: Map<number, { ticks: number; ours: boolean }>;
}

/**
 * Reads /proc. "Ours" is this process and its descendants (Chromium, vite,
 * the programs it runs), plus processes whose command line mentions
 * `ownMarker` and their descendants (the CLI's detached daemons). A process's
 * ticks are its own CPU time (utime + stime). Null where /proc is unavailable.
 */
function cpuSnapshot(ownMarker: string): CpuSnapshot | null {
  let machine: number[];
  try {
    machine = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return null;
  }
  const total = machine.reduce((a, b) => a + b, 0);
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  const roots = new Set<number>([process.pid]);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the command name, which may hold spaces: state ppid … utime(14) stime(15).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks.set(pid, Number(fields[11] ?? 0) + Number(fields[12] ?? 0));
      parents.set(pid, Number(fields[1]));
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(ownMarker)) roots.add(pid);
    } catch {
      // exited while we looked
    }
  }
  const isOurs = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      if (roots.has(p)) return true;
      p = parents.get(p) ?? 0;
    }
    return false;
  };
  const processes = new Map<number, { ticks: number; ours: boolean }>();
  for (const [pid, t] of ticks) processes.set(pid, { ticks: t, ours: isOurs(pid) });
  return { total, busy: total - (machine[3] ?? 0) - (machine[4] ?? 0), processes };
}

/** How often CpuWatch looks at our processes: the CPU time of one that ends in between is partly missed. */
const WATCH_INTERVAL_MS = 250;

/**
 * Measures how much of the machine's CPU time went to work other than ours
 * while a benchmark runs: all busy time, less what our processes used. Our
 * processes are polled, because those that end (a closed Chromium's
 * renderers, reaped by pid 1) take their CPU time with them.
 */
export class CpuWatch {
  readonly #marker: string;
  #first: CpuSnapshot | null = null;
  #last: CpuSnapshot | null = null;
  #ours = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(ownMarker: string) {
    this.#marker = ownMarker;
  }

  start(): void {
    this.#first = this.#last = cpuSnapshot(this.#marker);
    this.#ours = 0;
    if (this.#first) this.#timer = setInterval(() => this.#poll(), WATCH_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#poll();
  }

  /** The share (0…1) of the machine's CPU time that other processes used from start() to stop(), or null without /proc. */
  share(): number | null {
    const first = this.#first;
    const last = this.#last;
    if (!first || !last || last.total <= first.total) return null;
    const other = last.busy - first.busy - this.#ours;
    return Math.min(1, Math.max(0, other / (last.total - first.total)));
  }

  #poll(): void {
    const now = cpuSnapshot(this.#marker);
    if (!now || !this.#last) return;
    for (const [pid, current] of now.processes) {
      if (!current.ours) continue;
      // A process that appeared since the last look used all its time meanwhile.
      this.#ours += Math.max(0, current.ticks - (this.#last.processes.get(pid)?.ticks ?? 0));
    }
    this.#last = now;
  }
}
