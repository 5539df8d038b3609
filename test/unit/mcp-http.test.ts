import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, CEILING_FLAGS, connectClient, describeMcpProof } from "../support/mcp-proof.ts";

/**
 * `playpen mcp --http 0`: one server process holding both proof sessions
 * (started under `setsid`: no terminal to ask on), plus what only HTTP has:
 * the bearer token and the Host check.
 */
const work = mkdtempSync(path.join(tmpdir(), "playpen-mcp-http-"));
let server: ChildProcess;
let url: URL;
let token: string;

beforeAll(async () => {
  server = spawn("setsid", [process.execPath, BIN, "mcp", "--http", "0", ...CEILING_FLAGS], { cwd: work, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  server.stderr!.setEncoding("utf8");
  await new Promise<void>((resolve, reject) => {
    server.stderr!.on("data", (text: string) => {
      stderr += text;
      const listening = /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)\nplaypen mcp: token (\S+)/.exec(stderr);
      if (listening) {
        url = new URL(listening[1]!);
        token = listening[2]!;
        resolve();
      }
    });
    server.once("exit", (code) => reject(new Error(`playpen mcp exited (${code}): ${stderr}`)));
  });
}, 60_000);

afterAll(() => {
  server?.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
});

function transport(): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
}

describeMcpProof("Streamable HTTP", async () => {
  const [a, b] = await Promise.all([connectClient(transport()), connectClient(transport())]);
  return { a, b, close: async () => void (await Promise.all([a.client.close(), b.client.close()])) };
});

/** A raw POST of an initialize request, with the headers given. */
function post(headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
  return new Promise((resolve, reject) => {
    const call = request(url, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers } }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body: text }));
    });
    call.on("error", reject);
    call.end(body);
  });
}

describe("playpen mcp --http, its door", () => {
  it("listens on loopback only and refuses a request without the token, or with a wrong one", async () => {
    expect(url.hostname).toBe("127.0.0.1");
    expect(await post({})).toMatchObject({ status: 401, body: expect.stringContaining("Authorization: Bearer") });
    expect((await post({ Authorization: `Bearer ${token.slice(0, -1)}x` })).status).toBe(401);
    expect((await post({ Authorization: token })).status).toBe(401);
    expect((await post({ Authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it("refuses a request whose Host is not the server's own (DNS rebinding), even with the token", async () => {
    expect((await post({ Authorization: `Bearer ${token}`, Host: "attacker.example:80" })).status).toBe(403);
  });

  it("refuses a request naming a session that does not exist", async () => {
    const response = await post({ Authorization: `Bearer ${token}`, "Mcp-Session-Id": "00000000-0000-0000-0000-000000000000" });
    expect(response.status).toBe(400);
  });
});
