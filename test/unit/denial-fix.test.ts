/**
 * Denials an agent can act on: for each capability a real call is denied,
 * the denial names its fix, and applying the suggested flag (through the same
 * flag parser the CLI uses) makes that call succeed — and nothing else: the
 * neighbouring resource is still denied. The policy fragment is held to the
 * same standard by the decider.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine, nodeEngines } from "../../cli/src/node-engine.ts";
import { RateLimits } from "../../wasm-runtime/tools/index.ts";
import { runCommand } from "../../cli/src/run-command.ts";
import type { AccessRequest, AuditEvent, Engine, RunRequest, Sandbox } from "../../wasm-runtime/index.ts";
import {
  decide,
  DEFAULT_POLICY,
  fixFor,
  parsePolicy,
  parsePolicyFlags,
  policyFromFlags,
  withFragment,
  type Policy,
} from "../../wasm-runtime/policy/index.ts";

let engine: Engine;
let sandbox: Sandbox;
let server: Server;
let port = 0;
let otherPort = 0;

const echo = "async (args) => ({ echo: args })";
const tools = { echo, echo2: echo };
const secrets = { API_KEY: "k-123", OTHER_KEY: "o-456" };

beforeAll(async () => {
  engine = createNodeEngine("gated");
  await engine.prepare("python");
  sandbox = await engine.createSandbox({
    files: { "/data/a.csv": "a\n", "/data/b.csv": "b\n" },
    env: { TOKEN: "t", OTHER: "o" },
  });
  server = createServer((_request, response) => response.end("pong"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  // A second port, never listened on: the policy must refuse it before anything is sent.
  otherPort = port === 65535 ? port - 1 : port + 1;
});

afterAll(async () => {
  server?.close();
  await sandbox?.close();
  await engine?.close();
});

/** A Python probe that tries one call on the target and one on its neighbour, printing ok or denied for each. */
interface Case {
  capability: string;
  request: AccessRequest;
  neighbour: AccessRequest;
  flag: string | RegExp;
  /** Python: `attempt(which)` where which is "target" or "neighbour"; prints `which ok|denied`. */
  code: string;
  base: Policy;
}

const withTools = (names: string[]) => parsePolicy({ ...DEFAULT_POLICY, tools: names.map((name) => ({ name })) });

