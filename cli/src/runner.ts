import { engineBackend, failedRun, type BackendRun } from "../../wasm-runtime/api/index.ts";
import type { AuditEvent, OutputStream, RunResult } from "../../wasm-runtime/index.ts";
import { disableTableLimitForTests } from "../../wasm-runtime/module/index.ts";
import type { DaemonReply, DaemonRequest } from "./daemon.ts";
import { nodeEngines } from "./node-engine.ts";
import { runCommand } from "./run-command.ts";

/**
 * A runner: a child process of the daemon that runs one command at a time, so
 * whatever a guest does to its process — exhaust V8's heap, leave a thread
 * spinning that the SDK cannot stop — ends this process only, never the daemon
 * or another run. It keeps the engines warm between runs, and asks to be
 * replaced when it holds something it cannot give back (see `recycle`).
 */

/** Supervisor → runner: a `playpen run` command, or one run of a library sandbox (an MCP session's). */
export type ToRunner = { type: "run"; request: DaemonRequest } | { type: "sandbox-run"; run: BackendRun } | { type: "answer"; answer: string };

/** What a sandbox run reports while it goes on (RunObserver's calls, as messages). */
export type RunEvent = { kind: "output"; stream: OutputStream; text: string } | { kind: "audit"; events: AuditEvent[] };

/** Runner → supervisor: `ready` once warm, the run's replies or events, then `done` (with a sandbox run's result). */
export type FromRunner =
  | { type: "ready" }
  | { type: "reply"; reply: DaemonReply }
  | { type: "event"; event: RunEvent }
  | { type: "done"; exit: number; recycle: string | null; result?: RunResult };

/** Resident memory above which a runner is replaced after its run: @wasmer/sdk never gives back what a guest's files took. */
const RECYCLE_RSS_BYTES = 1536 * 1024 * 1024;

export async function serveRuns(): Promise<void> {
  // The supervisor going away (even killed) closes the channel: nothing to run for.
  process.on("disconnect", () => process.exit(0));
  if (process.env.PLAYPEN_TEST_UNBOUNDED_TABLES === "1") disableTableLimitForTests();
  const engines = nodeEngines();
  await Promise.all([engines("wasmer").prepare("python"), engines("gated").prepare("python")]);
  const send = (message: FromRunner) => process.send!(message);
  let answers: ((reply: string) => void)[] = [];
  process.on("message", (message: ToRunner) => {
    if (message.type === "answer") answers.shift()?.(message.answer);
    else if (message.type === "sandbox-run") void sandboxRun(message.run);
    else void run(message.request);
  });

  // Stopping a sandbox run is the supervisor's job: it kills this process (nothing else can stop a wasmer guest).
  const backend = engineBackend(engines);
  async function sandboxRun(run: BackendRun): Promise<void> {
    const event = (e: RunEvent) => send({ type: "event", event: e });
    const observer = { output: (stream: OutputStream, text: string) => event({ kind: "output", stream, text }), audit: (events: AuditEvent[]) => event({ kind: "audit", events }) };
    const result = await backend(run, observer, new AbortController().signal).catch((error: unknown) => failedRun(`the run could not start: ${(error as Error).message}`));
    send({ type: "done", exit: result.exitCode, recycle: recycleReason(), result });
  }

  async function run(request: DaemonRequest): Promise<void> {
    answers = [];
    const prompt = (question: string) =>
      new Promise<string>((resolve) => {
        answers.push(resolve);
        send({ type: "reply", reply: { ask: question } });
      });
    const write = (stream: "stdout" | "stderr", text: string) => send({ type: "reply", reply: { stream, text } });
    const stdin = request.stdin === null ? undefined : new Uint8Array(Buffer.from(request.stdin, "base64"));
    let exit: number;
    try {
      // The caller's variables it sent (`--secret NAME` reads its value from them).
      const env = (name: string) => (request.env && Object.hasOwn(request.env, name) ? request.env[name] : undefined);
      const io = { cwd: request.cwd, stdin, write, env, ...(request.outputTerminals && { terminal: request.outputTerminals }), ...(request.terminal && { prompt }) };
      exit = await runCommand(request.argv, io, engines);
    } catch (error) {
      write("stderr", `playpen daemon: ${(error as Error).stack ?? String(error)}\n`);
      exit = 70;
    }
    send({ type: "done", exit, recycle: recycleReason() });
  }

  function recycleReason(): string | null {
    const abandoned = engines("wasmer").abandonedGuests + engines("gated").abandonedGuests;
    if (abandoned > 0) return `${abandoned} guest(s) the engine could not stop`;
    const rss = process.memoryUsage.rss();
    return rss > RECYCLE_RSS_BYTES ? `resident memory ${Math.round(rss / 2 ** 20)} MiB` : null;
  }

  send({ type: "ready" });
}
