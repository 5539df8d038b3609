import { existsSync, rmSync } from "node:fs";
import net from "node:net";
import { createInterface } from "node:readline";
import type { AccessRequest, AskAnswer } from "../../wasm-runtime/index.ts";
import { answerOf, askQuestion } from "./ask-question.ts";
import { nodeEngines } from "./node-engine.ts";
import { runCommand } from "./run-command.ts";

/**
 * The warm background process behind `playpen run`: it keeps the WASI runtime
 * and compiled language runtimes loaded, so a command costs a run, not a
 * start-up. Each request still gets a fresh sandbox. Protocol, one JSON object
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
  const engines = nodeEngines();
  await Promise.all([engines("wasmer").prepare("python"), engines("gated").prepare("python")]);
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
    const answers: ((reply: string) => void)[] = [];
    let started = false;
    lines.on("line", (line) => {
      if (started) return answers.shift()?.(String((JSON.parse(line) as { answer?: unknown }).answer ?? ""));
      started = true;
      void handle(JSON.parse(line) as DaemonRequest).finally(() => {
        lines.close();
        active--;
        armIdleTimer();
      });
    });
    const ask = (request: AccessRequest, syscall: string) =>
      new Promise<AskAnswer>((resolve) => {
        answers.push((reply) => resolve(answerOf(reply)));
        send({ ask: askQuestion(request, syscall) });
      });
    async function handle(request: DaemonRequest) {
      try {
        const stdin = request.stdin === null ? undefined : new Uint8Array(Buffer.from(request.stdin, "base64"));
        const write = (stream: "stdout" | "stderr", text: string) => send({ stream, text });
        const env = (name: string) => (request.env && Object.hasOwn(request.env, name) ? request.env[name] : undefined);
        const io = { cwd: request.cwd, stdin, write, signal: gone.signal, env, ...(request.terminal && { ask }) };
        send({ exit: await runCommand(request.argv, io, engines) });
      } catch (error) {
        send({ stream: "stderr", text: `playpen daemon: ${(error as Error).stack ?? String(error)}\n` });
        send({ exit: 70 });
      }
      socket.end();
    }
  });

  function shutdown() {
    server.close();
    rmSync(socketPath, { force: true });
    process.exit(0);
  }

  rmSync(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => server.listen(socketPath, resolve).once("error", reject));
  process.on("SIGTERM", shutdown);
  setInterval(() => existsSync(socketPath) || shutdown(), SOCKET_CHECK_MS).unref();
  armIdleTimer();
}
