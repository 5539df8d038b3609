/**
 * The local native runner's HTTP face, for the Compare page when the
 * playground runs on this machine: framework-free node:http handlers under
 * /native/, mounted on the playground's own 127.0.0.1 origin by
 * scripts/vite-plugin-native-runner.ts (same origin: no CORS, no COEP trouble).
 *
 *   GET  /native/status   → { ok, busy, backends: [{ name, title, kind, available, version?, reason? }] }
 *   POST /native/compare  { backends?, workloads?, samples? (1..20, 3), probes? (false) }
 *                         → NDJSON: {"type":"log","line"} … then one {"type":"result","result"} or {"type":"error","message"}
 *
 * Every request needs `Authorization: Bearer <token>` (compared in constant
 * time; 401 otherwise). One comparison at a time (409 while busy). Only the
 * native backends run here: the page runs the WebAssembly engines itself.
 */
import { authorized, newToken, readBody, sendJson } from "../cli/src/loopback-http.ts";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { allBackends } from "./backends/index.ts";
import { compare } from "./compare.ts";
import type { Contender } from "./types.ts";
import { WORKLOADS } from "./workloads.ts";

export { newToken };

export const ROUTE_PREFIX = "/native/";
const MAX_BODY_BYTES = 64 * 1024;

const CompareRequest = z.strictObject({
  backends: z.array(z.string()).optional(),
  workloads: z.array(z.enum(WORKLOADS.map((w) => w.id) as [string, ...string[]])).optional(),
  samples: z.number().int().min(1).max(20).default(3),
  probes: z.boolean().default(false),
});

export interface NativeRunnerOptions {
  token: string;
  /** The native backends on offer (default: all of them); tests pass a smaller set. */
  backends?: () => Contender[];
}

/** A request handler: answers everything under /native/ and returns true, or returns false for other paths. */
export type NativeRunnerHandler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

/** The first problem of a bad body, naming its field. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.join(".") || "(body)";
  return `${field}: ${issue.message}`;
}

export function createNativeRunner(options: NativeRunnerOptions): NativeRunnerHandler {
  const backends = options.backends ?? allBackends;
  let busy = false;

  async function status(response: ServerResponse): Promise<void> {
    const list = [];
    for (const backend of backends()) {
      const detection = await backend.detect();
      list.push({
        name: backend.name, title: backend.title, kind: "native" as const, available: detection.available,
        ...(detection.available ? { version: detection.version } : { reason: detection.reason }),
      });
    }
    sendJson(response, 200, { ok: true, busy, backends: list });
  }

  async function runComparison(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body: unknown;
    try {
      const text = await readBody(request, MAX_BODY_BYTES);
      body = text.trim() === "" ? {} : JSON.parse(text);
    } catch (error) {
      sendJson(response, 400, { error: `the body is not JSON: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    const parsed = CompareRequest.safeParse(body);
    if (!parsed.success) {
      sendJson(response, 400, { error: describeIssue(parsed.error) });
      return;
    }
    const known = backends().map((b) => b.name);
    const unknown = parsed.data.backends?.filter((name) => !known.includes(name)) ?? [];
    if (unknown.length > 0) {
      sendJson(response, 400, { error: `backends: unknown or not run here: ${unknown.join(", ")} (native backends: ${known.join(", ")})` });
      return;
    }
    if (busy) {
      sendJson(response, 409, { error: "a comparison is already running" });
      return;
    }
    busy = true;
    const stop = new AbortController();
    // A page that goes away stops its comparison, and cleanup still runs.
    response.on("close", () => {
      if (!response.writableFinished) stop.abort(new Error("the page closed the connection"));
    });
    response.writeHead(200, { "Content-Type": "application/x-ndjson", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
    const line = (value: unknown) => response.write(`${JSON.stringify(value)}\n`);
    try {
      const result = await compare({
        samples: parsed.data.samples,
        warmup: 1,
        backends: parsed.data.backends,
        workloads: parsed.data.workloads,
        probes: parsed.data.probes,
        contenders: backends,
        log: (text) => line({ type: "log", line: text }),
        signal: stop.signal,
      });
      line({ type: "result", result });
    } catch (error) {
      line({ type: "error", message: error instanceof Error ? error.message : String(error) });
    } finally {
      busy = false;
      response.end();
    }
  }

  return async (request, response) => {
    const path = (request.url ?? "").split("?")[0]!;
    if (!path.startsWith(ROUTE_PREFIX)) return false;
    if (!authorized(request, options.token)) {
      sendJson(response, 401, { error: "missing or wrong token: send the header `Authorization: Bearer <token>` printed in the terminal" });
      return true;
    }
    if (path === `${ROUTE_PREFIX}status` && request.method === "GET") await status(response);
    else if (path === `${ROUTE_PREFIX}compare` && request.method === "POST") await runComparison(request, response);
    else sendJson(response, 404, { error: `no such endpoint: ${request.method} ${path} (GET /native/status, POST /native/compare)` });
    return true;
  };
}