const cases = (): Case[] => [
  {
    capability: "read",
    request: { capability: "file", path: "/data/a.csv", access: "read" },
    neighbour: { capability: "file", path: "/data/b.csv", access: "read" },
    flag: "--allow-read=/data/a.csv",
    code: tryEach({ target: "open('/data/a.csv').read()", neighbour: "open('/data/b.csv').read()" }),
    base: DEFAULT_POLICY,
  },
  {
    capability: "write",
    request: { capability: "file", path: "/data/out.txt", access: "write" },
    neighbour: { capability: "file", path: "/data/out2.txt", access: "write" },
    flag: "--allow-write=/data/out.txt",
    code: tryEach({ target: "open('/data/out.txt', 'w').write('x')", neighbour: "open('/data/out2.txt', 'w').write('x')" }),
    base: DEFAULT_POLICY,
  },
  {
    capability: "net",
    request: { capability: "network", host: "127.0.0.1", port, method: "GET", path: "/ping" },
    neighbour: { capability: "network", host: "127.0.0.1", port: otherPort, method: "GET", path: "/ping" },
    flag: `--allow-net=127.0.0.1:${port}`,
    code: `import playpen_tools as t\n${tryEach({ target: `t.http_get('http://127.0.0.1:${port}/ping')`, neighbour: `t.http_get('http://127.0.0.1:${otherPort}/ping')` }, "t.ToolError")}`,
    base: withTools(["http"]),
  },
  {
    // Every name may be reached, but a name resolving to loopback is refused on its address: the fix grants that address.
    capability: "net (a name resolving to loopback)",
    request: { capability: "network", host: "localhost", port, method: "GET", path: "/ping", addresses: ["127.0.0.1"] },
    neighbour: { capability: "network", host: "localhost", port: otherPort, method: "GET", path: "/ping", addresses: ["127.0.0.1"] },
    flag: /^--allow-net=127\.0\.0\.1:\d+(,\[::1\]:\d+)?$/,
    code: `import playpen_tools as t\n${tryEach({ target: `t.http_get('http://localhost:${port}/ping')`, neighbour: `t.http_get('http://localhost:${otherPort}/ping')` }, "t.ToolError")}`,
    base: parsePolicy({ ...DEFAULT_POLICY, network: [{ host: "*" }], tools: [{ name: "http" }] }),
  },
  {
    capability: "env",
    request: { capability: "env", name: "TOKEN" },
    neighbour: { capability: "env", name: "OTHER" },
    flag: "--allow-env=TOKEN",
    code: tryEach({ target: "os.environ['TOKEN']", neighbour: "os.environ['OTHER']" }, "KeyError"),
    base: DEFAULT_POLICY,
  },
  {
    capability: "secret",
    request: { capability: "secret", name: "API_KEY" },
    neighbour: { capability: "secret", name: "OTHER_KEY" },
    flag: "--allow-secret=API_KEY",
    code: tryEach({ target: "os.environ['API_KEY']", neighbour: "os.environ['OTHER_KEY']" }, "KeyError"),
    base: DEFAULT_POLICY,
  },
  {
    capability: "tool",
    request: { capability: "tool", name: "echo" },
    neighbour: { capability: "tool", name: "echo2" },
    flag: "--allow-tool=echo",
    code: `import playpen_tools as t\n${tryEach({ target: "t.call('echo', x=1)", neighbour: "t.call('echo2', x=1)" }, "t.ToolError")}`,
    base: DEFAULT_POLICY,
  },
];

function tryEach(calls: { target: string; neighbour: string }, error = "PermissionError"): string {
  return ["import os"]
    .concat(Object.entries(calls).flatMap(([which, call]) => ["try:", `    ${call}`, `    print('${which} ok')`, `except ${error} as e:`, `    print('${which} denied')`]))
    .join("\n");
}

function run(code: string, policy: Policy) {
  const request: RunRequest = { program: { language: "python", code }, policy, tools, secrets, timeoutMs: 120_000 };
  return sandbox.run(request).result;
}

function resourceOf(request: AccessRequest): string {
  return request.capability === "file" ? request.path : request.capability === "network" ? `${request.host}:${request.port}` : "name" in request ? request.name : "";
}

function denialOf(audit: AuditEvent[] | undefined, request: AccessRequest): AuditEvent {
  const found = (audit ?? []).find((e) => e.decision === "deny" && e.capability === request.capability && e.resource.startsWith(resourceOf(request)));
  if (!found) throw new Error(`no denial of ${resourceOf(request)} in ${JSON.stringify(audit)}`);
  return found;
}

describe("each capability: the suggested flag allows the denied call, and nothing beside it", () => {
  it.each(["read", "write", "net", "net (a name resolving to loopback)", "env", "secret", "tool"])("%s", async (capability) => {
    // Built here, after beforeAll, so the ports are known.
    const live = cases().find((c) => c.capability === capability)!;
    const before = await run(live.code, live.base);
    expect(before.stdout).toBe("target denied\nneighbour denied\n");
    const denial = denialOf(before.audit, live.request);
    if (typeof live.flag === "string") expect(denial.fix?.flag).toBe(live.flag);
    else expect(denial.fix?.flag).toMatch(live.flag);
    // The guest is told on its stderr (tools: in the error reply), with the flag. Variables and
    // secrets are withheld before the start, not refused to a call: only the audit says so.
    if (live.capability === "read" || live.capability === "write") expect(before.stderr).toContain(denial.fix!.flag);

    const { flags } = parsePolicyFlags([denial.fix!.flag!]);
    const after = await run(live.code, policyFromFlags(live.base, flags));
    expect(after.stdout).toBe("target ok\nneighbour denied\n");

    // The fragment is exact: it allows the request and not the neighbour.
    const fragment = withFragment(live.base, denial.fix!.policy!);
    expect(decide(fragment, live.request).decision).toBe("allow");
    expect(decide(fragment, live.neighbour).decision).toBe("deny");
  });
});

