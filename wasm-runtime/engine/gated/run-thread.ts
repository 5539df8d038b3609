import { describeResource, type AccessRequest, type AuditEvent } from "../../capabilities.ts";
import { auditEvent, compilePolicy, explainDenial, WORKSPACE_ROOT } from "../../policy/index.ts";
import type { OutputStream } from "../../types.ts";
import { fromSnapshot, snapshot, type VirtualFs } from "../../vfs/index.ts";
import { coarseRealtime, createWasiHost, DEFAULT_RESOLUTION_NS, type TraceCall } from "../../wasi/index.ts";
import { ASK_ANSWER, ASK_STATE, ASK_TIMEOUT_MS, MAX_TRACE_CALLS, type FromRunThread, type RunJob, type RunThreadPort } from "./protocol.ts";
import { seededRandom } from "./seeded-random.ts";
import { awaitToolReply } from "./tool-cell.ts";
import { SOCKET_CHANNEL } from "../../tools/socket-calls.ts";
import { PROCESS_CHANNEL } from "./subprocesses.ts";

/** Output, audit events and traced calls leave the thread at most this often while the guest runs. */
const BATCH_MS = 16;

// Thread side: runs one guest per job, synchronously, and reports as it goes.
export function serveRunThread(port: RunThreadPort): void {
  port.onMessage((job) => port.post(runJob(job, port)));
}

function runJob(job: RunJob, port: RunThreadPort): FromRunThread {
  const resolutionNs = job.policy.clock.resolutionMs * 1_000_000 || DEFAULT_RESOLUTION_NS;
  // File timestamps must not leak a finer clock than the guest's own.
  const fs = fromSnapshot(job.fs, { now: coarseRealtime(resolutionNs) });
  const reports = new Reports(port, job.outputBytes);
  const gate = policyGate(job, reports, fs);
  const host = createWasiHost({
    fs,
    gate,
    args: job.args,
    env: job.env,
    stdin: job.stdin,
    stdout: (bytes) => reports.output("stdout", bytes),
    stderr: (bytes) => reports.output("stderr", bytes),
    clock: { resolutionNs },
    random: job.policy.random.seed === null ? undefined : seededRandom(job.policy.random.seed),
    tools: { names: job.tools, channels: [SOCKET_CHANNEL, PROCESS_CHANNEL], call: toolCaller(job, reports) },
    trace: job.trace ? (call) => reports.trace(call) : undefined,
  });
  let memory: WebAssembly.Memory | undefined;
  // A failed allocation leaves memory short of the cap by at most its own size:
  // ending badly within an eighth of the cap is taken as hitting it.
  const memoryLimitReached = () => (memory?.buffer.byteLength ?? 0) > job.memoryLimitBytes * (7 / 8);
  try {
    const instance = new WebAssembly.Instance(job.module, host.imports);
    memory = instance.exports.memory as WebAssembly.Memory;
    const exitCode = host.start(instance);
    reports.flush();
    return {
      type: "exit",
      exitCode,
      fs: snapshot(fs),
      truncated: reports.truncated,
      memoryLimitReached: exitCode !== 0 && memoryLimitReached(),
      memoryBytes: memory?.buffer.byteLength ?? 0,
      // A raw module over a mount at / has no /workspace.
      workspacePeakBytes: (fs.locate(WORKSPACE_ROOT).node && fs.quotaAt(WORKSPACE_ROOT)?.peak) || 0,
    };
  } catch (error) {
    reports.flush();
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { type: "crash", message, truncated: reports.truncated, memoryLimitReached: memoryLimitReached() };
  }
}

/**
 * Denials the guest is told about on its stderr, one line each, are capped per run;
 * the audit log keeps them all.
 */
const MAX_EXPLAINED_DENIALS = 20;
/**
 * Existence checks are only audited, not explained: runtimes probe many paths
 * at start-up (Ruby's load path, for one) that do not concern the program, and
 * a denied stat is what "not there" looks like to most code anyway.
 */
const LOOKUPS = new Set(["path_filestat_get", "path_readlink"]);

/**
 * Decides every file access against the policy, asks when a rule says so, and
 * records each decision; a denied write says if it lies in a read-only mount of
 * `fs` (its fix is then the mount's mode, not a rule).
 */
