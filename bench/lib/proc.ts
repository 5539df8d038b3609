import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { msSince } from "./stats.ts";

export interface Timed {
  /** Wall time from spawn to exit, as the parent sees it. */
  wallMs: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs a program to the end, timing it; rejects on a time-out or a failure to start. */
export function timedRun(program: string, args: readonly string[], options: RunOptions = {}): Promise<Timed> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(program, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${program} ${args.join(" ")} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${program}: ${error.message}`));
    });
    child.once("close", (exitCode) => {
      const wallMs = msSince(start);
      clearTimeout(timer);
      resolve({ wallMs, exitCode, stdout, stderr });
    });
  });
}

/** Like timedRun, but a non-zero exit is an error (with the program's stderr in the message). */
export async function timedRunOk(program: string, args: readonly string[], options: RunOptions = {}): Promise<Timed> {
  const result = await timedRun(program, args, options);
  if (result.exitCode !== 0) {
    throw new Error(`${program} ${args.join(" ")} exited with ${result.exitCode}:\n${result.stderr.slice(-2000)}`);
  }
  return result;
}

/** Where `playpen run` keeps its daemon sockets for a given TMPDIR (see daemonSocketPath in cli/bin/playpen.mjs). */
export function daemonSocketDir(tmp: string = tmpdir()): string {
  return path.join(tmp, `playpen-${process.getuid?.() ?? "user"}`);
}

export interface DaemonProcess {
  pid: number;
  socket: string;
}

/**
 * The `node <bin> --serve <socket>` daemons of this checkout's CLI whose socket
 * is in the socket folder `dir`, found through /proc.
 */
export function findDaemons(bin: string, dir: string): DaemonProcess[] {
  const found: DaemonProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
    } catch {
      continue; // gone, or not ours to read
    }
    const [, script, flag, socket] = argv;
    if (script && flag === "--serve" && socket && path.resolve(script) === bin && path.dirname(socket) === dir) {
      found.push({ pid: Number(entry), socket });
    }
  }
  return found;
}

/** Ends the daemons that findDaemons finds (SIGTERM, then SIGKILL after 5 s) and waits for them to go. */
export async function stopDaemons(bin: string, dir: string): Promise<number> {
  const daemons = findDaemons(bin, dir);
  for (const { pid } of daemons) signal(pid, "SIGTERM");
  const deadline = Date.now() + 5_000;
  for (const { pid } of daemons) {
    while (alive(pid) && Date.now() < deadline) await sleep(20);
    if (alive(pid)) signal(pid, "SIGKILL");
  }
  return daemons.length;
}

/** Whether a process still runs (a zombie waiting for its parent does not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
