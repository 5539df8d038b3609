import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessRequest, AskAnswer, AuditEvent, Engine, RunRequest, Sandbox } from "../../wasm-runtime/index.ts";
import { DEFAULT_POLICY, parsePolicy, PRESETS, type PolicyInput } from "../../wasm-runtime/policy/index.ts";
import { exampleModule, nodeWasmerEngine } from "../support/node-engine.ts";
import { createNodeEngine } from "../../cli/src/node-engine.ts";

let gated: Engine;
let reference: Engine;
let sandbox: Sandbox;
let referenceSandbox: Sandbox;

const files = { "data.txt": "hello file\n", "private/secret.txt": "top secret\n" };
const env = { GREETING: "hi", HOME_DIR: "/home/agent" };

beforeAll(async () => {
  gated = createNodeEngine("gated");
  reference = nodeWasmerEngine();
  await Promise.all([gated.prepare("python"), reference.prepare("python")]);
  sandbox = await gated.createSandbox({ files, env });
  referenceSandbox = await reference.createSandbox({ files, env });
});

afterAll(async () => {
  await Promise.all([sandbox.close(), referenceSandbox.close()]);
  await Promise.all([gated.close(), reference.close()]);
});

const policy = (input: Omit<PolicyInput, "version">) => parsePolicy({ version: 1, ...input });
/** The default grant (/workspace read-write) plus `input`. */
const workspaceAnd = (input: Omit<PolicyInput, "version">) =>
  policy({ ...input, files: [{ path: "/workspace/**", access: "write" }, ...(input.files ?? [])] });
const open = PRESETS.find((p) => p.id === "open")!.policy;

function py(code: string, extra: Partial<RunRequest> = {}, observer = {}) {
  return sandbox.run({ program: { language: "python", code }, timeoutMs: 15_000, ...extra }, observer).result;
}

function denials(audit: AuditEvent[] | undefined, resource: string): AuditEvent[] {
  return (audit ?? []).filter((e) => e.decision === "deny" && e.resource === resource);
}

describe("the gated engine runs what the Wasmer engine runs, with identical output", () => {
  it.each([
    ["hello.wasm", ["one", "two words"]],
    ["cpu-bench.wasm", ["3"]],
  ])("%s", async (name, args) => {
    const module = await exampleModule(name.replace(".wasm", ""));
    const request: RunRequest = { program: { language: "wasm", module, name }, args, policy: DEFAULT_POLICY };
    const [mine, theirs] = await Promise.all([sandbox.run(request).result, referenceSandbox.run(request).result]);
    expect(mine.exitCode).toBe(theirs.exitCode);
    // Timings printed by the benchmark differ; everything else must not.
    const stable = (text: string) => text.replace(/elapsed_ms: \d+(\.\d+)?/g, "elapsed_ms: N");
    expect(stable(mine.stdout)).toBe(stable(theirs.stdout));
    expect(mine.stderr).toBe(theirs.stderr);
  });

  it("Python: stdlib, files, json, sqlite3, tracebacks", async () => {
    const code = [
      "import json, os, sqlite3, pathlib, sys",
      "db = sqlite3.connect(':memory:'); db.execute('create table t(x)'); db.execute('insert into t values (41)')",
      "print(db.execute('select x + 1 from t').fetchone()[0])",
      "pathlib.Path('out').mkdir(exist_ok=True); pathlib.Path('out/a.json').write_text(json.dumps({'k': [1, 2]}))",
      "print(json.loads(open('out/a.json').read()), sorted(os.listdir('out')))",
      "print(sys.argv[1:], sys.stdin.read().strip())",
      "raise ValueError('boom')",
    ].join("\n");
    const request: RunRequest = { program: { language: "python", code }, args: ["a"], stdin: "in", policy: DEFAULT_POLICY };
    const [mine, theirs] = await Promise.all([sandbox.run(request).result, referenceSandbox.run(request).result]);
    expect(mine.stdout).toBe("42\n{'k': [1, 2]} ['a.json']\n['a'] in\n");
    expect(mine.stdout).toBe(theirs.stdout);
    expect(mine.stderr).toBe(theirs.stderr);
    expect(mine.exitCode).toBe(1);
  });
});

