/**
 * The bait the containment probes go for, planted on the host before they
 * run: a file outside every sandbox root, a place to write outside it, a TCP
 * listener on 127.0.0.1 that answers with a token, a process with a marker
 * name, and a secret in the runner's environment that no guest is granted.
 * Tokens are random per session, so a probe cannot "find" them by accident.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { RUNS } from "../paths.ts";

export interface Canaries {
  /** Host folder holding the canary file; no sandbox root contains it. */
  dir: string;
  file: string;
  /** The canary file's content, and the listener's greeting. */
  token: string;
  /** Where the write probe tries to create a file. */
  outsidePath: string;
  port: number;
  /** argv[0] of the canary process. */
  marker: string;
  /** Appears in the CPU runaway's command line, to find it if it survived. */
  runawayTag: string;
  secretName: string;
  secretValue: string;
  /** Variables for the backend's own process: the secret the guest must not see. */
  hostEnv: Record<string, string>;
  dispose(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address && typeof address === "object") resolve(address.port);
      else reject(new Error("canary listener has no port"));
    });
  });
}

export async function plantCanaries(): Promise<Canaries> {
  const id = randomBytes(6).toString("hex");
  const token = `playpen-canary-${id}`;
  const dir = join(RUNS, `canary-${id}`);
  mkdirSync(dir, { recursive: true });
  // Readable by anyone on the host: what stops a guest must be its sandbox, not file modes.
  chmodSync(dir, 0o755);
  const file = join(dir, "secret.txt");
  writeFileSync(file, `${token}\n`, { mode: 0o644 });

  const server = createServer((socket) => socket.end(`${token}\n`));
  const port = await listen(server);

  const marker = `playpen-canary-process-${id}`;
  const sleeper: ChildProcess = spawn("sleep", ["3600"], { argv0: marker, stdio: "ignore" });

  const secretName = "PLAYPEN_CANARY_SECRET";
  const secretValue = `secret-${id}`;

  return {
    dir,
    file,
    token,
    outsidePath: join(dir, "written-by-guest.txt"),
    port,
    marker,
    runawayTag: `playpen-runaway-${id}`,
    secretName,
    secretValue,
    hostEnv: { [secretName]: secretValue },
    async dispose() {
      sleeper.kill("SIGKILL");
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
