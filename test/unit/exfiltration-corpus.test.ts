import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { AuditEvent, Engine, RunRequest, RunResult, Sandbox } from "../../wasm-runtime/index.ts";
import { parsePolicy } from "../../wasm-runtime/policy/index.ts";
import { runProgram } from "../../wasm-runtime/shell/index.ts";
import { EMPTY_SNAPSHOT } from "../../wasm-runtime/workspace/workspace.ts";

/**
 * The exfiltration corpus: programs that try to get a granted secret out, one
 * per channel × spelling, in Python and in shell, on one shared engine. With
 * the secret granted, each must be redacted or refused and raise an alert;
 * with it withheld, the same program prints its ordinary fallback untouched.
 */
const SECRET = "sk-live-4f9aQ7zR2mX8wK1p";
const FALLBACK = "hello-world-ordinary-output-42";

let engine: Engine;
let sandbox: Sandbox;
let server: Server;
let port = 0;
/** Everything the loopback server received: URL, headers and body. */
const received: string[] = [];

beforeAll(async () => {
  engine = createNodeEngine("gated");
  await engine.prepare("python");
  sandbox = await engine.createSandbox();
  // The first run compiles most of CPython: not part of any attempt's time limit.
  await sandbox.run({ program: { language: "python", code: "import base64, json, urllib.parse, playpen_tools" }, timeoutMs: 120_000 }).result;
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk));
    request.on("end", () => {
      received.push(`${request.url} ${JSON.stringify(request.headers)} ${body}`);
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await sandbox.close();
  await engine.close();
});

/** Python spellings: each a function of `s` (str) and `b` (its bytes). */
const PY_SPELLINGS: Record<string, string> = {
  plain: "s",
  upper: "s.upper()",
  reversed: "s[::-1]",
  spaced: "' '.join(s)",
  "one per line": "'\\n'.join(s)",
  punctuated: "'.,'.join(s)",
  hex: "b.hex()",
  "hex upper": "b.hex().upper()",
  percent: "urllib.parse.quote(s, safe='')",
  "percent every byte": "''.join('%%%02X' % c for c in b)",
  "base64 align 0": "base64.b64encode(b).decode()",
  "base64 align 1": "base64.b64encode(b'x' + b).decode()",
  "base64 align 2": "base64.b64encode(b'xy' + b).decode()",
  "base64 url, no padding": "base64.urlsafe_b64encode(b'?>' + b).decode().rstrip('=')",
  "base64 with line breaks": "base64.encodebytes(b'ab' + b).decode()",
  "json escapes": "''.join('\\\\u%04x' % ord(c) for c in s)",
  "json string": "json.dumps({'k': '\\n'.join(s)})",
};

/** What each spelling gives for the fallback text (no secret granted), computed here independently. */
const b = Buffer.from(FALLBACK);
const EXPECTED: Record<string, string> = {
  plain: FALLBACK,
  upper: FALLBACK.toUpperCase(),
  reversed: [...FALLBACK].reverse().join(""),
  spaced: [...FALLBACK].join(" "),
  "one per line": [...FALLBACK].join("\n"),
  punctuated: [...FALLBACK].join(".,"),
  hex: b.toString("hex"),
  "hex upper": b.toString("hex").toUpperCase(),
  percent: encodeURIComponent(FALLBACK),
  "percent every byte": b.toString("hex").toUpperCase().replace(/../g, "%$&"),
  "base64 align 0": b.toString("base64"),
  "base64 align 1": Buffer.from(`x${FALLBACK}`).toString("base64"),
  "base64 align 2": Buffer.from(`xy${FALLBACK}`).toString("base64"),
  "base64 url, no padding": Buffer.from(`?>${FALLBACK}`).toString("base64url"),
  "base64 with line breaks": `${Buffer.from(`ab${FALLBACK}`).toString("base64").replace(/.{76}/g, "$&\n")}\n`,
  "json escapes": [...FALLBACK].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
  "json string": JSON.stringify({ k: [...FALLBACK].join("\n") }).replace(/,/g, ", ").replace(/:/g, ": "),
};

/** Spellings that make a valid file name. */
const NAME_SAFE = ["plain", "upper", "reversed", "hex", "base64 url, no padding"];
/** A few spellings of each kind, for the channels where trying all would only cost time (stdout and the two streams try all). */
const SOME = ["plain", "reversed", "one per line", "hex upper", "base64 align 1", "json escapes"];

