#!/usr/bin/env node
// Thin client for `playpen run`. Plain JavaScript that loads nothing heavy, so
// a command costs one Node start plus one run in the warm daemon (started on
// first use). PLAYPEN_NO_DAEMON=1 runs everything in this process instead;
// PLAYPEN_DAEMON_DIR moves the daemon's socket folder (tests use their own).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DaemonFolderError, privateFolder } from "./private-folder.mjs";
import { terminalOutput } from "./terminal.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DAEMON_START_TIMEOUT_MS = 20_000;
const STDIN_GRACE_MS = 200;
const KEY_WAIT_MS = 2_000;

const argv = process.argv.slice(2);

if (argv[0] === "--serve") {
  const { serve } = await loadTs("cli/src/daemon.ts");
  await serve(argv[1], argv[2]);
} else if (argv[0] === "--runner") {
  // One of the daemon's run processes (cli/src/runner.ts), started by it over an IPC channel.
  const { serveRuns } = await loadTs("cli/src/runner.ts");
  await serveRuns();
} else if (argv[0] === "mcp") {
  // The MCP server (cli/src/mcp/): stdio, or Streamable HTTP with --http PORT.
  const { serveMcp } = await loadTs("cli/src/mcp/server.ts");
  await serveMcp(argv);
} else {
  const programFromStdin = argv.includes("-");
  const stdin = process.stdin.isTTY && !programFromStdin ? undefined : await readStdin(programFromStdin);
  process.exitCode = process.env.PLAYPEN_NO_DAEMON ? await runInProcess(stdin) : await runViaDaemon(stdin);
  // The SDK's worker threads would keep an in-process run alive: exit once output is flushed.
  process.stdout.write("", () => process.exit());
}

async function runInProcess(stdin) {
  const { runInProcess } = await loadTs("cli/src/in-process.ts");
  return runInProcess(argv, stdin);
}

async function runViaDaemon(stdin) {
  let socketPath;
  try {
    socketPath = daemonSocketPath();
  } catch (error) {
    if (!(error instanceof DaemonFolderError)) throw error;
    process.stderr.write(`playpen: ${error.message}\n`);
    return 126;
  }
  let socket = await connect(socketPath);
  if (!socket) {
    startDaemon(socketPath);
    const deadline = Date.now() + DAEMON_START_TIMEOUT_MS;
    while (!socket && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket = await connect(socketPath);
    }
  }
  if (!socket) return runInProcess(stdin);
  process.once("SIGINT", () => socket.destroy());
  const terminal = Boolean(process.stdin.isTTY);
  // The daemon serves only whoever can read its key, which only its owner can (see daemon.ts).
  let key;
  try {
    key = await readKey(keyPathOf(socketPath));
  } catch (error) {
    socket.destroy();
    process.stderr.write(`playpen: cannot read the daemon's key ${keyPathOf(socketPath)}: ${error.message}\n`);
    return 126;
  }
  const output = terminalOutput();
  const request = { key, argv, cwd: process.cwd(), stdin: stdin ? stdin.toString("base64") : null, terminal, outputTerminals: output.terminals, env: secretEnv(argv) };
  socket.write(`${JSON.stringify(request)}\n`);
  return new Promise((resolve) => {
    let buffered = "";
    let exit = null;
    socket.setEncoding("utf8");
    socket.on("data", (data) => {
      buffered += data;
      let newline;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const reply = JSON.parse(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        if ("exit" in reply) exit = reply.exit;
        else if ("ask" in reply) void output.prompt(reply.ask).then((answer) => socket.write(`${JSON.stringify({ answer })}\n`));
        else output.write(reply.stream, reply.text);
      }
    });
    socket.on("close", () => {
      if (exit === null) process.stderr.write("playpen: the daemon went away before the run ended\n");
      resolve(exit ?? 70);
    });
    socket.on("error", () => {});
  });
}

/**
 * The variables `--secret NAME` takes from this environment: the daemon has
 * its own environment, so the client sends these (and only these) along.
 * Any argument after a --secret counts; one meant for the guest costs nothing.
 */
function secretEnv(args) {
  const env = {};
  args.forEach((arg, i) => {
    const name = arg === "--secret" ? args[i + 1] : arg.startsWith("--secret=") ? arg.slice("--secret=".length) : undefined;
    if (name !== undefined && !name.includes("=") && process.env[name] !== undefined) env[name] = process.env[name];
  });
  return env;
}

/**
 * One daemon per checkout and code version: `<checkout hash>-<code hash>.sock`
 * (and its `.key`) in a folder only this user can enter (private-folder.mjs;
 * throws DaemonFolderError otherwise). A changed engine or runtime gets a new daemon.
 */
function daemonSocketPath() {
  const checkout = createHash("sha256").update(ROOT).digest("hex").slice(0, 12);
  const code = createHash("sha256");
  for (const dir of ["cli/src", "wasm-runtime", "public/runtimes"]) code.update(String(newestMtime(path.join(ROOT, dir))));
  const dir = privateFolder(process.env.PLAYPEN_DAEMON_DIR ?? path.join(tmpdir(), `playpen-${process.getuid?.() ?? "user"}`));
  return path.join(dir, `${checkout}-${code.digest("hex").slice(0, 12)}.sock`);
}

function keyPathOf(socketPath) {
  return socketPath.replace(/\.sock$/, ".key");
}

/** A daemon writes its key just after its socket appears: a client that came in between waits for it. */
async function readKey(file) {
  for (const deadline = Date.now() + KEY_WAIT_MS; ; await new Promise((resolve) => setTimeout(resolve, 20))) {
    try {
      return readFileSync(file, "utf8");
    } catch (error) {
      if (error.code !== "ENOENT" || Date.now() > deadline) throw error;
    }
  }
}

/** Removing an outdated daemon's socket tells it to exit (it checks every few seconds); its key goes too. */
function retireOutdatedDaemons(socketPath) {
  const dir = path.dirname(socketPath);
  const checkout = path.basename(socketPath).split("-")[0];
  const current = new Set([socketPath, keyPathOf(socketPath)]);
  for (const name of readdirSync(dir)) {
    if (name.startsWith(`${checkout}-`) && !current.has(path.join(dir, name))) rmSync(path.join(dir, name), { force: true });
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function startDaemon(socketPath) {
  retireOutdatedDaemons(socketPath);
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--serve", socketPath, keyPathOf(socketPath)], {
    detached: true,
    stdio: "ignore",
    cwd: ROOT,
  });
  child.unref();
}

function connect(socketPath) {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once("connect", () => resolve(socket));
    socket.once("error", () => resolve(null));
  });
}

/**
 * Reads stdin to its end. Unless the program itself comes from stdin, a pipe
 * that stays silent for STDIN_GRACE_MS counts as no input: callers that leave
 * stdin open without writing (Node's execFile does) must not hang the run.
 */
async function readStdin(waitForData) {
  const input = process.stdin[Symbol.asyncIterator]();
  let timer;
  const silence = new Promise((resolve) => (timer = setTimeout(resolve, STDIN_GRACE_MS, "silent")));
  const first = waitForData ? await input.next() : await Promise.race([input.next(), silence]);
  clearTimeout(timer);
  if (first === "silent") {
    process.stdin.destroy();
    return undefined;
  }
  const chunks = [];
  for (let next = first; !next.done; next = await input.next()) chunks.push(next.value);
  return Buffer.concat(chunks);
}

async function loadTs(file) {
  const { tsImport } = await import("tsx/esm/api");
  return tsImport(path.join(ROOT, file), import.meta.url);
}
