import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine, Sandbox } from "../../wasm-runtime/index.ts";
import { parsePolicy, PRESETS } from "../../wasm-runtime/policy/index.ts";
import { exampleModule, nodeWasmerEngine } from "../support/node-engine.ts";

let engine: Engine;
let sandbox: Sandbox;

beforeAll(async () => {
  engine = nodeWasmerEngine();
  await engine.prepare("python");
  sandbox = await engine.createSandbox({ files: { "data.txt": "from the host\n" }, env: { GREETING: "hi" } });
});

afterAll(async () => {
  await sandbox.close();
  await engine.close();
});

const py = (code: string, extra: Partial<Parameters<Sandbox["run"]>[0]> = {}) =>
  sandbox.run({ program: { language: "python", code }, timeoutMs: 10_000, ...extra });

describe("Python in the Wasmer engine", () => {
  it("runs a script with args, stdin, env and workspace files, keeping stdout and stderr apart", async () => {
    const result = await py(
      [
        "import os, sys",
        "print('args', sys.argv[1:])",
        "print('stdin', sys.stdin.read().strip())",
        "print('env', os.environ['GREETING'])",
        "print('cwd', os.getcwd(), open('data.txt').read().strip())",
        "print('oops', file=sys.stderr)",
        "sys.exit(3)",
      ].join("\n"),
      { args: ["a", "b c"], stdin: "typed\n" },
    ).result;
    expect(result.reason).toBe("exited");
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe("args ['a', 'b c']\nstdin typed\nenv hi\ncwd /workspace from the host\n");
    expect(result.stderr).toBe("oops\n");
  });

  it("does not hang on selectors, subprocess, asyncio or sleep(0) (the zero-timeout poll fix)", async () => {
    const result = await py(
      "import selectors, subprocess, asyncio, time\ntime.sleep(0)\nselectors.DefaultSelector().select(0)\nprint('ok')",
      { timeoutMs: 8_000 },
    ).result;
    expect(result).toMatchObject({ reason: "exited", exitCode: 0, stdout: "ok\n" });
  });

  it("shows a syntax error as Python reports it, and the sandbox stays usable", async () => {
    const bad = await py("print('unclosed'\n").result;
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/File "\/workspace\/main.py", line 1/);
    expect(bad.stderr).toMatch(/SyntaxError/);
    const good = await py("print('still fine')").result;
    expect(good.stdout).toBe("still fine\n");
  });

  it("shows a traceback naming the failing line", async () => {
    const result = await py("x = 1\ny = 0\nprint(x / y)\n").result;
    expect(result.stderr).toMatch(/Traceback \(most recent call last\):\n\s+File "\/workspace\/main.py", line 3/);
    expect(result.stderr).toMatch(/ZeroDivisionError: division by zero/);
  });

  it("streams output while the guest is still running", async () => {
    const seen: { text: string; at: number }[] = [];
    const started = performance.now();
    const handle = sandbox.run(
      { program: { language: "python", code: "import time\nprint('first')\ntime.sleep(1)\nprint('second')" } },
      { output: (_stream, text) => seen.push({ text, at: performance.now() - started }) },
    );
    const result = await handle.result;
    expect(result.stdout).toBe("first\nsecond\n");
    const first = seen.find((s) => s.text.includes("first"))!;
    expect(first.at).toBeLessThan(result.durationMs - 500);
  });

  it("ends a runaway loop at the time limit", async () => {
    const result = await py("while True: pass", { timeoutMs: 1_000 }).result;
    expect(result.reason).toBe("timeout");
    expect(result.exitCode).toBe(124);
    expect(result.durationMs).toBeGreaterThanOrEqual(1_000);
    expect(result.durationMs).toBeLessThan(3_000);
  });

  it("stops a runaway loop on request within 200 ms", async () => {
    const handle = py("print('spinning', flush=True)\nwhile True: pass", { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 500));
    const stoppedAt = performance.now();
    handle.stop();
    const result = await handle.result;
    expect(result.reason).toBe("stopped");
    expect(performance.now() - stoppedAt).toBeLessThan(200);
  });

  it("caps an output flood and marks it truncated", async () => {
    const result = await py("import sys\nfor i in range(50000): sys.stdout.write('x' * 100 + '\\n')", {
      outputBytes: 64 * 1024,
      // Generous: writing 5 MB through the SDK's pipes is slow on a busy machine.
      timeoutMs: 30_000,
    }).result;
    expect(result.reason).toBe("exited");
    expect(result.stdout.length).toBe(64 * 1024);
    expect(result.stdoutTruncated).toBe(true);
    expect(result.stderrTruncated).toBe(false);
  });
});