function policyGate(job: RunJob, reports: Reports, fs: VirtualFs) {
  const decider = compilePolicy(job.policy);
  const explained = new Set<string>();
  // "Allow always" answers hold for the rest of the run (the page also adds a rule).
  const allowedByAnswer = new Set<string>();
  return (request: AccessRequest, syscall: string): boolean => {
    const resource = describeResource(request);
    const key = `${request.capability}:${resource}:${"access" in request ? request.access : ""}`;
    let { decision, rule } = decider.decide(request);
    if (decision === "ask") {
      if (allowedByAnswer.has(key)) {
        decision = "allow";
        rule = "answered: allow always";
      } else {
        const answer = ask(job, reports, request, syscall);
        decision = answer === "deny" ? "deny" : "allow";
        rule = `answered: ${answer === "once" ? "allow once" : answer === "always" ? "allow always" : "deny"}`;
        if (answer === "always") allowedByAnswer.add(key);
      }
    }
    const readOnlyMount = decision === "deny" && request.capability === "file" && request.access === "write" ? fs.readOnlyRootOf(request.path) : undefined;
    const event = auditEvent(job.runId, request, decision, rule, syscall, readOnlyMount);
    reports.audit(event);
    if (decision === "deny" && !LOOKUPS.has(syscall) && !explained.has(key) && explained.size <= MAX_EXPLAINED_DENIALS) {
      explained.add(key);
      const line = explained.size > MAX_EXPLAINED_DENIALS ? "playpen: more denials are not shown here; the audit log has them all" : explainDenial(event);
      reports.output("stderr", new TextEncoder().encode(`${line}
`));
    }
    return decision === "allow";
  };
}

/** A tool call is decided and performed by the controller; the guest blocks until the reply is in. */
function toolCaller(job: RunJob, reports: Reports) {
  return (name: string, request: string): string => {
    const cell = job.toolCell;
    if (!cell) return JSON.stringify({ error: "tools need SharedArrayBuffer (a cross-origin isolated page)" });
    return awaitToolReply(cell, () => {
      // Everything the guest did before the call is reported before the call's own decisions.
      reports.flush();
      reports.send(name === SOCKET_CHANNEL ? { type: "socket", request } : name === PROCESS_CHANNEL ? { type: "process", request } : { type: "tool", name, request });
    });
  };
}

/** Blocks the guest until the controller answers (or the time is up, which denies). */
function ask(job: RunJob, reports: Reports, request: AccessRequest, syscall: string): "once" | "always" | "deny" | "timeout" {
  if (!job.askCell) return "deny";
  const cell = new Int32Array(job.askCell);
  Atomics.store(cell, 0, ASK_STATE.waiting);
  reports.flush();
  reports.send({ type: "ask", request, syscall });
  if (Atomics.wait(cell, 0, ASK_STATE.waiting, ASK_TIMEOUT_MS) === "timed-out") return "timeout";
  switch (Atomics.load(cell, 1)) {
    case ASK_ANSWER.once:
      return "once";
    case ASK_ANSWER.always:
      return "always";
    default:
      return "deny";
  }
}

/** Coalesces output, audit events and traced calls into a message per BATCH_MS, and caps output per stream and the trace. */
class Reports {
  readonly truncated: Record<OutputStream, boolean> = { stdout: false, stderr: false };
  readonly #port: RunThreadPort;
  readonly #caps: Record<OutputStream, number>;
  readonly #sent = { stdout: 0, stderr: 0 };
  /** Output not yet sent, in the order written (the exfiltration filter reads both streams as one text). */
  #pending: { stream: OutputStream; chunks: Uint8Array[] }[] = [];
  #events: AuditEvent[] = [];
  #calls: TraceCall[] = [];
  #traced = 0;
  /** A call beyond MAX_TRACE_CALLS was dropped; reported with the next batch. */
  #traceCut = false;
  #traceCutReported = false;
  #lastFlush = performance.now();

  constructor(port: RunThreadPort, caps: Record<OutputStream, number>) {
    this.#port = port;
    this.#caps = caps;
  }

  output(stream: OutputStream, bytes: Uint8Array): void {
    const room = this.#caps[stream] - this.#sent[stream];
    if (bytes.length > room) this.truncated[stream] = true;
    if (room <= 0) return;
    const kept = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.#sent[stream] += kept.length;
    const last = this.#pending.at(-1);
    if (last?.stream === stream) last.chunks.push(kept);
    else this.#pending.push({ stream, chunks: [kept] });
    this.#maybeFlush();
  }

  audit(event: AuditEvent): void {
    this.#events.push(event);
    this.#maybeFlush();
  }

  trace(call: TraceCall): void {
    if (this.#traced < MAX_TRACE_CALLS) {
      this.#traced++;
      this.#calls.push(call);
    } else {
      this.#traceCut = true;
    }
    this.#maybeFlush();
  }

  send(message: FromRunThread): void {
    this.#port.post(message);
  }

  flush(): void {
    this.#lastFlush = performance.now();
    for (const { stream, chunks } of this.#pending) {
      const bytes = concat(chunks);
      this.#port.post({ type: "output", stream, bytes }, [bytes.buffer]);
    }
    this.#pending = [];
    if (this.#events.length > 0) {
      this.#port.post({ type: "audit", events: this.#events });
      this.#events = [];
    }
    if (this.#calls.length > 0 || this.#traceCut !== this.#traceCutReported) {
      this.#port.post({ type: "trace", calls: this.#calls, truncated: this.#traceCut });
      this.#calls = [];
      this.#traceCutReported = this.#traceCut;
    }
  }

  #maybeFlush(): void {
    if (performance.now() - this.#lastFlush >= BATCH_MS) this.flush();
  }
}

function concat(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

