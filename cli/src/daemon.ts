import { existsSync, rmSync } from "node:fs";
import net from "node:net";
import { createInterface } from "node:readline";
import { EXIT_CODE } from "../../wasm-runtime/types.ts";
import { parseRunOptions } from "./options.ts";
import { RunnerPool } from "./runner-pool.ts";

/**
 * The warm background process behind `playpen run`: a supervisor that hands
 * each request to a warm runner process of its own (runner-pool.ts), so a
 * command costs a run, not a start-up, and a run that crashes its process
 * ends only itself. Each request still gets a fresh sandbox. Protocol, one JSON object
 * per line — request: {argv, cwd, stdin: base64 | null, terminal, env}; replies:
 * {stream, text}… then {exit}; when `terminal` is true an `ask` rule sends
 * {ask: question} and waits for the client's {answer: reply}. It exits after
 * IDLE_MS without requests.
 */
const IDLE_MS = 10 * 60_000;
/** How often the daemon checks that its socket file still exists (the client removes outdated ones). */
const SOCKET_CHECK_MS = 5_000;

export interface DaemonRequest {
  argv: string[];
  cwd: string;
  stdin: string | null;
  /** The client has a terminal to ask on. */
  terminal: boolean;
  /** The client's variables that `--secret NAME` may ask for (only those). */
  env?: Record<string, string>;
}

export type DaemonReply = { stream: "stdout" | "stderr"; text: string } | { ask: string } | { exit: number };

export async function serve(socketPath: string): Promise<void> {
  // Listening starts at once: a request that comes before the first runner is warm waits for it.
  const runners = new RunnerPool();
  runners.warm();
  let active = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const armIdleTimer = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (active === 0) shutdown();
    }, IDLE_MS);
  };

  const server = net.createServer((socket) => {
    active++;
    clearTimeout(idleTimer);
    const gone = new AbortController();
    socket.on("close", () => gone.abort());
    socket.on("error", () => gone.abort());
    const send = (reply: DaemonReply) => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
    };
    const lines = createInterface({ input: socket });
    // After the request, each line is the answer to the oldest question still open.
    let answer: (reply: string) => void = () => {};
    let started = false;
    lines.on("line", (line) => {
      if (started) return answer(String((JSON.parse(line) as { answer?: unknown }).answer ?? ""));
      started = true;
      void handle(JSON.parse(line) as DaemonRequest).finally(() => {
        lines.close();
        active--;
        armIdleTimer();
      });
    });
    async function handle(request: DaemonRequest) {
      try {
        const outcome = await runners.run(request, { reply: send, onAnswer: (listener) => (answer = listener), gone: gone.signal });
        if (outcome.crash !== undefined) send(crashReport(request, outcome.crash));
        send({ exit: outcome.exit });
      } catch (error) {
        send({ stream: "stderr", text: `playpen daemon: ${(error as Error).message}\n` });
        send({ exit: 70 });
      }
      socket.end();
    }
  });

  function shutdown() {
    server.close();
    runners.close();
    rmSync(socketPath, { force: true });
    process.exit(0);
  }

  rmSync(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => server.listen(socketPath, resolve).once("error", reject));
  process.on("SIGTERM", shutdown);
  setInterval(() => existsSync(socketPath) || shutdown(), SOCKET_CHECK_MS).unref();
  armIdleTimer();
}

/** A crashed run's result as its client expects it: one JSON object with --json, a line on stderr otherwise. */
function crashReport(request: DaemonRequest, crash: string): DaemonReply {
  let json = false;
  try {
    json = parseRunOptions(request.argv).json;
  } catch {
    // A request that does not parse never reaches a guest, so never crashes one.
  }
  if (!json) return { stream: "stderr", text: `playpen: ${crash}\n` };
  const result = { exitCode: EXIT_CODE.error, reason: "error", stdout: "", stderr: "", durationMs: 0, error: crash, audit: [] };
  return { stream: "stdout", text: `${JSON.stringify(result)}\n` };
}