/** How a channel gets `e` (the spelled text) out, and where to look for it afterwards. */
interface Channel {
  code: string;
  spellings?: readonly string[];
  request?: Partial<RunRequest>;
  /** Everything that left through the channel, as text. */
  left(result: RunResult): string;
}

const text = (result: RunResult, path = "out.txt", snapshot = result.workspace) => {
  const entry = snapshot?.entries.get(path);
  return entry?.kind === "file" ? new TextDecoder().decode(entry.data) : "";
};
const names = (result: RunResult) => [...(result.workspace?.entries.keys() ?? [])].join("\n");
const resources = (audit: AuditEvent[] | undefined) => (audit ?? []).filter((e) => !e.alert).map((e) => e.resource).join("\n");

const CHANNELS: Record<string, Channel> = {
  stdout: { code: "print(e)", left: (r) => r.stdout },
  stderr: { code: "print(e, file=sys.stderr)", spellings: SOME, left: (r) => r.stderr },
  "stdout and stderr, alternating": {
    code: "for i, c in enumerate(e):\n    out = sys.stderr if i % 2 else sys.stdout\n    out.write(c)\n    out.flush()",
    spellings: SOME,
    left: (r) => r.stdout + r.stderr,
  },
  "a file in /workspace": { code: "open('/workspace/out.txt', 'w').write(e)", spellings: SOME, left: (r) => text(r) },
  "a file name in /workspace": { code: "open('/workspace/' + e, 'w').write('x')", spellings: NAME_SAFE.slice(0, 3), left: names },
  "a file in a mount": {
    code: "open('/mnt/out/out.txt', 'w').write(e)",
    spellings: ["base64 align 2", "percent"],
    request: { mounts: [{ path: "/mnt/out", files: EMPTY_SNAPSHOT, readOnly: false }] },
    left: (r) => text(r, "out.txt", r.mounts?.[0]),
  },
  "an audit event": { code: "os.path.exists('/etc/' + e)", spellings: ["plain", "hex"], left: (r) => resources(r.audit) },
  "a traced path": { code: "os.path.exists('/etc/' + e)", spellings: ["upper", "base64 url, no padding"], request: { trace: true }, left: (r) => (r.trace ?? []).flatMap((c) => c.paths ?? []).join("\n") },
  "the http tool's URL": { code: "call('http', url=f'http://127.0.0.1:{PORT}/?q=' + urllib.parse.quote(e))", spellings: ["plain", "base64 align 1"], left: () => received.join("\n") },
  "the http tool's headers": { code: "call('http', url=f'http://127.0.0.1:{PORT}/h', headers={'x-token': e.replace('\\n', ' ')})", spellings: ["reversed", "base64 align 2"], left: () => received.join("\n") },
  "the http tool's body": { code: "call('http', url=f'http://127.0.0.1:{PORT}/b', method='POST', body=e)", spellings: ["plain", "spaced", "base64 with line breaks", "json escapes"], left: () => received.join("\n") },
  "a user tool's arguments": { code: "call('echo', data=e)", spellings: ["upper", "percent"], left: () => toolArgs.join("\n") },
};

const toolArgs: string[] = [];
const TOOLS = { echo: "async (args) => { globalThis.__corpusArgs?.push(JSON.stringify(args)); return 'ok'; }" };
(globalThis as { __corpusArgs?: string[] }).__corpusArgs = toolArgs;

const policy = (granted: boolean) =>
  parsePolicy({
    version: 1,
    files: [{ path: "/workspace/**", access: "write" }, { path: "/etc/**", access: "read" }],
    ...(granted && { secrets: [{ name: "API_KEY" }] }),
    env: [],
    tools: [{ name: "http" }, { name: "echo" }],
    network: [{ host: "127.0.0.1" }],
  });

function pythonProgram(channel: Channel, spelling: string): string {
  return [
    "import base64, json, os, sys, urllib.parse",
    "from playpen_tools import call, ToolError",
    `PORT = ${port}`,
    `s = os.environ.get('API_KEY', ${JSON.stringify(FALLBACK)})`,
    "b = s.encode()",
    `e = ${PY_SPELLINGS[spelling]!}`,
    "try:",
    ...channel.code.split("\n").map((line) => `    ${line}`),
    "except ToolError as error:",
    "    print('refused:', error)",
  ].join("\n");
}

