import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { AccessRequest, AskAnswer, AuditEvent, Engine, RunObserver, RunRequest, Sandbox } from "../../wasm-runtime/index.ts";
import { parsePolicy, type PolicyInput } from "../../wasm-runtime/policy/index.ts";
import { MAX_HTTP_BODY_BYTES } from "../../wasm-runtime/tools/index.ts";

const FIXTURES = new URL("../fixtures/c/", import.meta.url);

let engine: Engine;
let sandbox: Sandbox;
let server: Server;
/** The loopback server's port: the only place these tests ever connect to. */
let port = 0;
/** Every request the server has received. */
const served: string[] = [];
/** Resolved when a request to /hang (never answered) is abandoned by the client. */
let hangAbandoned: Promise<void> = new Promise(() => {});
let dir = "";
let toolCall: Uint8Array;

/** A policy granting /workspace plus `input`. */
const policy = (input: Omit<PolicyInput, "version">) =>
  parsePolicy({ version: 1, ...input, files: [{ path: "/workspace/**", access: "write" }, ...(input.files ?? [])] });

const echo = { echo: "async (args, context) => ({ echo: args, run: context.runId })" };

function py(code: string, extra: Partial<RunRequest> = {}, observer: RunObserver = {}, on = sandbox) {
  return on.run({ program: { language: "python", code: `import playpen_tools as t\n${code}` }, ...extra }, observer).result;
}

/** The decisions about `capability` (alerts, which are audit events too, left out). */
function events(audit: AuditEvent[] | undefined, capability: AuditEvent["capability"]): AuditEvent[] {
  return (audit ?? []).filter((e) => e.capability === capability && !e.alert);
}

