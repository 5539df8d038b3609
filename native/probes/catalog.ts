/**
 * The containment probes: what each tries, with which bait, for how long, and
 * how its outcome becomes a verdict. A probe's own verdict is what it saw from
 * the inside; the judge here adds what only the host can see (did the file
 * really appear on the host? was that the host's token or another listener's?).
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { release } from "node:os";
import { join } from "node:path";
import { WORKLOAD_SOURCES } from "../paths.ts";
import type { RunResult } from "../types.ts";
import type { Canaries } from "./canaries.ts";
import { crashed, reportedVerdict, wasKilled, type Judgement } from "./verdict.ts";

export interface Probe {
  id: string;
  title: string;
  /** What "allowed" would mean for the host. */
  risk: string;
  source: string;
  binary: string;
  args(canaries: Canaries): string[];
  timeoutMs: number;
  judge(result: RunResult, canaries: Canaries): Judgement;
}

/** Output a runner captures at most: the flood probe is judged against it. */
export const PROBE_OUTPUT_LIMIT = 1024 * 1024;

/** The CPU runaway's time limit: long enough for every backend to start it. */
const RUNAWAY_LIMIT_MS = 5_000;

function probe(id: string, title: string, risk: string, rest: Pick<Probe, "args" | "timeoutMs" | "judge">): Probe {
  return { id, title, risk, source: join(WORKLOAD_SOURCES, `probe-${id}.c`), binary: `probe-${id}`, ...rest };
}

/** Use the probe's own verdict; without one it crashed. */
const asReported = (result: RunResult): Judgement => reportedVerdict(result) ?? crashed(result);

/** "allowed" only when what the guest read is the host's token; something else at that place is a private copy. */
function matchesToken(result: RunResult, expected: string, elsewhere: string): Judgement {
  const reported = reportedVerdict(result);
  if (!reported) return crashed(result);
  if (reported.verdict !== "allowed") return reported;
  return reported.detail.includes(expected) ? reported : { verdict: "contained", detail: `${elsewhere}: ${reported.detail}` };
}

export const PROBES: Probe[] = [
  probe("read-canary", "Read a host file", "the guest reads the user's files: keys, tokens, source", {
    args: (c) => [c.file],
    timeoutMs: 60_000,
    judge: (result, c) => matchesToken(result, c.token, "read a different file at that path"),
  }),
  probe("write-outside", "Write outside the sandbox", "the guest plants or changes files on the host", {
    args: (c) => [c.outsidePath, c.token],
    timeoutMs: 60_000,
    judge(result, c) {
      const reported = reportedVerdict(result);
      const landed = existsSync(c.outsidePath) && readFileSync(c.outsidePath, "utf8") === c.token;
      // Remove it now: the next backend's probe must start from a clean host.
      rmSync(c.outsidePath, { force: true });
      if (landed) return { verdict: "allowed", detail: "the file appeared on the host" };
      if (!reported) return crashed(result);
      if (reported.verdict === "allowed") return { verdict: "contained", detail: "the write succeeded inside but never reached the host" };
      return reported;
    },
  }),
  probe("list-processes", "See host processes", "the guest learns what else runs on the host, and can signal it", {
    args: (c) => [c.marker],
    timeoutMs: 60_000,
    judge: asReported,
  }),
  probe("loopback-connect", "Connect to 127.0.0.1", "the guest reaches services bound to the host's loopback (databases, dev servers, metadata proxies)", {
    args: (c) => [String(c.port)],
    timeoutMs: 60_000,
    judge: (result, c) => matchesToken(result, c.token, "reached a different listener"),
  }),
  probe("env-secret", "Read an ungranted environment variable", "secrets in the runner's environment leak to the guest", {
    args: (c) => [c.secretName],
    timeoutMs: 60_000,
    judge: (result, c) => matchesToken(result, c.secretValue, "saw a variable of that name with another value"),
  }),
  probe("fork-bomb", "Fork bomb (bounded at 512)", "the guest exhausts the host's process table", {
    args: () => ["512"],
    timeoutMs: 60_000,
    judge(result) {
      const reported = reportedVerdict(result);
      if (reported) return reported;
      if (wasKilled(result)) return { verdict: "contained", detail: "the sandbox killed it" };
      return crashed(result);
    },
  }),
  probe("memory-bomb", "Memory bomb (bounded at 1 GiB)", "the guest exhausts the host's memory", {
    args: () => ["1024"],
    timeoutMs: 60_000,
    judge(result) {
      const reported = reportedVerdict(result);
      if (reported) return reported;
      if (wasKilled(result)) {
        const progress = [...`${result.stdout}\n${result.stderr}`.matchAll(/allocated_mib: (\d+)/g)].pop();
        return { verdict: "contained", detail: `killed by the memory limit after ${progress?.[1] ?? "<16"} MiB` };
      }
      return crashed(result);
    },
  }),
  probe("cpu-runaway", "CPU runaway", "a guest that never ends holds a CPU forever", {
    // The probe gives up by itself after 60 s of CPU, so even a broken runner does not leave it spinning.
    args: (c) => ["60", c.runawayTag],
    timeoutMs: RUNAWAY_LIMIT_MS,
    judge(result) {
      if (result.timedOut) return { verdict: "contained", detail: `stopped at the ${RUNAWAY_LIMIT_MS / 1000} s time limit` };
      if (result.signal === "SIGXCPU" || result.exitCode === 128 + 24) return { verdict: "contained", detail: "stopped by a CPU-time limit" };
      return asReported(result);
    },
  }),
  probe("output-flood", "Output flood (64 MiB)", "the guest fills the runner's memory or disk with output", {
    args: () => ["64"],
    timeoutMs: 60_000,
    judge(result) {
      if (result.outputTruncated) return { verdict: "contained", detail: `stopped at the runner's ${PROBE_OUTPUT_LIMIT / 1024 / 1024} MiB output cap` };
      return asReported(result);
    },
  }),
  probe("hires-timer", "High-resolution timer", "a fine clock enables timing side channels (Spectre, cache attacks)", {
    args: () => [],
    timeoutMs: 60_000,
    judge: asReported,
  }),
  probe("kernel-identity", "Host kernel identity", "the guest learns the host kernel's exact build and can target its bugs", {
    args: () => [],
    timeoutMs: 60_000,
    judge(result) {
      const reported = reportedVerdict(result);
      if (!reported) return crashed(result);
      if (reported.verdict !== "allowed") return reported;
      return reported.detail.includes(release())
        ? reported
        : { verdict: "contained", detail: `sees another kernel: ${reported.detail}` };
    },
  }),
];