async function attempt(program: RunRequest["program"], channel: Channel, granted: boolean): Promise<{ result: RunResult; left: string }> {
  received.length = 0;
  toolArgs.length = 0;
  const request: RunRequest = {
    program,
    policy: policy(granted),
    secrets: { API_KEY: SECRET },
    workspace: EMPTY_SNAPSHOT,
    tools: TOOLS,
    timeoutMs: 60_000,
    ...channel.request,
  };
  const result = await runProgram(sandbox, request).result;
  return { result, left: channel.left(result) };
}

/** No spelling of the secret is left anywhere in what came out: checked by the filter's own test spellings plus a raw search. */
function expectNoSecret(left: string, result: RunResult) {
  const everything = [left, result.stdout, result.stderr, JSON.stringify(result.audit), names(result)].join("\n");
  expect(everything).not.toContain(SECRET);
  expect(everything.toLowerCase()).not.toContain(SECRET.toLowerCase());
  expect(everything.replace(/[^A-Za-z0-9]/g, "").toLowerCase()).not.toContain("4f9aq7zr2mx8wk1p");
  expect(everything).not.toContain(Buffer.from(SECRET).toString("hex"));
}

describe("the exfiltration corpus, in Python", () => {
  for (const [channelName, channel] of Object.entries(CHANNELS)) {
    for (const spelling of channel.spellings ?? Object.keys(PY_SPELLINGS)) {
      it(`${channelName}, ${spelling}: redacted or refused, and alerting`, async () => {
        const { result, left } = await attempt({ language: "python", code: pythonProgram(channel, spelling) }, channel, true);
        expect(result.reason, result.stderr).toBe("exited");
        expectNoSecret(left, result);
        const alerts = (result.audit ?? []).filter((e) => e.alert);
        expect(alerts.map((a) => a.alert!.kind), JSON.stringify(result.audit)).toContain(channelName.includes("tool") ? "secret-in-request" : "secret-in-output");
        if (channelName.includes("tool")) expect(result.stdout).toContain("refused: the request carries the secret API_KEY");
      });
    }
  }
});

describe("the same programs without the secret granted print normally", () => {
  for (const channelName of ["stdout", "a file in /workspace", "the http tool's body", "a user tool's arguments"]) {
    const channel = CHANNELS[channelName]!;
    for (const spelling of channelName === "stdout" ? Object.keys(PY_SPELLINGS) : (channel.spellings ?? SOME).slice(0, 2)) {
      it(`${channelName}, ${spelling}`, async () => {
        const { result, left } = await attempt({ language: "python", code: pythonProgram(channel, spelling) }, channel, false);
        expect(result.audit?.filter((e) => e.alert)).toEqual([]);
        const expected = EXPECTED[spelling]!;
        if (channelName === "stdout") expect(result.stdout).toBe(`${expected}\n`);
        else if (channelName === "a file in /workspace") expect(left).toBe(expected);
        else if (channelName === "a user tool's arguments") expect(left).toBe(JSON.stringify({ data: expected }));
        else expect(left).toContain(` ${expected}`);
      });
    }
  }
});

/** Shell spellings: a pipeline stage after the value. */
const SHELL_SPELLINGS: Record<string, string> = {
  plain: "cat",
  upper: "tr a-z A-Z",
  reversed: "rev",
  spaced: "sed 's/./& /g'",
  "one per line": "fold -w1",
  hex: "od -An -tx1",
  base64: "base64",
  "base64 url": "base64 | tr '+/' '-_'",
};

const SHELL_CHANNELS: Record<string, { code: (spell: string) => string; spellings?: string[]; left: (r: RunResult) => string }> = {
  stdout: { code: (spell) => `printenv API_KEY | ${spell}`, left: (r) => r.stdout },
  stderr: { code: (spell) => `printenv API_KEY | ${spell} >&2`, spellings: ["plain", "base64"], left: (r) => r.stderr },
  "a file in /workspace": { code: (spell) => `printenv API_KEY | ${spell} > out.txt`, spellings: ["plain", "hex"], left: (r) => text(r) },
  "split across writes": { code: (spell) => `printenv API_KEY | ${spell} | cut -c1-12\nprintenv API_KEY | ${spell} | cut -c13-`, spellings: ["plain", "reversed"], left: (r) => r.stdout },
};

