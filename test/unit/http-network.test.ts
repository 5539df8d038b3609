/**
 * The http tool against real loopback servers: what reaches a server is what
 * the policy decided on, whatever the spelling of the host, whatever a name
 * resolves to, wherever a redirect points. Every "refused" case also checks
 * that the server received nothing.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { nodeHttpTransport } from "../../cli/src/node-http-transport.ts";
import type { AuditEvent } from "../../wasm-runtime/capabilities.ts";
import { parsePolicy, type NetworkRule } from "../../wasm-runtime/policy/index.ts";
import { fetchTransport, KvStore, RateLimits, setHttpTransport, ToolCalls, type HttpTransport } from "../../wasm-runtime/tools/index.ts";

/** Requests received, as `port METHOD url auth`. */
const received: string[] = [];
const servers: Server[] = [];
let port = 0;
let otherPort = 0;

/** Names this test's resolver knows (no DNS here): what each resolves to, and how often it was asked. */
const names = new Map<string, string[]>();
const lookups: string[] = [];

function listen(handler: (request: IncomingMessage, at: number) => { status: number; headers?: Record<string, string>; body: string }): Promise<number> {
  const server = createServer((request, response) => {
    const at = (server.address() as AddressInfo).port;
    received.push(`${at} ${request.method} ${request.url} ${request.headers.authorization ?? "-"}`);
    const reply = handler(request, at);
    response.writeHead(reply.status, reply.headers).end(reply.body);
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

/** Node's transport with this test's resolver; set again after a test of another transport. */
let nodeTransport: HttpTransport;

beforeAll(async () => {
  port = await listen((request) => {
    const to = new URL(request.url!, "http://x").searchParams.get("to");
    const status = Number(new URL(request.url!, "http://x").searchParams.get("status") ?? 302);
    if (request.url === "/loop") return { status: 302, headers: { location: "/loop" }, body: "again" };
    return to ? { status, headers: { location: to }, body: "moved" } : { status: 200, body: `hello ${request.url}` };
  });
  otherPort = await listen(() => ({ status: 200, body: "other server" }));
  nodeTransport = nodeHttpTransport(async (name) => {
    lookups.push(name);
    const addresses = names.get(name);
    if (!addresses) throw new Error(`getaddrinfo ENOTFOUND ${name}`);
    // Rebinding: the second answer for a name points elsewhere. Only the first may ever be used.
    names.set(name, ["10.255.255.1"]);
    return addresses;
  });
  setHttpTransport(nodeTransport);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

beforeEach(() => {
  received.length = 0;
  lookups.length = 0;
  names.clear();
});

/** One http tool call under a policy granting the tool and `network`: the reply and the network audit. */
async function call(network: NetworkRule[], request: Record<string, unknown>) {
  const audit: AuditEvent[] = [];
  const calls = new ToolCalls({
    runId: "run-1",
    policy: parsePolicy({ version: 1, tools: [{ name: "http" }], network }),
    userTools: new Map(),
    kv: new KvStore(),
    rates: new RateLimits(),
    secrets: {},
    ask: undefined,
    audit: (event) => audit.push(event),
    signal: new AbortController().signal,
  });
  const reply = JSON.parse(await calls.call("http", JSON.stringify(request))) as { status?: number; body?: string; error?: string; headers?: Record<string, string> };
  return { reply, network: audit.filter((e) => e.capability === "network").map((e) => `${e.decision} ${e.resource} by ${e.rule}`) };
}

/** Spellings of this machine's loopback address that a URL parser and a socket accept, all reaching 127.0.0.1. */
const LOOPBACK_SPELLINGS = ["127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.1", "0x7f000001", "127.1", "127.0.0.1.", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "0"];

describe("http: every spelling of loopback reaches nothing unless loopback is granted", () => {
  const denyLoopback: NetworkRule[] = [{ host: "*" }, { host: "127.0.0.1", decision: "deny" }, { host: "localhost", decision: "deny" }, { host: "::1", decision: "deny" }];

  it.each([...LOOPBACK_SPELLINGS, "localhost", "LOCALHOST", "[::1]"])("allow *, deny 127.0.0.1, localhost, ::1: http://%s:PORT/ is refused and nothing arrives", async (host) => {
    const { reply, network } = await call(denyLoopback, { url: `http://${host}:${port}/secret` });
    expect(reply.error).toMatch(/^playpen: denied network .* by /);
    expect(network).toEqual([expect.stringMatching(/^deny /)]);
    expect(received).toEqual([]);
  });

  it.each(LOOPBACK_SPELLINGS)("the same request to http://%s:PORT/ arrives once 127.0.0.0/8 and 0.0.0.0 are granted (the denial is what stopped it)", async (host) => {
    const { reply } = await call([{ host: "127.0.0.0/8", port }, { host: "0.0.0.0", port }], { url: `http://${host}:${port}/ok` });
    expect(reply).toMatchObject({ status: 200, body: "hello /ok" });
    expect(received).toEqual([`${port} GET /ok -`]);
  });
});

describe("http: names are decided on the addresses they resolve to, and connected to there", () => {
  it("a name allowed by text that resolves to 127.0.0.1 is refused, and nothing arrives", async () => {
    names.set("rebind.test", ["127.0.0.1"]);
    const { reply, network } = await call([{ host: "rebind.test" }], { url: `http://rebind.test:${port}/x` });
    expect(reply.error).toContain(`playpen: denied network rebind.test:${port} GET/x (127.0.0.1) by 127.0.0.1 is loopback: not granted (only a rule naming the address or its range grants it)`);
    expect(network).toEqual([`deny rebind.test:${port} GET/x (127.0.0.1) by 127.0.0.1 is loopback: not granted (only a rule naming the address or its range grants it)`]);
    expect(received).toEqual([]);
  });

  it("with the range granted it connects to the address decided on, resolving once (a rebinding answer is never used)", async () => {
    names.set("rebind.test", ["127.0.0.1"]);
    const { reply, network } = await call([{ host: "rebind.test" }, { host: "127.0.0.0/8" }], { url: `http://rebind.test:${port}/x` });
    // rebind.test exists in no DNS: only the pinned address can have brought the request here.
    expect(reply).toMatchObject({ status: 200, body: "hello /x" });
    expect(lookups).toEqual(["rebind.test"]);
    expect(network).toEqual([`allow rebind.test:${port} GET/x (127.0.0.1) by network[0] "rebind.test"`]);
    expect(received).toEqual([`${port} GET /x -`]);
  });

  it("one private address among a name's addresses is enough to refuse it", async () => {
    names.set("mixed.test", ["93.184.216.34", "127.0.0.1"]);
    const { reply } = await call([{ host: "*" }], { url: `http://mixed.test:${port}/` });
    expect(reply.error).toMatch(/ by 127.0.0.1 is loopback/);
    expect(received).toEqual([]);
  });

  it("a name the rules deny by text is never even resolved (a lookup could carry data out)", async () => {
    const { reply } = await call([{ host: "*.allowed.test" }], { url: `http://s3cr3t.evil.test:${port}/` });
    expect(reply.error).toContain(`playpen: denied network s3cr3t.evil.test:${port} GET/ by default (not granted);`);
    expect(lookups).toEqual([]);
  });

  it("a name that does not resolve is an error reply", async () => {
    const { reply } = await call([{ host: "*" }], { url: `http://nowhere.test:${port}/` });
    expect(reply.error).toBe("cannot resolve nowhere.test: getaddrinfo ENOTFOUND nowhere.test");
  });
});

describe("http: the request says where it goes only through its URL", () => {
  it("refuses a Host header (a server could route by it past the decision)", async () => {
    const { reply } = await call([{ host: "127.0.0.1" }], { url: `http://127.0.0.1:${port}/`, headers: { HOST: "admin.internal" } });
    expect(reply.error).toBe('"headers" must not set Host: it comes from the URL, which the policy decides on');
    expect(received).toEqual([]);
  });

  it("decides on the URL's host, not on user information before it", async () => {
    const { reply } = await call([{ host: "allowed.test" }], { url: `http://allowed.test@127.0.0.1:${port}/` });
    expect(reply.error).toContain(`playpen: denied network 127.0.0.1:${port} GET/ by default (not granted);`);
    expect(received).toEqual([]);
  });
});

describe("http: path prefixes", () => {
  it("refuses /v1/..%2fadmin under a /v1 prefix (the server would read /admin) and sends /v1/x", async () => {
    const rules: NetworkRule[] = [{ host: "127.0.0.1", pathPrefix: "/v1" }];
    for (const path of ["/v1/..%2fadmin", "/v1/%2e%2e%2fadmin", "/v1/..%5cadmin", "/v1/%252e%252e%252fadmin"]) {
      expect((await call(rules, { url: `http://127.0.0.1:${port}${path}` })).reply.error, path).toMatch(/ by default \(not granted\); allow it with /);
    }
    expect(received).toEqual([]);
    expect((await call(rules, { url: `http://127.0.0.1:${port}/v1/x` })).reply.status).toBe(200);
    expect(received).toEqual([`${port} GET /v1/x -`]);
  });
});

describe("http: redirects", () => {
  const here = (): NetworkRule[] => [{ host: "127.0.0.1", port }];

  it("refuses a redirect to a host the policy denies; the other server gets nothing; both hops are audited", async () => {
    const to = `http://127.0.0.1:${otherPort}/stolen`;
    const { reply, network } = await call(here(), { url: `http://127.0.0.1:${port}/go?to=${encodeURIComponent(to)}` });
    expect(reply.error).toContain(`redirect refused: playpen: denied network 127.0.0.1:${otherPort} GET/stolen by default (not granted);`);
    expect(network).toEqual([expect.stringMatching(/^allow 127.0.0.1:\d+ GET\/go by/), `deny 127.0.0.1:${otherPort} GET/stolen by default (not granted)`]);
    expect(received).toEqual([`${port} GET /go?to=${encodeURIComponent(to)} -`]);
  });

  it("refuses a redirect to another spelling of loopback that only * would allow", async () => {
    const { reply } = await call([{ host: "127.0.0.1", port }, { host: "*" }], { url: `http://127.0.0.1:${port}/go?to=${encodeURIComponent(`http://0x7f.1:${otherPort}/`)}` });
    expect(reply.error).toMatch(/^redirect refused: playpen: denied network 127.0.0.1:\d+ GET\/ by 127.0.0.1 is loopback/);
    expect(received).toHaveLength(1);
  });

  it("follows a redirect to an allowed target, each hop decided; credentials are not carried to another origin", async () => {
    const both: NetworkRule[] = [{ host: "127.0.0.1" }];
    const to = `http://127.0.0.1:${otherPort}/landing`;
    const { reply, network } = await call(both, { url: `http://127.0.0.1:${port}/go?to=${encodeURIComponent(to)}`, headers: { Authorization: "Bearer s3cret" } });
    expect(reply).toMatchObject({ status: 200, body: "other server" });
    expect(network).toHaveLength(2);
    expect(received).toEqual([`${port} GET /go?to=${encodeURIComponent(to)} Bearer s3cret`, `${otherPort} GET /landing -`]);
  });

  it("with redirect: manual, returns the 3xx and its location", async () => {
    const { reply } = await call(here(), { url: `http://127.0.0.1:${port}/go?to=/elsewhere&status=307`, redirect: "manual" });
    expect(reply).toMatchObject({ status: 307, headers: { location: "/elsewhere" } });
    expect(received).toHaveLength(1);
  });

  it("stops after a bounded number of hops", async () => {
    const { reply } = await call(here(), { url: `http://127.0.0.1:${port}/loop` });
    expect(reply.error).toMatch(/redirects again after 5 redirects: not followed further$/);
    expect(received).toHaveLength(6);
  });
});

describe("http through the browser's transport (fetch by name, nothing resolved first)", () => {
  beforeAll(() => setHttpTransport(fetchTransport));
  afterAll(() => setHttpTransport(nodeTransport));

  it("still refuses every IP spelling of loopback the rules do not grant, and sends a granted one", async () => {
    for (const host of ["0x7f.1", "[::ffff:7f00:1]", "0.0.0.0"]) {
      expect((await call([{ host: "*" }], { url: `http://${host}:${port}/` })).reply.error, host).toMatch(/^playpen: denied network .* by /);
    }
    expect(received).toEqual([]);
    expect((await call([{ host: "127.0.0.0/8" }], { url: `http://0x7f.1:${port}/fetched` })).reply).toMatchObject({ status: 200, body: "hello /fetched" });
  });

  it("decides each redirect hop the same way", async () => {
    const to = `http://127.0.0.1:${otherPort}/stolen`;
    const { reply } = await call([{ host: "127.0.0.1", port }], { url: `http://127.0.0.1:${port}/go?to=${encodeURIComponent(to)}` });
    expect(reply.error).toMatch(/^redirect refused: /);
    expect(received).toHaveLength(1);
  });
});