beforeAll(async () => {
  engine = createNodeEngine("gated");
  await engine.prepare("python");
  sandbox = await engine.createSandbox();
  server = createServer((request, response) => {
    served.push(`${request.method} ${request.url}`);
    if (request.url === "/hang") {
      hangAbandoned = new Promise((resolve) => response.on("close", resolve));
      return;
    }
    if (request.url === "/big") {
      response.end("x".repeat(MAX_HTTP_BODY_BYTES + 500_000));
      return;
    }
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk));
    request.on("end", () => {
      response.setHeader("x-seen", `${request.method} ${request.url}`);
      response.end(body ? `got ${body}` : "hello from loopback");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;

  // The C fixture, built the way wasi-host.test.ts builds its fixtures (clean sysroot).
  dir = mkdtempSync(join(tmpdir(), "playpen-tools-"));
  mkdirSync(join(dir, "sysroot/lib"), { recursive: true });
  symlinkSync("/usr/include/wasm32-wasi", join(dir, "sysroot/include"));
  symlinkSync("/usr/lib/wasm32-wasi", join(dir, "sysroot/lib/wasm32-wasi"));
  const output = join(dir, "tool-call.wasm");
  execFileSync("clang-16", ["--target=wasm32-wasi", `--sysroot=${join(dir, "sysroot")}`, "-O2", "-Wall", "-Wextra", "-o", output, new URL("tool-call.c", FIXTURES).pathname]);
  toolCall = new Uint8Array(readFileSync(output));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await sandbox.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the tool mount", () => {
  it("lists the built-in tools and the run's own under /host, from Python and from C", async () => {
    const python = await py("import os\nprint(sorted(os.listdir('/host')), t.tools() == sorted(os.listdir('/host')))", { tools: echo });
    expect(python.stdout).toBe("['echo', 'http', 'kv', 'secrets'] True\n");
    const c = await sandbox.run({ program: { language: "wasm", module: toolCall }, tools: echo }).result;
    expect(c.stdout).toBe("http\nkv\nsecrets\necho\n");
  });

  it("a tool file is a channel: request, then the reply once, readable again after a seek", async () => {
    const code = [
      "import errno, os",
      "def attempt(what, fn):",
      "    try: fn(); print(what, 'ok')",
      "    except OSError as e: print(what, errno.errorcode[e.errno])",
      "fd = os.open('/host/echo', os.O_RDWR)",
      "os.write(fd, b'{\"a\":'); os.write(fd, b' 1}')",
      "attempt('seek back before the call', lambda: os.lseek(fd, 0, os.SEEK_SET))",
      "print(os.read(fd, 9), os.read(fd, 100))",
      "print(repr(os.read(fd, 100)), os.lseek(fd, 0, os.SEEK_SET), os.read(fd, 9))",
      "attempt('write after the call', lambda: os.write(fd, b'x'))",
      "os.close(fd)",
      "fd = os.open('/host/echo', os.O_RDWR)",
      "attempt('a request over 1 MiB', lambda: os.write(fd, b' ' * (1024 * 1024 + 1)))",
      "os.close(fd)",
      "with open('/host/echo') as f: print('read-only:', f.read())",
    ].join("\n");
    const result = await py(code, { policy: policy({ tools: [{ name: "echo" }] }), tools: echo });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      [
        "seek back before the call ESPIPE",
        `b'{"echo":{' b'"a":1},"run":"${result.audit![0]!.runId}"}'`,
        "b'' 0 b'{\"echo\":{'",
        "write after the call EBADF",
        "a request over 1 MiB EFBIG",
        `read-only: {"echo":{},"run":"${result.audit![0]!.runId}"}`,
        "",
      ].join("\n"),
    );
  });

  it("cannot be changed, and unknown tools do not exist", async () => {
    const code = [
      "import os",
      "for attempt in (lambda: open('/host/new', 'w'), lambda: os.mkdir('/host/d'), lambda: os.remove('/host/kv'), lambda: open('/host/nope')):",
      "    try: attempt(); print('changed!')",
      "    except OSError as e: print(type(e).__name__)",
      "try: t.call('nope')",
      "except t.ToolError as e: print(e)",
    ].join("\n");
    const result = await py(code, { policy: policy({ files: [{ path: "/**", access: "write" }] }) });
    expect(result.stdout).toBe("OSError\nPermissionError\nPermissionError\nFileNotFoundError\nthere is no tool named 'nope'; see tools()\n");
  });
});

describe("user-defined tools", () => {
  const granted = policy({ tools: [{ name: "echo" }, { name: "fail" }, { name: "huge" }] });
  const tools = {
    ...echo,
    fail: "async () => { throw new Error('no luck') }",
    huge: "() => 'x'.repeat(5 * 1024 * 1024)",
  };

  it("run on the host when called from Python; errors and oversized replies come back as errors", async () => {
    const code = [
      "print(t.call('echo', text='hi', n=[1, 2]))",
      "for name in ('fail', 'huge'):",
      "    try: t.call(name)",
      "    except t.ToolError as e: print(name, '->', e)",
      "print('still running')",
    ].join("\n");
    const result = await py(code, { policy: granted, tools });
    expect(result.stdout).toMatch(/^\{'echo': \{'text': 'hi', 'n': \[1, 2\]\}, 'run': 'run-\d+'\}\n/);
    expect(result.stdout).toContain("fail -> no luck\n");
    expect(result.stdout).toContain("huge -> the reply is larger than 4 MiB\n");
    expect(result.stdout).toMatch(/still running\n$/);
  });

  it("are called from C through the same files", async () => {
    const result = await sandbox.run({ program: { language: "wasm", module: toolCall }, args: ["echo", '{"from":"C"}'], policy: granted, tools }).result;
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^\{"echo":\{"from":"C"\},"run":"run-\d+"\}\n$/);
  });

  it("cannot take a built-in name, and a source that is not a function fails the run before it starts", async () => {
    expect((await py("", { tools: { kv: "() => 1" } })).error).toMatch(/"kv" is built in/);
    expect((await py("", { tools: { bad: "{" } })).error).toMatch(/tool "bad": SyntaxError/);
    expect((await py("", { tools: { num: "42" } })).error).toMatch(/tool "num": the source must be a function/);
  });

  it("a tool that never answers cannot hold the run past its time limit", async () => {
    const result = await py("t.call('hang')", { policy: policy({ tools: [{ name: "hang" }], limits: { wallMs: 1000 } }), tools: { hang: "() => new Promise(() => {})" } });
    expect(result.reason).toBe("timeout");
    expect((await py("print('next')")).stdout).toBe("next\n");
  });
});