describe("the exfiltration corpus, in shell", () => {
  for (const [channelName, channel] of Object.entries(SHELL_CHANNELS)) {
    for (const spelling of channel.spellings ?? Object.keys(SHELL_SPELLINGS)) {
      const spell = SHELL_SPELLINGS[spelling]!;
      it(`${channelName}, ${spelling}: redacted, and alerting`, async () => {
        const { result, left } = await attempt({ language: "shell", code: channel.code(spell) }, { code: "", left: channel.left }, true);
        expect(result.reason, result.stderr).toBe("exited");
        expectNoSecret(left, result);
        // The value is hidden where it first leaves a command (printenv's output), so later stages only ever see the label.
        expect((result.audit ?? []).filter((e) => e.alert).map((e) => e.alert!.kind)).toContain("secret-in-output");
      });
    }
  }
});

describe("tool requests go where a secret is bound, nowhere else", () => {
  it("sends the secret to a host its rule names, and refuses every other host", async () => {
    const code = pythonProgram({ code: "print(call('http', url=f'http://127.0.0.1:{PORT}/ok', headers={'authorization': 'Bearer ' + e})['status'])\ncall('http', url=f'http://localhost:{PORT}/no', headers={'authorization': e})", left: () => "" }, "plain");
    received.length = 0;
    const result = await sandbox.run({
      program: { language: "python", code },
      policy: parsePolicy({ version: 1, files: [{ path: "/workspace/**", access: "write" }], secrets: [{ name: "API_KEY", hosts: ["127.0.0.1"] }], tools: [{ name: "http" }], network: [{ host: "127.0.0.1" }, { host: "localhost" }] }),
      secrets: { API_KEY: SECRET },
    }).result;
    expect(result.stdout).toMatch(/^200\nrefused: the request carries the secret API_KEY, which may not be sent to localhost/);
    expect(received).toHaveLength(1);
    expect(received[0]).toContain(`Bearer ${SECRET}`);
    expect(result.audit?.find((e) => e.resource === "API_KEY → localhost")?.decision).toBe("deny");
    expect(result.audit?.find((e) => e.resource === "API_KEY → 127.0.0.1")?.decision).toBe("allow");
  });
});

describe("decoys", () => {
  it("plants a variable, a secret and a file that alert when touched, hides their values, and never hands the file back", async () => {
    const code = [
      "import os",
      "from playpen_tools import secret, ToolError",
      "print('var', os.environ['AWS_SECRET_ACCESS_KEY'][::-1])",
      "try:",
      "    print('secret', secret('STRIPE_KEY'))",
      "except ToolError as error:",
      "    print('refused:', error)",
      "print(open('/workspace/.aws/credentials').read().upper())",
    ].join("\n");
    const result = await sandbox.run({
      program: { language: "python", code },
      policy: parsePolicy({
        version: 1,
        files: [{ path: "/workspace/**", access: "write" }],
        tools: [{ name: "secrets" }],
        decoys: { env: [{ name: "AWS_SECRET_ACCESS_KEY" }], secrets: [{ name: "STRIPE_KEY", value: "sk_live_decoy_51HqLyjWDarjtT1zdp7dc" }], files: [{ path: "/workspace/.aws/credentials" }] },
      }),
      workspace: EMPTY_SNAPSHOT,
      timeoutMs: 60_000,
    }).result;
    expect(result.reason, result.stderr).toBe("exited");
    expect(result.stdout).toMatch(/^var «decoy AWS_SECRET_ACCESS_KEY»\nrefused: playpen: denied secret STRIPE_KEY by default \(not granted\); allow it with --allow-secret=STRIPE_KEY[^\n]*\n\[DEFAULT\]\nAWS_ACCESS_KEY_ID = «decoy \/workspace\/\.aws\/credentials»\nAWS_SECRET_ACCESS_KEY = «decoy \/workspace\/\.aws\/credentials»\n/);
    const alerts = (result.audit ?? []).filter((e) => e.alert).map((e) => e.alert!.message);
    // Output and decisions reach the controller in separate messages: their order varies.
    expect(alerts.sort()).toEqual([
      "decoy AWS_SECRET_ACCESS_KEY found in stdout (reversed); hidden",
      "decoy secret STRIPE_KEY asked for (denied)",
      "decoy file /workspace/.aws/credentials touched (path_open, allowed)",
      "decoy /workspace/.aws/credentials found in stdout (plain); hidden",
    ].sort());
    expect([...result.workspace!.entries.keys()]).toEqual([]);
  });
});
