/**
 * `playpen mcp` under load (issue 15): one HTTP server holding many
 * sessions; runs per second of Python `print(1)` with 1, 4 and 16 concurrent
 * clients (each its own session); memory per idle session; and a warm MCP
 * `run` against the same program through the `playpen run` daemon's socket
 * (the in-daemon run, without a client process's start). Writes its marked
 * section of docs/benchmarks.md.
 *
 *   npx tsx bench/mcp.ts [--samples 15] [--sessions 100]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { writeDocSection } from "./lib/doc-section.ts";
import { round, series, type Series } from "./lib/stats.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = path.join(ROOT, "cli/bin/playpen.mjs");
const PROGRAM = "print(1)";
const CONCURRENCY = [1, 4, 16];
/** Runs each client makes per concurrency level (after one untimed warm-up run each). */
const RUNS_PER_CLIENT: Record<number, number> = { 1: 12, 4: 5, 16: 3 };
const MiB = 2 ** 20;

const { values } = parseArgs({ options: { samples: { type: "string", default: "15" }, sessions: { type: "string", default: "100" } } });
const SAMPLES = Number(values.samples);
const HELD = Number(values.sessions);

const work = mkdtempSync(path.join(tmpdir(), "playpen-bench-mcp-"));
const daemonDir = path.join(work, "daemon");

async function main(): Promise<void> {
  const load = { start: loadavg() };
  const server = await startServer();
  try {
    const warm = await warmRunAgainstDaemon(server);
    const throughput: { clients: number; runs: number; seconds: number; perSecond: number; latency: Series }[] = [];
    for (const clients of CONCURRENCY) throughput.push(await runsPerSecond(server, clients));
    const memory = await idleSessions(server);
    const results = { date: new Date().toISOString(), load: { ...load, end: loadavg() }, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "?", warm, throughput, memory };
    writeFileSync(path.join(ROOT, "bench/mcp-results.json"), `${JSON.stringify(results, null, 1)}\n`);
    writeDocSection("mcp", section(results));
    process.stdout.write(`bench/mcp: wrote its section of docs/benchmarks.md\n${section(results)}\n`);
  } finally {
    server.child.kill("SIGTERM");
    rmSync(work, { recursive: true, force: true });
  }
}

interface Server {
  child: ChildProcess;
  url: URL;
  token: string;
}

async function startServer(): Promise<Server> {
  const child = spawn("setsid", [process.execPath, BIN, "mcp", "--http", "0", "--timeout", "60000"], { cwd: work, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (text: string) => {
      stderr += text;
      const m = /listening on (\S+)\nplaypen mcp: token (\S+)/.exec(stderr);
      if (m) resolve({ child, url: new URL(m[1]!), token: m[2]! });
    });
    child.once("exit", (code) => reject(new Error(`playpen mcp exited (${code}): ${stderr}`)));
  });
}

async function connect(server: Server): Promise<Client> {
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { Authorization: `Bearer ${server.token}` } } }));
  return client;
}

/** One `run` call's round trip, in ms; throws unless it printed 1. */
async function mcpRun(client: Client): Promise<number> {
  const start = performance.now();
  const reply = (await client.callTool({ name: "run", arguments: { language: "python", code: PROGRAM } }, undefined, { timeout: 300_000 })) as CallToolResult;
  const ms = performance.now() - start;
  const result = reply.structuredContent as { stdout?: string } | undefined;
  if (result?.stdout !== "1\n") throw new Error(`run failed: ${JSON.stringify(reply).slice(0, 500)}`);
  return ms;
}

// ---------------------------------------------------------------------------
// Warm MCP run against the in-daemon run

async function warmRunAgainstDaemon(server: Server) {
  const script = path.join(work, "print1.py");
  writeFileSync(script, `${PROGRAM}\n`);
  const socket = await startDaemon(script);
  const client = await connect(server);
  // Both warm: runners started, code paths optimised.
  for (let i = 0; i < 3; i++) {
    await mcpRun(client);
    await daemonRun(socket, script);
  }
  const mcp: number[] = [];
  const daemon: number[] = [];
  const ratio: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    // Alternating, so the machine's other load falls on both alike.
    const d = await daemonRun(socket, script);
    const m = await mcpRun(client);
    daemon.push(d);
    mcp.push(m);
    ratio.push(m / d);
  }
  await client.close();
  return { mcp: series("MCP run round trip (HTTP client → server → runner → reply)", mcp), daemon: series("in-daemon run (daemon socket: request → exit), gated engine", daemon), ratio: series("MCP / in-daemon, per pair", ratio, "x") };
}

/** Starts the `playpen run` daemon of this checkout in a private socket folder and returns its socket. */
async function startDaemon(script: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "run", "--engine", "gated", script], { env: { ...process.env, PLAYPEN_DAEMON_DIR: daemonDir }, stdio: "ignore" });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`playpen run exited ${code}`))));
  });
  const socket = readdirSync(daemonDir).find((name) => name.endsWith(".sock"));
  if (!socket) throw new Error("no daemon socket");
  return path.join(daemonDir, socket);
}

/** The daemon's protocol (cli/src/daemon.ts): one request line, replies until {exit}. */
function daemonRun(socketPath: string, script: string): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let buffered = "";
    let stdout = "";
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(`${JSON.stringify({ argv: ["run", "--engine", "gated", script], cwd: work, stdin: null, terminal: false, env: {} })}\n`));
    socket.on("data", (data: string) => {
      buffered += data;
      for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
        const reply = JSON.parse(buffered.slice(0, nl)) as { exit?: number; stream?: string; text?: string };
        buffered = buffered.slice(nl + 1);
        if (reply.stream === "stdout") stdout += reply.text;
        if (reply.exit !== undefined) {
          const ms = performance.now() - start;
          socket.end();
          if (reply.exit !== 0 || stdout !== "1\n") reject(new Error(`daemon run failed: exit ${reply.exit}, ${stdout}`));
          else resolve(ms);
        }
      }
    });
    socket.on("error", reject);
  });
}

