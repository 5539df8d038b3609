import { existsSync, rmSync } from "node:fs";
import net from "node:net";
import { createInterface } from "node:readline";
import { createNodeEngine } from "./node-engine.ts";
import { runCommand } from "./run-command.ts";

/**
 * The warm background process behind `playpen run`: it keeps the WASI runtime
 * and compiled language runtimes loaded, so a command costs a run, not a
 * start-up. Each request still gets a fresh sandbox. Protocol, one JSON object
 * per line — request: {argv, cwd, stdin: base64 | null}; replies:
 * {stream, text}… then {exit}. It exits after IDLE_MS without requests.
 */
const IDLE_MS = 10 * 60_000;
/** How often the daemon checks that its socket file still exists (the client removes outdated ones). */
const SOCKET_CHECK_MS = 5_000;

export interface DaemonRequest {
  argv: string[];
  cwd: string;
  stdin: string | null;
}

export type DaemonReply = { stream: "stdout" | "stderr"; text: string } | { exit: number };

export async function serve(socketPath: string): Promise<void> {
  const engine = createNodeEngine();
  await engine.prepare("python");
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
    lines.once("line", (line) => {
      lines.close();
      void handle(JSON.parse(line) as DaemonRequest).finally(() => {
        active--;
        armIdleTimer();
      });
    });
    async function handle(request: DaemonRequest) {
      try {
        const stdin = request.stdin === null ? undefined : new Uint8Array(Buffer.from(request.stdin, "base64"));
        const write = (stream: "stdout" | "stderr", text: string) => send({ stream, text });
        send({ exit: await runCommand(request.argv, { cwd: request.cwd, stdin, write, signal: gone.signal }, engine) });
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