describe("the sandbox's files", () => {
  it("are written by the host, changed by the guest and read back by the host", async () => {
    await sandbox.writeFile("/workspace/input.txt", "3\n4\n");
    const result = await py("nums = [int(x) for x in open('input.txt')]\nopen('sum.txt', 'w').write(str(sum(nums)))").result;
    expect(result.exitCode).toBe(0);
    expect(new TextDecoder().decode(await sandbox.readFile("/workspace/sum.txt"))).toBe("7");
  });

  it("are separate in each sandbox", async () => {
    const other = await engine.createSandbox();
    try {
      const result = await other.run({ program: { language: "python", code: "import os\nprint(sorted(os.listdir('.')))" } }).result;
      expect(result.stdout).toBe("['main.py']\n");
    } finally {
      await other.close();
    }
  });
});

describe("raw WASI modules in the Wasmer engine", () => {
  it("runs a C program with arguments", async () => {
    const result = await sandbox.run({ program: { language: "wasm", module: await exampleModule("hello") }, args: ["x"] }).result;
    expect(result).toMatchObject({ reason: "exited", exitCode: 0 });
    expect(result.stdout).toContain("argv[1] = x");
  });

  it.each([
    ["an empty file", new Uint8Array(), /empty/i],
    ["a text file", new TextEncoder().encode("print('hello')\n"), /not a WebAssembly module/i],
    ["an ELF executable", Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), /ELF/],
  ])("rejects %s with a specific error", async (_name, module, message) => {
    const result = await sandbox.run({ program: { language: "wasm", module } }).result;
    expect(result.reason).toBe("error");
    expect(result.exitCode).toBe(126);
    expect(result.error).toMatch(message);
  });

  it("rejects a truncated module and a module without _start, then runs the next program", async () => {
    const hello = await exampleModule("hello");
    const truncated = await sandbox.run({ program: { language: "wasm", module: hello.subarray(0, hello.length >> 1) } }).result;
    expect(truncated.error).toMatch(/truncated/i);
    // The smallest valid module: header only, so no _start.
    const library = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const noStart = await sandbox.run({ program: { language: "wasm", module: library } }).result;
    expect(noStart.error).toMatch(/_start/);
    const next = await sandbox.run({ program: { language: "wasm", module: hello } }).result;
    expect(next.exitCode).toBe(0);
  });
});

describe("policies in the Wasmer engine", () => {
  it("refuses a policy it cannot enforce, saying what and where to go instead", async () => {
    const locked = PRESETS.find((p) => p.id === "locked")!.policy;
    const result = await py("print('never runs')", { policy: locked }).result;
    expect(result.reason).toBe("error");
    expect(result.stdout).toBe("");
    expect(result.error).toMatch(/wasmer engine cannot enforce this policy: file rules other than read-write \/workspace.*Run it on the gated engine/);
  });

  it("refuses a grant of /workspace/* write, under which its guest could read /workspace/sub/secret.txt", async () => {
    await sandbox.writeFile("/workspace/sub/secret.txt", "s3cret\n");
    const policy = parsePolicy({ version: 1, files: [{ path: "/workspace/*", access: "write" }] });
    const result = await py("print(open('/workspace/sub/secret.txt').read())", { policy }).result;
    expect(result.reason).toBe("error");
    expect(result.stdout).toBe("");
    expect(result.error).toMatch(/cannot enforce this policy: file rules other than read-write \/workspace: files\[0\] "\/workspace\/\*" write grants only part of \/workspace/);
  });

  it("shows only the granted variables, and audits each decision", async () => {
    const policy = parsePolicy({ version: 1, files: [{ path: "/workspace/**", access: "write" }] });
    const hidden = await py("import os\nprint(os.environ.get('GREETING'))", { policy }).result;
    expect(hidden.stdout).toBe("None\n");
    expect(hidden.audit).toContainEqual(expect.objectContaining({ capability: "env", resource: "GREETING", decision: "deny" }));
    const granted = await py("import os\nprint(os.environ.get('GREETING'))", { policy: { ...policy, env: [{ name: "GREETING" }] } }).result;
    expect(granted.stdout).toBe("hi\n");
  });

  it("enforces the memory limit by rewriting the module", async () => {
    const policy = parsePolicy({ version: 1, files: [{ path: "/workspace/**", access: "write" }], limits: { memoryMiB: 64 } });
    const result = await py("chunks = []\nwhile True: chunks.append(bytearray(8 * 1024 * 1024))", { policy, timeoutMs: 20_000 }).result;
    expect(result.stderr).toMatch(/MemoryError/);
  });
});

describe("what only the gated engine offers", () => {
  it("refuses host tools and the syscall trace instead of ignoring them", async () => {
    const tools = await py("print('never')", { tools: { greet: "async () => 'hi'" } }).result;
    expect(tools).toMatchObject({ reason: "error", stdout: "" });
    expect(tools.error).toMatch(/host tools need the gated engine/);
    const trace = await py("print('never')", { trace: true }).result;
    expect(trace.error).toMatch(/syscall trace needs the gated engine/);
  });
});