describe("decisions on tool calls", () => {
  it("an ungranted tool is denied with an audit event, and the guest keeps running", async () => {
    const result = await py("try: t.call('echo')\nexcept t.ToolError as e: print(e)\nprint('after')", { policy: policy({ tools: [{ name: "kv" }] }), tools: echo });
    expect(result.stdout).toBe('playpen: denied tool echo by default (not granted); allow it with --allow-tool=echo or the policy rules {"tools":[{"name":"echo"}]}\nafter\n');
    expect(events(result.audit, "tool")).toEqual([
      expect.objectContaining({ resource: "echo", decision: "deny", rule: "default (not granted)", syscall: "tool:echo" }),
    ]);
  });

  it("perMinute denies the call after the limit, naming the limit", async () => {
    const fresh = await engine.createSandbox();
    try {
      const code = "for i in range(4):\n    try: t.kv_set('k', i); print('ok')\n    except t.ToolError as e: print(e)";
      const result = await py(code, { policy: policy({ tools: [{ name: "kv", perMinute: 3 }] }) }, {}, fresh);
      expect(result.stdout).toBe("ok\nok\nok\nplaypen: denied tool kv by rate limit (3/min); this tool's calls are over its perMinute: wait, or raise perMinute in its rule (the lowest matching perMinute applies)\n");
      expect(events(result.audit, "tool").at(-1)).toMatchObject({ decision: "deny", rule: "rate limit (3/min)" });
      // The sandbox keeps counting: a new run does not reset the limit.
      const again = await py("try: t.kv_set('k', 9)\nexcept t.ToolError as e: print(e)", { policy: policy({ tools: [{ name: "kv", perMinute: 3 }] }) }, {}, fresh);
      expect(again.stdout).toMatch(/rate limit \(3\/min\)/);
    } finally {
      await fresh.close();
    }
  });

  it("limits.hostCallsPerSecond counts all tools together", async () => {
    const fresh = await engine.createSandbox();
    try {
      const code = "for name in ('kv', 'echo', 'kv'):\n    try: t.call(name, op='list'); print('ok')\n    except t.ToolError as e: print(e)";
      const result = await py(code, { policy: policy({ tools: [{ name: "*" }], limits: { hostCallsPerSecond: 2 } }), tools: echo }, {}, fresh);
      expect(result.stdout).toBe('ok\nok\nplaypen: denied tool kv by rate limit (2/s); tool calls are over 2 per second: wait, or raise limits.hostCallsPerSecond, e.g. {"limits":{"hostCallsPerSecond":4}}\n');
    } finally {
      await fresh.close();
    }
  });

  it.each<[AskAnswer, string, number]>([
    ["once", "ok\nok\n", 2],
    ["always", "ok\nok\n", 1],
    ["deny", "denied\ndenied\n", 2],
  ])("an ask rule asks the person with the request's arguments; answer %s", async (answer, stdout, prompts) => {
    const asked: [AccessRequest, string][] = [];
    const code = "for i in range(2):\n    try: t.call('echo', i=i); print('ok')\n    except t.ToolError: print('denied')";
    const result = await py(code, { policy: policy({ tools: [{ name: "echo", decision: "ask" }] }), tools: echo }, {
      ask: async (request, syscall) => (asked.push([request, syscall]), answer),
    });
    expect(result.stdout).toBe(stdout);
    expect(asked).toHaveLength(prompts);
    expect(asked[0]).toEqual([{ capability: "tool", name: "echo", args: { i: 0 } }, "tool:echo"]);
    expect(events(result.audit, "tool").every((e) => e.rule.startsWith("answered: "))).toBe(true);
  });

  it("ask means deny when nobody can answer", async () => {
    const result = await py("try: t.call('echo')\nexcept t.ToolError as e: print(e)", { policy: policy({ tools: [{ name: "echo", decision: "ask" }] }), tools: echo });
    expect(result.stdout).toBe('playpen: denied tool echo by answered: deny; allow it with --allow-tool=echo or the policy rules {"tools":[{"name":"echo"}]}\n');
  });
});

