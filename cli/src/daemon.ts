import { randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { chmod, link, open, rename, unlink } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { EXIT_CODE } from "../../wasm-runtime/types.ts";
import { parseRunOptions } from "./options.ts";
import { RunnerPool } from "./runner-pool.ts";

/**
 * The warm background process behind `playpen run`: a supervisor that hands
 * each request to a warm runner process of its own (runner-pool.ts), so a
 * command costs a run, not a start-up, and a run that crashes its process
 * ends only itself. Each request still gets a fresh sandbox. Protocol, one JSON object
 * per line — request: {key, argv, cwd, stdin: base64 | null, terminal, outputTerminals, env}; replies:
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
  /** Which of the client's output streams are terminals (control characters are made visible there). */
  outputTerminals?: { stdout: boolean; stderr: boolean };
  /** The client's variables that `--secret NAME` may ask for (only those). */
  env?: Record<string, string>;
}

/** What a client sends: a request and the daemon's key, which proves it runs as the daemon's owner. */
export type ClientRequest = DaemonRequest & { key: string };

export type DaemonReply = { stream: "stdout" | "stderr"; text: string } | { ask: string } | { exit: number };

/**
 * Who may connect. Node does not expose the peer's uid (SO_PEERCRED), so the
 * daemon proves it another way: a random key written to `keyPath`, readable
 * by its owner only (mode 0600, in the client's private folder), which every
 * request must carry. A request without it is refused before anything runs.
 */
export async function serve(socketPath: string, keyPath: string): Promise<void> {
  const key = randomBytes(32).toString("hex");
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
      if (started) return answer(String((parseLine(line) as { answer?: unknown }).answer ?? ""));
      started = true;
      active++;
      clearTimeout(idleTimer);
      const { key: presented, ...request } = parseLine(line) as ClientRequest;
      void (sameKey(presented, key) ? handle(request) : refuse()).finally(() => {
        lines.close();
        active--;
        if (retiring && active === 0) shutdown();
        else armIdleTimer();
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
    async function refuse() {
      send({ stream: "stderr", text: "playpen daemon: refused: the request does not carry this daemon's key (only its owner can read it)\n" });
      send({ exit: EXIT_CODE.error });
      socket.end();
    }
  });

  /**
   * A daemon whose socket is gone (a newer client retired it after a code change,
   * or its folder was removed) takes no new request but finishes the runs it has:
   * an upgrade never ends a run that did nothing wrong.
   */
  let retiring = false;
  function retire() {
    if (retiring) return;
    retiring = true;
    server.close();
    if (active === 0) shutdown();
  }

  function shutdown() {
    server.close();
    runners.close();
    rmSync(socketPath, { force: true });
    rmSync(keyPath, { force: true });
    process.exit(0);
  }

  // Bound under a name of its own and made owner-only before it is linked into place: never reachable with other rights.
  const bound = temporaryBeside(socketPath);
  await new Promise<void>((resolve, reject) => server.listen(bound, resolve).once("error", reject));
  await chmod(bound, 0o600);
  const placed = await placeSocket(bound, socketPath, keyPath);
  await unlink(bound);
  if (!placed) {
    // Clients that raced to start a daemon started several: the first to take the name serves, the others leave.
    server.close();
    runners.close();
    process.exit(0);
  }
  await writePrivately(keyPath, key);
  process.on("SIGTERM", shutdown);
  setInterval(() => existsSync(socketPath) || retire(), SOCKET_CHECK_MS).unref();
  armIdleTimer();
}

/** A line that is not JSON reads as an empty object: refused as a request, an empty answer (a denial) as an answer. */
function parseLine(line: string): object {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null ? value : {};
  } catch {
    return {};
  }
}

/**
 * Links the bound socket at `socketPath` unless a live daemon holds that name
 * (link never replaces a file, unlike rename); a dead daemon's socket and key
 * are removed first. False when another daemon serves.
 */
async function placeSocket(bound: string, socketPath: string, keyPath: string): Promise<boolean> {
  for (;;) {
    try {
      await link(bound, socketPath);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (await answers(socketPath)) return false;
    rmSync(socketPath, { force: true });
    rmSync(keyPath, { force: true });
  }
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}

function sameKey(presented: unknown, key: string): boolean {
  return typeof presented === "string" && presented.length === key.length && timingSafeEqual(Buffer.from(presented), Buffer.from(key));
}

function temporaryBeside(file: string): string {
  return path.join(path.dirname(file), `.playpen-${randomBytes(6).toString("hex")}`);
}

/** Writes `file` owner-only and whole: to a new temporary file (mode 0600, O_EXCL), then renamed over it. */
async function writePrivately(file: string, text: string): Promise<void> {
  const temporary = temporaryBeside(file);
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
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