describe("a write into a read-only mount: the fix is the mount's mode, not a file rule", () => {
  const work = mkdtempSync(path.join(tmpdir(), "playpen-ro-fix-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  async function cli(mounts: string[]): Promise<{ stdout: string; denials: { resource: string; fix: { flag: string | null; mount?: string; text: string } }[] }> {
    const out: string[] = [];
    // OSError: the policy refuses with PermissionError, a read-only mount with EROFS.
    const code = tryEach({ target: "open('/data/out.txt', 'w').write('x')", neighbour: "open('/data2/out.txt', 'w').write('x')" }, "OSError");
    const io = { cwd: work, stdin: new TextEncoder().encode(code), write: (stream: string, text: string) => stream === "stdout" && out.push(text) };
    await runCommand(["run", "--json", "--engine", "gated", "--commit", "always", ...mounts.flatMap((m) => (m.startsWith("--") ? [m] : ["--mount", m])), "-"], io, nodeEngines());
    return JSON.parse(out.join("")) as Awaited<ReturnType<typeof cli>>;
  }

  it("the denial names the mount and the --mount flag that makes it writable; with it the write goes through (to the host folder), the other mount stays read-only", async () => {
    for (const name of ["a", "b"]) mkdirSync(path.join(work, name), { recursive: true });
    const before = await cli(["a:/data:ro", "b:/data2:ro"]);
    expect(before.stdout).toBe("target denied\nneighbour denied\n");
    const denial = before.denials.find((d) => d.resource === "/data/out.txt")!;
    expect(denial.fix).toMatchObject({ flag: "--mount=a:/data", mount: "/data" });
    expect(denial.fix.text).toMatch(/in the read-only mount \/data, which no file rule makes writable/);
    // What the fix used to be, a file rule, changes nothing: the policy allows, the read-only mount still refuses (EROFS).
    const ruleOnly = await cli(["a:/data:ro", "b:/data2:ro", "--allow-write=/data/out.txt"]);
    expect(ruleOnly.stdout).toBe("target denied\nneighbour denied\n");

    const after = await cli([denial.fix.flag!, "b:/data2:ro"]);
    expect(after.stdout).toBe("target ok\nneighbour denied\n");
    expect(readFileSync(path.join(work, "a/out.txt"), "utf8")).toBe("x");
    expect(existsSync(path.join(work, "b/out.txt"))).toBe(false);
  }, 120_000);
});

describe("a fix never widens past a deny rule", () => {
  const locked = parsePolicy({
    version: 1,
    files: [
      { path: "/workspace/**", access: "write" },
      { path: "/data/**", access: "read" },
      { path: "/data/a.csv", access: "read", decision: "deny" },
    ],
  });

  it("names the deny rule to remove, offers no flag, and says what to grant once it is gone", async () => {
    const result = await run(tryEach({ target: "open('/data/a.csv').read()", neighbour: "open('/data/b.csv').read()" }), locked);
    expect(result.stdout).toBe("target denied\nneighbour ok\n");
    const denial = denialOf(result.audit, { capability: "file", path: "/data/a.csv", access: "read" });
    expect(denial.fix).toMatchObject({ flag: null, policy: null, remove: 'files[2] "/data/a.csv" read (deny)' });
    expect(denial.fix!.text).toMatch(/no grant overrides a deny rule: remove or narrow it in the policy, then allow it with --allow-read=\/data\/a\.csv/);
    expect(result.stderr).toContain(`playpen: denied read /data/a.csv by files[2] "/data/a.csv" read (deny); no grant overrides`);
    // Why there is no flag: the grant alone would change nothing.
    const { flags } = parsePolicyFlags(["--allow-read=/data/a.csv"]);
    expect(decide(policyFromFlags(locked, flags), { capability: "file", path: "/data/a.csv", access: "read" }).decision).toBe("deny");
  });

  it("a locked preset's deny (network) is named the same way", () => {
    const noNetwork = parsePolicy({ version: 1, network: [{ host: "*", decision: "deny" }] });
    const request: AccessRequest = { capability: "network", host: "example.com", port: 443, method: "GET", path: "/" };
    const fix = fixFor(request, decide(noNetwork, request));
    expect(fix).toMatchObject({ flag: null, policy: null, remove: 'network[0] "*" (deny)' });
  });
});

describe("fixFor: what a flag cannot say", () => {
  const deny = (request: AccessRequest) => fixFor(request, decide(DEFAULT_POLICY, request));

  it("runtime files and unresolved paths have no fix, only the reason", () => {
    expect(deny({ capability: "file", path: "/playpen/python/x.py", access: "write" })).toMatchObject({ flag: null, policy: null, text: expect.stringMatching(/never writable/) });
    expect(deny({ capability: "file", path: "/workspace/../etc", access: "read" })).toMatchObject({ flag: null, policy: null, text: expect.stringMatching(/not absolute and resolved/) });
  });

  it("a comma cannot be in a flag; a wildcard character cannot be in any rule", () => {
    expect(deny({ capability: "file", path: "/data/a,b.csv", access: "read" })).toMatchObject({ flag: null, policy: { files: [{ path: "/data/a,b.csv", access: "read" }] } });
    expect(deny({ capability: "file", path: "/data/a*.csv", access: "read" })).toMatchObject({ flag: null, policy: null });
    expect(deny({ capability: "env", name: "A?B" })).toMatchObject({ flag: null, policy: null });
  });

  it("the root alone is granted by the fragment, never by a flag (which would mean every file)", () => {
    expect(deny({ capability: "file", path: "/", access: "read" })).toMatchObject({ flag: null, policy: { files: [{ path: "/", access: "read" }] } });
  });

  it("IPv6 hosts get brackets in the flag, and the flag parses back to the same host and port", () => {
    const request: AccessRequest = { capability: "network", host: "[::1]", port: 8080, method: "POST", path: "/v1/x" };
    const fix = deny(request);
    expect(fix.flag).toBe("--allow-net=[::1]:8080");
    expect(fix.policy).toEqual({ network: [{ host: "::1", port: 8080, methods: ["POST"], pathPrefix: "/v1/x" }] });
    const { flags } = parsePolicyFlags([fix.flag!]);
    expect(decide(policyFromFlags(DEFAULT_POLICY, flags), request).decision).toBe("allow");
    expect(decide(policyFromFlags(DEFAULT_POLICY, flags), { ...request, port: 8081 }).decision).toBe("deny");
  });

  it("a destination outside the public internet: the fix writes out each address (and the name, unless a rule named it); flag and fragment both allow it", () => {
    const star = parsePolicy({ version: 1, network: [{ host: "*" }] });
    const nothing = parsePolicy({ version: 1 });
    const cases: [Policy, AccessRequest & { capability: "network" }, string][] = [
      [star, { capability: "network", host: "localhost", port: 8080, method: "GET", path: "/x", addresses: ["127.0.0.1", "::1"] }, "--allow-net=127.0.0.1:8080,[::1]:8080"],
      [star, { capability: "network", host: "0x7f.1", port: 8080 }, "--allow-net=127.0.0.1:8080"],
      [star, { capability: "network", host: "db.internal", port: 5432, addresses: ["10.0.0.5"] }, "--allow-net=10.0.0.5:5432"],
      [star, { capability: "network", host: "printer.local", port: 80, method: "GET", path: "/" }, "--allow-net=printer.local:80"],
      [nothing, { capability: "network", host: "db.internal", port: 5432, addresses: ["10.0.0.5"] }, "--allow-net=db.internal:5432,10.0.0.5:5432"],
      [nothing, { capability: "network", host: "localhost", port: 8080, addresses: ["127.0.0.1"] }, "--allow-net=localhost:8080"],
    ];
    for (const [base, request, flag] of cases) {
      const fix = fixFor(request, decide(base, request));
      expect(fix.flag).toBe(flag);
      expect(decide(policyFromFlags(base, parsePolicyFlags([fix.flag!]).flags), request).decision).toBe("allow");
      expect(decide(withFragment(base, fix.policy!), request).decision).toBe("allow");
      expect(decide(withFragment(base, fix.policy!), { ...request, port: request.port + 1 }).decision).toBe("deny");
    }
  });

  it("a rate limit suggests a higher limit, not a grant; with it the refused call goes through, and the limit still holds above it", () => {
    const policy = parsePolicy({ ...DEFAULT_POLICY, tools: [{ name: "kv" }], limits: { hostCallsPerSecond: 5 } });
    /** Calls `count` tools at one instant under `limit` per second; how many went through, and the first refusal. */
    const burst = (limit: number, count: number) => {
      const rates = new RateLimits();
      let allowed = 0;
      for (let i = 0; i < count; i++) {
        const refusal = rates.refusal("kv", undefined, limit, 1000);
        if (refusal) return { allowed, refusal };
        rates.record("kv", undefined, 1000);
        allowed++;
      }
      return { allowed, refusal: undefined };
    };
    const refused = burst(policy.limits.hostCallsPerSecond, 6);
    expect(refused).toEqual({ allowed: 5, refusal: "rate limit (5/s)" });
    const fix = fixFor({ capability: "tool", name: "kv" }, { decision: "deny", rule: refused.refusal! });
    expect(fix).toMatchObject({ flag: null, policy: { limits: { hostCallsPerSecond: 10 } } });
    const raised = withFragment(policy, fix.policy!).limits.hostCallsPerSecond;
    expect(burst(raised, 6)).toEqual({ allowed: 6, refusal: undefined });
    expect(burst(raised, 11)).toEqual({ allowed: 10, refusal: "rate limit (10/s)" });
  });

  it("a person's Deny to an ask is fixed by a grant (allow beats ask)", () => {
    const request: AccessRequest = { capability: "tool", name: "kv" };
    const asking = parsePolicy({ version: 1, tools: [{ name: "kv", decision: "ask" }] });
    const fix = fixFor(request, { decision: "deny", rule: "answered: deny" });
    expect(fix.flag).toBe("--allow-tool=kv");
    expect(decide(withFragment(asking, fix.policy!), request).decision).toBe("allow");
  });
});

describe("playpen run --json", () => {
  it('carries "denials": [{capability, resource, rule, fix: {flag, policy}}], each distinct denial once', async () => {
    const out: string[] = [];
    const io = { cwd: process.cwd(), stdin: new TextEncoder().encode("for i in range(3):\n    try: open('/etc/hosts')\n    except PermissionError: pass\n"), write: (stream: string, text: string) => stream === "stdout" && out.push(text) };
    const code = await runCommand(["run", "--json", "--engine", "gated", "--timeout", "120000", "-"], io, nodeEngines());
    expect(code).toBe(0);
    const { denials, stderr } = JSON.parse(out.join("")) as { denials: unknown[]; stderr: string };
    expect(denials).toEqual([
      {
        capability: "file",
        resource: "/etc/hosts",
        access: "read",
        rule: "default (not granted)",
        fix: { flag: "--allow-read=/etc/hosts", policy: { files: [{ path: "/etc/hosts", access: "read" }] }, text: expect.any(String) },
        count: 3,
      },
    ]);
    // Told once on the guest's stderr, however many times it was refused.
    expect(stderr.match(/playpen: denied read \/etc\/hosts/g)).toHaveLength(1);
  });
});
