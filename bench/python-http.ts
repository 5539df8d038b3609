/**
 * Latency of a loopback HTTP GET from Python's urllib: through the sandbox
 * (gated engine: every lookup, connection and request decided by the network
 * rules, audited, performed by the host) against native /usr/bin/python3 on
 * the same machine and the same server. Each side times its own requests with
 * time.perf_counter, one fresh connection per GET (urllib's way). Rewrites only
 * its own section of docs/benchmarks.md.
 *
 *   npx tsx bench/python-http.ts [--requests N] [--no-write]
 */
import { execFile, execFileSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { parseArgs } from "node:util";
import { createNodeEngine } from "../cli/src/node-engine.ts";
import { parsePolicy } from "../wasm-runtime/policy/index.ts";
import { median, round } from "./lib/stats.ts";
import { writeDocSection } from "./lib/doc-section.ts";

const NAME = "python-http";
const NATIVE_PYTHON = "/usr/bin/python3";

const { values } = parseArgs({ options: { requests: { type: "string", default: "100" }, "no-write": { type: "boolean", default: false } } });
const requests = Math.max(10, Number(values.requests));

const server = createServer((_request, response) => response.writeHead(200, { "content-type": "text/plain" }).end("pong"));
const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));

// One warm-up GET (imports, the first connection), then `requests` timed ones; the times in ms as JSON.
const code = `import json, time, urllib.request
url = "http://127.0.0.1:${port}/ping"
urllib.request.urlopen(url).read()
times = []
for _ in range(${requests}):
    started = time.perf_counter()
    assert urllib.request.urlopen(url).read() == b"pong"
    times.append((time.perf_counter() - started) * 1000)
print(json.dumps(times))
`;

const load = { start: os.loadavg().map((l) => round(l, 2)), end: [] as number[] };
const engine = createNodeEngine("gated");
await engine.prepare("python");
const sandbox = await engine.createSandbox();
const policy = parsePolicy({ version: 1, files: [{ path: "/workspace/**", access: "write" }], network: [{ host: "127.0.0.1", port }], limits: { wallMs: 300_000 } });
const started = performance.now();
const result = await sandbox.run({ program: { language: "python", code }, policy }).result;
const sandboxWallMs = performance.now() - started;
if (result.reason !== "exited" || result.exitCode !== 0) throw new Error(`sandboxed run failed: ${result.reason} ${result.error ?? ""} ${result.stderr.slice(0, 1000)}`);
const sandboxed = JSON.parse(result.stdout) as number[];
const auditedGets = (result.audit ?? []).filter((e) => e.capability === "network" && e.syscall === "socket:send").reduce((n, e) => n + (e.count ?? 1), 0);
await sandbox.close();
await engine.close();

// The server runs in this process: the native run must not block its event loop (no execFileSync).
const native = JSON.parse(
  await new Promise<string>((resolve, reject) => execFile(NATIVE_PYTHON, ["-c", code], { timeout: 120_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)))),
) as number[];
server.close();
load.end = os.loadavg().map((l) => round(l, 2));
const nativeVersion = execFileSync(NATIVE_PYTHON, ["--version"], { encoding: "utf8" }).trim();

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const row = (label: string, xs: number[]) => `| ${label} | ${round(median(xs), 2)} ms | ${round(pct(xs, 90), 2)} ms | ${round(Math.min(...xs), 2)}–${round(Math.max(...xs), 2)} ms |`;
const section = `## Python HTTP GET over loopback: sandbox vs native

Measured on ${new Date().toISOString().replace(/\.\d+Z$/, "Z")} by \`npx tsx bench/python-http.ts --requests ${requests}\` on ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, load average ${load.start.join(" ")} at the start and ${load.end.join(" ")} at the end (other work shared the machine).
\`urllib.request.urlopen(url).read()\` of a 4-byte body from a Node server on 127.0.0.1, a new connection per GET, ${requests} GETs after one warm-up, each timed by the program itself (\`time.perf_counter\`).
In the sandbox (gated engine, \`--allow-net=127.0.0.1:PORT\`) each GET is a connection and a request decided by the network rules and audited (${auditedGets} request decisions in the audit), carried by the host over real TCP; natively it is ${nativeVersion} (${NATIVE_PYTHON}).

| | median | p90 | range |
|---|---|---|---|
${row("sandboxed (gated engine)", sandboxed)}
${row(`native ${nativeVersion}`, native)}

Sandboxed / native, medians: **${round(median(sandboxed) / median(native), 1)}×**. The whole sandboxed run, start-up and warm-up included, took ${round(sandboxWallMs, 0)} ms.`;

console.log(section);
if (!values["no-write"]) writeDocSection(NAME, section);