// ---------------------------------------------------------------------------
// Concurrency

async function runsPerSecond(server: Server, clients: number) {
  const sessions = await Promise.all(Array.from({ length: clients }, () => connect(server)));
  // Untimed: the pool starts the runners this many concurrent runs need.
  await Promise.all(sessions.map((client) => mcpRun(client)));
  const per = RUNS_PER_CLIENT[clients]!;
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    sessions.map(async (client) => {
      for (let i = 0; i < per; i++) latencies.push(await mcpRun(client));
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(sessions.map((client) => client.close()));
  const runs = clients * per;
  process.stdout.write(`bench/mcp: ${clients} client(s): ${runs} runs in ${seconds.toFixed(1)} s\n`);
  return { clients, runs, seconds: round(seconds, 2), perSecond: round(runs / seconds, 2), latency: series(`run round trip, ${clients} concurrent`, latencies) };
}

// ---------------------------------------------------------------------------
// Idle sessions

/** The server's own resident memory (its runners are a shared pool, measured apart). */
function rss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

function childPids(pid: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function idleSessions(server: Server) {
  const pid = server.child.pid!;
  const sample = async () => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return rss(pid);
  };
  const before = await sample();
  const sessions: Client[] = [];
  const open = async (count: number) => {
    for (let i = sessions.length; i < count; i++) {
      const client = await connect(server);
      // Idle but not empty: a small file in its workspace.
      await client.callTool({ name: "write_file", arguments: { path: "notes.txt", content: `session ${i}\n` } });
      sessions.push(client);
    }
  };
  await open(16);
  const at16 = await sample();
  const runners = childPids(pid).reduce((sum, child) => sum + rss(child), 0);
  await open(HELD);
  const atHeld = await sample();
  // Every session still answers.
  const answered = (await Promise.all(sessions.map((client) => client.callTool({ name: "list_files", arguments: {} }).then((r) => !(r as CallToolResult).isError)))).filter(Boolean).length;
  await Promise.all(sessions.map((client) => client.close()));
  return { before, at16, atHeld, runners, held: HELD, answered, perSession16: (at16 - before) / 16, perSessionHeld: (atHeld - before) / HELD };
}

// ---------------------------------------------------------------------------

type Results = {
  date: string;
  load: { start: number[]; end: number[] };
  cpus: number;
  cpuModel: string;
  warm: Awaited<ReturnType<typeof warmRunAgainstDaemon>>;
  throughput: Awaited<ReturnType<typeof runsPerSecond>>[];
  memory: Awaited<ReturnType<typeof idleSessions>>;
};

function section(r: Results): string {
  const ms = (s: Series) => `${s.median} ms (${s.min}–${s.max})`;
  const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
  const ratio = r.warm.ratio.median;
  const sixteen = r.memory.at16;
  return [
    "## MCP server: sessions, concurrency, warm runs (`npx tsx bench/mcp.ts`)",
    "",
    `Measured ${r.date} on ${r.cpus} × ${r.cpuModel}; load average ${r.load.start.map((l) => l.toFixed(1)).join(" / ")} at the start, ${r.load.end.map((l) => l.toFixed(1)).join(" / ")} at the end (other engineers' work shares the machine: absolute figures are inflated, ratios less so). ` +
      "One `playpen mcp --http 0` server (gated engine, runs on its runner pool as `playpen run`'s daemon does); each client is one session over Streamable HTTP; the program is Python `print(1)`. Median (min–max).",
    "",
    "| figure | measured | target | |",
    "|---|---|---|---|",
    `| warm MCP \`run\` round trip | ${ms(r.warm.mcp)} | | |`,
    `| the same through the \`playpen run\` daemon (socket request → exit, no client start) | ${ms(r.warm.daemon)} | | |`,
    `| ratio MCP / in-daemon, per alternating pair (${r.warm.ratio.samples.length} pairs) | ${ratio}× (${r.warm.ratio.min}–${r.warm.ratio.max}) | ≤ 1.5× | ${ratio <= 1.5 ? "pass" : "**FAIL**"} |`,
    ...r.throughput.map((t) => `| runs per second, ${t.clients} concurrent client${t.clients > 1 ? "s" : ""} (${t.runs} runs in ${t.seconds} s) | ${t.perSecond}/s; round trip ${ms(t.latency)} | reported | |`),
    `| server process RSS: no session / 16 idle sessions / ${r.memory.held} idle sessions | ${mib(r.memory.before)} / ${mib(sixteen)} / ${mib(r.memory.atHeld)} | 16 idle sessions < 300 MiB | ${sixteen < 300 * MiB ? "pass" : "**FAIL**"} |`,
    `| memory per idle session (RSS growth / sessions), 16 / ${r.memory.held} | ${mib(r.memory.perSession16)} / ${mib(r.memory.perSessionHeld)} | reported | |`,
    `| sessions held at once (each answering \`list_files\` afterwards) | ${r.memory.answered} of ${r.memory.held} | reported | |`,
    `| the runner pool beside it (shared by every session, not per session), with 16 sessions open | ${mib(r.memory.runners)} | reported | |`,
    "",
    `Runs per second is bound by the machine's ${r.cpus} cores: each run is a fresh sandbox on its own runner process, at most max(4, 2 × CPUs) at once (more wait for one), so 16 clients share 2 CPUs and 4 runners. Raw samples: \`bench/mcp-results.json\`.`,
  ].join("\n");
}

await main();
