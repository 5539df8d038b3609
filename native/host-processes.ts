/**
 * Looks at the host's process table, to prove that a stopped run left
 * nothing running. Reads /proc directly: no ps, no parsing of its columns.
 */
import { readdirSync, readFileSync } from "node:fs";
import { RUN_ID_PATTERN } from "./run-plan.ts";

export interface HostProcess {
  pid: number;
  /** The command line, arguments joined by spaces. */
  cmdline: string;
}

export function hostProcesses(): HostProcess[] {
  const found: HostProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const raw = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (raw) found.push({ pid: Number(entry), cmdline: raw.replaceAll("\0", " ").trim() });
    } catch {
      // It exited while we looked.
    }
  }
  return found;
}

/** Processes other than this one whose command line contains `text`. */
export function processesMentioning(text: string): HostProcess[] {
  return hostProcesses().filter((p) => p.pid !== process.pid && p.cmdline.includes(text));
}

/** Leftover descriptions for processes still naming a run (or any run, by the shape of run ids). */
export function processLeftovers(runId?: string): string[] {
  const found = runId ? processesMentioning(runId) : hostProcesses().filter((p) => p.pid !== process.pid && RUN_ID_PATTERN.test(p.cmdline));
  return found.map((p) => `process ${p.pid}: ${p.cmdline.slice(0, 200)}`);
}