describe("every capability is a decision, denied unless granted, and audited", () => {
  it("reads: a denied path fails inside the guest; granted, it works", async () => {
    const code = "print(open('/workspace/private/secret.txt').read().strip())";
    const locked = policy({ files: [{ path: "/workspace/**", access: "write" }, { path: "/workspace/private/**", access: "none" }] });
    const denied = await py(code, { policy: locked });
    expect(denied.stderr).toMatch(/PermissionError/);
    expect(denials(denied.audit, "/workspace/private/secret.txt")[0]).toMatchObject({ syscall: "path_open", rule: expect.stringContaining("/workspace/private/**") });
    expect((await py(code, { policy: DEFAULT_POLICY })).stdout).toBe("top secret\n");
  });

  it("writes outside the workspace fail and create nothing", async () => {
    const denied = await py("open('/tmp-escape.txt', 'w').write('x')", { policy: DEFAULT_POLICY });
    expect(denied.stderr).toMatch(/PermissionError/);
    expect(denials(denied.audit, "/tmp-escape.txt")).not.toHaveLength(0);
    await expect(sandbox.readFile("/tmp-escape.txt")).rejects.toThrow();
    const granted = await py("open('/tmp-escape.txt', 'w').write('x')", { policy: open });
    expect(granted.exitCode).toBe(0);
  });

  it("a .. escape is checked as the path it resolves to", async () => {
    const result = await py("open('/workspace/../etc/shadow', 'w')", { policy: DEFAULT_POLICY });
    expect(result.stderr).toMatch(/PermissionError/);
    expect(denials(result.audit, "/etc/shadow")).not.toHaveLength(0);
  });

  it("a symlink out of the workspace is checked as its target", async () => {
    const result = await py("import os\nos.symlink('/workspace/private/secret.txt', 'link')\nprint(open('link').read())", {
      policy: policy({ files: [{ path: "/workspace/**", access: "write" }, { path: "/workspace/private/**", access: "none" }] }),
    });
    expect(result.stderr).toMatch(/PermissionError/);
    expect(denials(result.audit, "/workspace/private/secret.txt")).not.toHaveLength(0);
  });

  it("environment variables are visible only when granted", async () => {
    const code = "import os\nprint(os.environ.get('GREETING'), os.environ.get('HOME_DIR'))";
    const none = await py(code, { policy: DEFAULT_POLICY });
    expect(none.stdout).toBe("None None\n");
    expect(denials(none.audit, "GREETING")[0]).toMatchObject({ capability: "env", syscall: "environ_get" });
    const some = await py(code, { policy: workspaceAnd({ env: [{ name: "GREET*" }] }) });
    expect(some.stdout).toBe("hi None\n");
  });

  it("secrets are readable only when granted", async () => {
    const code = "import os\nprint(os.environ.get('API_KEY'))";
    const secrets = { API_KEY: "s3cr3t" };
    const none = await py(code, { policy: DEFAULT_POLICY, secrets });
    expect(none.stdout).toBe("None\n");
    expect(denials(none.audit, "API_KEY")[0]).toMatchObject({ capability: "secret" });
    // Printed, a granted secret is hidden from the output (see "output filtering"); its length shows it was read.
    const granted = await py("import os\nprint(len(os.environ.get('API_KEY', '')))", { policy: workspaceAnd({ secrets: [{ name: "API_KEY" }] }), secrets });
    expect(granted.stdout).toBe("6\n");
  });

  it("memory beyond the limit fails inside the guest and is reported", async () => {
    const hog = "chunks = []\nwhile True: chunks.append(bytearray(8 * 1024 * 1024))";
    const result = await py(hog, { policy: workspaceAnd({ limits: { memoryMiB: 64 } }) });
    expect(result.stderr).toMatch(/MemoryError/);
    expect(result.memoryLimitReached).toBe(true);
  });

  it("output beyond the limit is cut and marked", async () => {
    const result = await py("print('x' * 100000)", { policy: workspaceAnd({ limits: { stdoutBytes: 1000 } }) });
    expect(result.stdout).toHaveLength(1000);
    expect(result.stdoutTruncated).toBe(true);
  });

  it("time beyond the limit ends the run, leaving the workspace untouched; the next run is quick", async () => {
    // No timeoutMs in the request: the policy's wall limit applies.
    const result = await py("open('half-written.txt', 'w').write('x')\nwhile True: pass", { policy: workspaceAnd({ limits: { wallMs: 500 } }), timeoutMs: undefined });
    expect(result.reason).toBe("timeout");
    await expect(sandbox.readFile("/workspace/half-written.txt")).rejects.toThrow();
    const next = await py("print('next')");
    expect(next.stdout).toBe("next\n");
  });

  it("Stop ends a run within 200 ms", async () => {
    const handle = sandbox.run({ program: { language: "python", code: "while True: pass" } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopped = performance.now();
    handle.stop();
    expect((await handle.result).reason).toBe("stopped");
    expect(performance.now() - stopped).toBeLessThan(200);
  });
});

describe("one warm run thread, shared by the engine's sandboxes", () => {
  it("carries nothing from one sandbox's run to another's: files, variables, secrets, module state", async () => {
    const first = await gated.createSandbox();
    const second = await gated.createSandbox();
    try {
      const write = `import os, sys, json
open('/workspace/left.txt', 'w').write('x')
os.environ['LEFT'] = 'x'
sys.modules['json'].left = 'x'
print(os.environ.get('API_KEY'))`;
      const wrote = await first.run({ program: { language: "python", code: write }, policy: workspaceAnd({ secrets: [{ name: "API_KEY" }] }), secrets: { API_KEY: "sk-first-run-only" }, timeoutMs: 15_000 }).result;
      expect(wrote.stderr).toBe("");
      expect(wrote).toMatchObject({ exitCode: 0 });
      const read = `import os, json
print(os.path.exists('/workspace/left.txt'), os.environ.get('LEFT'), os.environ.get('API_KEY'), hasattr(json, 'left'))`;
      const seen = await second.run({ program: { language: "python", code: read }, policy: workspaceAnd({}), timeoutMs: 15_000 }).result;
      expect(seen.stdout).toBe("False None None False\n");
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe("ask", () => {
  // Allow beats ask, so the asked-for folder must lie outside every allow rule.
  const asking = policy({
    files: [
      { path: "/workspace", access: "read" },
      { path: "/workspace/main.py", access: "read" },
      { path: "/workspace/private/**", access: "read", decision: "ask" },
    ],
  });
  const code = "for _ in range(2):\n    try: print(open('/workspace/private/secret.txt').read().strip())\n    except PermissionError: print('refused')";

  it.each<[AskAnswer, string, number]>([
    ["once", "top secret\ntop secret\n", 2],
    ["always", "top secret\ntop secret\n", 1],
    ["deny", "refused\nrefused\n", 2],
  ])("pauses the guest and applies the answer %s", async (answer, stdout, prompts) => {
    const asked: AccessRequest[] = [];
    const result = await py(code, { policy: asking }, { ask: async (request: AccessRequest) => (asked.push(request), answer) });
    expect(result.stdout).toBe(stdout);
    expect(asked).toHaveLength(prompts);
    expect(asked[0]).toEqual({ capability: "file", path: "/workspace/private/secret.txt", access: "read" });
    expect(result.audit!.some((e) => e.rule.startsWith("answered"))).toBe(true);
  });

  it("means deny when nobody can answer", async () => {
    expect((await py(code, { policy: asking })).stdout).toBe("refused\nrefused\n");
  });
});

describe("output filtering", () => {
  it("a granted secret printed by the guest is hidden in its output", async () => {
    const code = "import os, sys\nprint('key:', os.environ['API_KEY'])\nsys.stderr.write(os.environ['API_KEY'][:3]); sys.stderr.write(os.environ['API_KEY'][3:])";
    const streamed: string[] = [];
    const result = await py(code, { policy: workspaceAnd({ secrets: [{ name: "API_KEY" }] }), secrets: { API_KEY: "s3cr3t" } }, { output: (_s: string, text: string) => streamed.push(text) });
    expect(result.stdout).toBe("key: «secret API_KEY»\n");
    expect(result.stderr).toBe("«secret API_KEY»");
    expect(streamed.join("")).not.toContain("s3cr3t");
  });
});