describe("built-in tools", () => {
  const httpPolicy = () =>
    policy({ tools: [{ name: "http" }], network: [{ host: "127.0.0.1", port, methods: ["GET", "POST"] }, { host: "localhost", decision: "deny" }] });

  it("http reaches a destination the network rules allow: status, headers, body", async () => {
    const code = [
      `r = t.http_get('http://127.0.0.1:${port}/hello?q=1')`,
      "print(r['status'], r['body'], r['headers']['x-seen'], r['truncated'])",
      `r = t.call('http', url='http://127.0.0.1:${port}/echo', method='POST', body={'a': 1})`,
      "print(r['body'])",
    ].join("\n");
    const result = await py(code, { policy: httpPolicy() });
    expect(result.stdout).toBe('200 hello from loopback GET /hello?q=1 False\ngot {"a":1}\n');
    expect(events(result.audit, "network")).toEqual([
      expect.objectContaining({ resource: `127.0.0.1:${port} GET/hello`, decision: "allow", rule: `network[0] "127.0.0.1:${port} GET,POST"`, syscall: "tool:http" }),
      expect.objectContaining({ resource: `127.0.0.1:${port} POST/echo`, decision: "allow" }),
    ]);
  });

  it("http to a host or port not on the list is an error reply and an audited denial naming the rule; nothing is sent", async () => {
    const before = served.length;
    const code = [
      `for url in ('http://localhost:${port}/', 'http://127.0.0.1:${port + 1}/', 'http://127.0.0.1:${port}/x', 'ftp://127.0.0.1/'):`,
      "    try: t.http_get(url, method='PUT' if url.endswith('/x') else 'GET')",
      "    except t.ToolError as e: print(e)",
    ].join("\n");
    const result = await py(code, { policy: httpPolicy() });
    expect(result.stdout).toBe(
      [
        `playpen: denied network localhost:${port} GET/ by network[1] "localhost" (deny); no grant overrides a deny rule: remove or narrow it in the policy, then allow it with --allow-net=localhost:${port} or the policy rules {"network":[{"host":"localhost","port":${port},"methods":["GET"]}]}`,
        `playpen: denied network 127.0.0.1:${port + 1} GET/ by default (not granted); allow it with --allow-net=127.0.0.1:${port + 1} or the policy rules {"network":[{"host":"127.0.0.1","port":${port + 1},"methods":["GET"]}]}`,
        `playpen: denied network 127.0.0.1:${port} PUT/x by default (not granted); allow it with --allow-net=127.0.0.1:${port} or the policy rules {"network":[{"host":"127.0.0.1","port":${port},"methods":["PUT"],"pathPrefix":"/x"}]}`,
        '"url" must be http:// or https://, not ftp:',
        "",
      ].join("\n"),
    );
    expect(events(result.audit, "network").map((e) => [e.decision, e.rule])).toEqual([
      ["deny", 'network[1] "localhost" (deny)'],
      ["deny", "default (not granted)"],
      ["deny", "default (not granted)"],
    ]);
    expect(served.length).toBe(before);
  });

  it("http from a guest: allow *, deny 127.0.0.1, localhost and ::1 — no other spelling of loopback reaches the server", async () => {
    const before = served.length;
    const hosts = ["[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "2130706433", "0177.0.0.1", "0x7f.1", "127.1"];
    const code = [`for host in ${JSON.stringify(hosts)}:`, `    try: t.http_get(f'http://{host}:${port}/'); print('reached', host)`, "    except t.ToolError as e: print('refused', host)"].join("\n");
    const denyLoopback = policy({ tools: [{ name: "http" }], network: [{ host: "*" }, { host: "127.0.0.1", decision: "deny" }, { host: "localhost", decision: "deny" }, { host: "::1", decision: "deny" }] });
    const result = await py(code, { policy: denyLoopback });
    expect(result.stdout).toBe(hosts.map((host) => `refused ${host}\n`).join(""));
    expect(served.length).toBe(before);
  });

  it("http cuts a response over the cap and says so", async () => {
    const result = await py(`r = t.http_get('http://127.0.0.1:${port}/big')\nprint(len(r['body']), r['truncated'])`, { policy: httpPolicy() });
    expect(result.stdout).toBe(`${MAX_HTTP_BODY_BYTES} True\n`);
  });

  it("http reports a failed connection as an error reply", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await py(`try: t.http_get('http://127.0.0.1:${closedPort}/')\nexcept t.ToolError as e: print(e)`, {
      policy: policy({ tools: [{ name: "http" }], network: [{ host: "127.0.0.1" }] }),
    });
    expect(result.stdout).toMatch(new RegExp(`^GET http://127.0.0.1:${closedPort}/ failed: .*ECONNREFUSED`));
  });

  it("a run that ends while a request is pending abandons the request", async () => {
    const result = await py(`t.http_get('http://127.0.0.1:${port}/hang')`, { policy: policy({ tools: [{ name: "http" }], network: [{ host: "127.0.0.1", port }], limits: { wallMs: 1000 } }) });
    expect(result.reason).toBe("timeout");
    await hangAbandoned;
  });

  it("kv keeps values for the sandbox, across runs", async () => {
    const kvPolicy = policy({ tools: [{ name: "kv" }] });
    const first = await py("t.kv_set('plan', {'steps': [1, 2]})\nprint(t.kv_get('missing', 'default'))", { policy: kvPolicy });
    expect(first.stdout).toBe("default\n");
    const second = await py("print(t.kv_get('plan'), t.call('kv', op='list'))\nprint(t.call('kv', op='delete', key='plan'), t.kv_get('plan'))", { policy: kvPolicy });
    expect(second.stdout).toBe("{'steps': [1, 2]} {'keys': ['plan']}\n{'deleted': True} None\n");
    const other = await engine.createSandbox();
    try {
      expect((await py("print(t.call('kv', op='list'))", { policy: kvPolicy }, {}, other)).stdout).toBe("{'keys': []}\n");
    } finally {
      await other.close();
    }
  });

  it("secrets returns what the secrets rules grant, and nothing else", async () => {
    // The guest gets the value (its length shows it); printed, the value itself is hidden from the output.
    const code = "for name in ('API_KEY', 'OTHER', 'MISSING'):\n    try: print(len(t.secret(name)))\n    except t.ToolError as e: print(e)";
    const result = await py(code, {
      policy: policy({ tools: [{ name: "secrets" }], secrets: [{ name: "API_KEY" }, { name: "MISSING" }] }),
      secrets: { API_KEY: "s3cr3t", OTHER: "hidden" },
    });
    expect(result.stdout).toBe('6\nplaypen: denied secret OTHER by default (not granted); allow it with --allow-secret=OTHER or the policy rules {"secrets":[{"name":"OTHER"}]}\nthere is no secret named "MISSING"\n');
    expect(events(result.audit, "secret").filter((e) => e.syscall === "tool:secrets").map((e) => [e.resource, e.decision])).toEqual([
      ["API_KEY", "allow"],
      ["OTHER", "deny"],
      ["MISSING", "allow"],
    ]);
  });
});
