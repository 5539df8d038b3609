import { readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../wasm-runtime/index.ts";
import { runPlaypen, scratch, type CliOutcome } from "../support/cli.ts";

const scratchDir = scratch("cli");
const { dir: work, daemonDir, file } = scratchDir;

/** Through the file's warm daemon (what agents use, and fast) unless `inProcess`. */
function playpen(args: string[], options: { stdin?: string | "left open"; inProcess?: boolean } = {}): Promise<CliOutcome> {
  return runPlaypen(args, { cwd: work, daemonDir, ...options });
}

// Removing the socket folder tells the test daemon to exit.
afterAll(() => scratchDir.remove());

describe("playpen run (warm daemon)", () => {
  it("starts a daemon on first use and gives the same results through it", async () => {
    const script = file("hello.py", "import sys\nprint('hello', sys.argv[1])\nsys.exit(4)\n");
    const coldStart = Date.now();
    const first = await playpen(["run", script, "one"]);
    const coldMs = Date.now() - coldStart;
    expect(first).toEqual({ code: 4, stdout: "hello one\n", stderr: "" });
    expect(readdirSync(daemonDir).some((name) => name.endsWith(".sock"))).toBe(true);
    const started = Date.now();
    const second = await playpen(["run", "--json", script, "two"]);
    expect(JSON.parse(second.stdout)).toMatchObject({ exitCode: 4, stdout: "hello two\n" });
    // Warm: no daemon start and no runtime load, so a fraction of the cold start (a ratio: the machine may be loaded).
    expect(Date.now() - started).toBeLessThan(coldMs / 2);
  });

  it("gives each command a fresh sandbox", async () => {
    const writer = file("write.py", "open('left-behind.txt', 'w').write('x')\n");
    const reader = file("read.py", "import os\nprint(os.path.exists('left-behind.txt'))\n");
    await playpen(["run", writer]);
    expect((await playpen(["run", reader])).stdout).toBe("False\n");
  });
});

describe("playpen run", () => {
  it("streams the guest's output and exits with its exit code, through the daemon and in process", async () => {
    const script = file("fail.py", "import sys\nprint('to stdout')\nprint('to stderr', file=sys.stderr)\nsys.exit(5)\n");
    const expected = { code: 5, stdout: "to stdout\n", stderr: "to stderr\n" };
    expect(await playpen(["run", script])).toEqual(expected);
    // PLAYPEN_NO_DAEMON=1: the same, in the client's own process (a cold start compiles CPython: room for a loaded machine).
    expect(await playpen(["run", "--timeout", "60000", script], { inProcess: true })).toEqual(expected);
  });

  it("prints one JSON object with --json, passing args and stdin to the guest", async () => {
    const script = file("echo.py", "import sys\nprint(sys.argv[1:], sys.stdin.read())\n");
    const { code, stdout } = await playpen(["run", "--json", script, "--flag", "x"], { stdin: "piped" });
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(["alerts", "audit", "denials", "durationMs", "exitCode", "reason", "stderr", "stdout"]);
    expect(result).toMatchObject({ exitCode: 0, reason: "exited", stdout: "['--flag', 'x'] piped\n", stderr: "" });
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it("does not wait for a stdin that is left open and silent", async () => {
    const script = file("no-input.py", "import sys\nprint(repr(sys.stdin.read()))\n");
    expect(await playpen(["run", script], { stdin: "left open" })).toMatchObject({ code: 0, stdout: "''\n" });
  });

  it("reads the program from stdin with -", async () => {
    expect(await playpen(["run", "-"], { stdin: "print(6 * 7)\n" })).toMatchObject({ code: 0, stdout: "42\n" });
  });

  it("runs a WASI module by extension", async () => {
    const { code, stdout } = await playpen(["run", path.resolve("public/examples/hello.wasm"), "arg1"]);
    expect(code).toBe(0);
    expect(stdout).toContain("argv[1] = arg1");
  });

  it("exits 124 when the time limit is reached", async () => {
    const script = file("spin.py", "while True: pass\n");
    const started = Date.now();
    const { code, stderr } = await playpen(["run", "--timeout", "1000", script]);
    expect(code).toBe(124);
    expect(stderr).toMatch(/time limit of 1000 ms reached/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("reports a missing file, a bad module and a usage mistake specifically", async () => {
    expect(await playpen(["run", "nope.py"])).toMatchObject({ code: 126, stderr: 'playpen: cannot read "nope.py": no such file\n' });
    const bad = await playpen(["run", "--json", file("bad.wasm", "print('not wasm')")]);
    expect(bad.code).toBe(126);
    expect(JSON.parse(bad.stdout)).toMatchObject({ reason: "error", error: expect.stringMatching(/not a WebAssembly module/) });
    const usage = await playpen(["run", "--lang", "cobol", "x"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown --lang "cobol"/);
  });
});

describe("playpen run with a policy", () => {
  const reader = () =>
    file(
      "reader.py",
      [
        "import os",
        "os.makedirs('/workspace/keys', exist_ok=True)",
        "open('/workspace/keys/k.txt', 'w').write('secret')",
        "for p in ['/workspace/main.py', '/workspace/keys/k.txt']:",
        "    try: open(p).read(); print('read', p)",
        "    except PermissionError: print('denied', p)",
      ].join("\n"),
    );
  const writer = () =>
    file("writer.py", "try:\n    open('/workspace/notes.txt', 'w').write('x'); print('wrote')\nexcept PermissionError: print('denied')\n");
  const askPolicy = () =>
    file(
      "ask-policy.json",
      JSON.stringify({
        version: 1,
        files: [
          { path: "/workspace", access: "read" },
          { path: "/workspace/main.py", access: "read" },
          { path: "/workspace/notes.txt", access: "write", decision: "ask" },
        ],
      }),
    );

  it("maps Deno-style flags onto the gated engine, and reports the audit in --json and --audit", async () => {
    const audit = path.join(work, "audit.jsonl");
    const { code, stdout } = await playpen(["run", "--json", "--deny-read=keys", `--audit=${audit}`, reader()]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { stdout: string; audit: AuditEvent[] };
    expect(result.stdout).toBe("read /workspace/main.py\ndenied /workspace/keys/k.txt\n");
    const denial = result.audit.find((e) => e.resource === "/workspace/keys/k.txt" && e.decision === "deny");
    expect(denial).toMatchObject({ capability: "file", syscall: "path_open", rule: expect.stringContaining("/workspace/keys") });
    const lines = readFileSync(audit, "utf8").trim().split("\n").map((line) => JSON.parse(line) as AuditEvent);
    expect(lines).toEqual(result.audit);
  });

  it("refuses a flag the chosen engine cannot enforce, naming the flag and the engine", async () => {
    const { code, stderr } = await playpen(["run", "--engine", "wasmer", "--deny-read=keys", reader()]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/the wasmer engine cannot enforce --deny-read: file rules/);
  });

  it("rejects an invalid policy file with the path and reason of each bad field", async () => {
    // The second "files" would silently replace the first under JSON.parse.
    const text = `{"version": 1, "files": [{"path": "/workspace/**", "access": "write"}], "fils": [], "limits": {"memoryMiB": -1}, "files": []}`;
    const policyFile = file("bad-policy.json", text);
    const { code, stdout, stderr } = await playpen(["run", "--policy", policyFile, reader()]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/ {2}files: duplicate field: written more than once in the same object\n/);
    expect(stderr).toMatch(/fils: unknown field: did you mean "files"\?/);
    expect(stderr).toMatch(/limits\.memoryMiB/);
  });

  it("treats ask as deny without a terminal", async () => {
    expect((await playpen(["run", "--policy", askPolicy(), writer()])).stdout).toBe("denied\n");
  });

  it("asks a daemon client with a terminal, and applies its answer", async () => {
    const script = writer();
    const policyFile = askPolicy();
    await playpen(["run", script]); // starts the daemon
    const socketPath = path.join(daemonDir, readdirSync(daemonDir).find((name) => name.endsWith(".sock"))!);
    const replies = await new Promise<Record<string, unknown>[]>((resolve) => {
      const socket = connect(socketPath);
      const seen: Record<string, unknown>[] = [];
      let buffered = "";
      socket.on("data", (data) => {
        buffered += data.toString();
        for (let i; (i = buffered.indexOf("\n")) >= 0; buffered = buffered.slice(i + 1)) {
          const reply = JSON.parse(buffered.slice(0, i)) as Record<string, unknown>;
          seen.push(reply);
          if ("ask" in reply) socket.write(`${JSON.stringify({ answer: "y" })}\n`);
        }
      });
      socket.on("close", () => resolve(seen));
      const key = readFileSync(socketPath.replace(/\.sock$/, ".key"), "utf8");
      socket.write(`${JSON.stringify({ key, argv: ["run", "--policy", policyFile, script], cwd: work, stdin: null, terminal: true })}\n`);
    });
    expect(replies.find((r) => "ask" in r)?.ask).toMatch(/asks for write access to \/workspace\/notes\.txt \(path_open\)/);
    expect(replies.filter((r) => "text" in r).map((r) => r.text).join("")).toBe("wrote\n");
    expect(replies.at(-1)).toEqual({ exit: 0 });
  });

  it("gives the guest a host tool from a JS file, and writes the trace", async () => {
    const tool = file("greet.js", "async ({ name }) => ({ greeting: `hello ${name}` })");
    const script = file("call.py", "import playpen_tools as t\nprint(t.call('greet', name='Ada')['greeting'])\n");
    const trace = path.join(work, "trace.jsonl");
    const { code, stdout } = await playpen(["run", "--allow-tool=greet", `--tool=greet=${tool}`, "--trace", trace, script]);
    expect({ code, stdout }).toEqual({ code: 0, stdout: "hello Ada\n" });
    const calls = readFileSync(trace, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { name: string; paths?: string[] });
    expect(calls.some((c) => c.name === "path_open" && c.paths?.includes("host/greet"))).toBe(true);
  });
});

describe("a retired daemon", () => {
  // Last in this file: the daemon it retires is the file's own.
  it("finishes the runs it has when its socket is removed (a newer client retiring it after a code change)", async () => {
    const slow = file("slow.py", "import time\ntime.sleep(12)\nprint('done')\n");
    await playpen(["run", file("warm.py", "print(1)\n")]);
    const run = playpen(["run", "--timeout", "60000", slow]);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const socket = readdirSync(daemonDir).find((name) => name.endsWith(".sock"))!;
    rmSync(path.join(daemonDir, socket));
    expect(await run).toEqual({ code: 0, stdout: "done\n", stderr: "" });
  }, 90_000);
});
