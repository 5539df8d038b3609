import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PLAYPEN_BIN as BIN, runPlaypen, scratch, type CliOutcome } from "../support/cli.ts";

/** Secret values into the CLI, kept out of logs, argument lists and errors; alerts out of it. */
const scratchDir = scratch("cli-secrets");
const { dir: work, daemonDir, file } = scratchDir;
const SECRET = "sk-live-Zq83nW5xKp0dLr7u";

/** Through the file's warm daemon unless `inProcess`. */
function playpen(args: string[], options: { env?: Record<string, string>; inProcess?: boolean } = {}): Promise<CliOutcome> {
  return runPlaypen(args, { cwd: work, daemonDir, ...options });
}

afterAll(() => scratchDir.remove());

const leak = file("leak.py", "import base64, os\nprint('key:', base64.b64encode(os.environ['API_KEY'].encode()).decode())\n");

describe("--secret and --secrets-file", () => {
  it("takes a value from the caller's environment, hides it in every spelling and alerts", async () => {
    const { code, stdout, stderr } = await playpen(["run", "--secret", "API_KEY", "--allow-secret=API_KEY", leak], { env: { API_KEY: SECRET } });
    expect(code).toBe(0);
    expect(stdout).toBe("key: «secret API_KEY»\n");
    expect(stderr).toMatch(/^playpen: alert: \[high\] secret-in-output: secret API_KEY found in stdout \(base64\); hidden\n/);
    expect(stdout + stderr).not.toContain(Buffer.from(SECRET).toString("base64").slice(4, 20));
  });

  it("reads a dotenv file, a later --secret NAME=VALUE winning", async () => {
    const dotenv = file("secrets.env", `# tokens\nexport API_KEY="${SECRET}"\nOTHER='literal # not a comment'\nPLAIN = value-here  # comment\n`);
    const show = file("show.py", "import os\nprint(len(os.environ['API_KEY']), os.environ['OTHER'][:7], os.environ['PLAIN'])\n");
    const flags = ["--allow-secret=API_KEY,OTHER,PLAIN", "--secrets-file", dotenv];
    expect(await playpen(["run", ...flags, show])).toMatchObject({ code: 0, stdout: `${SECRET.length} literal «secret PLAIN»\n` });
    expect((await playpen(["run", ...flags, "--secret", "API_KEY=short-but-fine-value", show])).stdout).toBe("20 literal «secret PLAIN»\n");
  });

  it("names the flag, the line and the name in an error, never the value", async () => {
    const badName = await playpen(["run", "--secret", `1API=${SECRET}`, leak]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/^playpen: --secret takes NAME=VALUE or NAME/);
    const noName = await playpen(["run", `--secret==${SECRET}`, leak]);
    expect(noName.stderr).toMatch(/the name is missing/);
    const badLine = file("bad.env", `GOOD=1\n${SECRET}\nQUOTED="${SECRET}\n`);
    const badFile = await playpen(["run", "--secrets-file", badLine, leak]);
    expect(badFile.stderr).toMatch(/bad\.env, line 2: expected NAME=VALUE/);
    const unclosed = await playpen(["run", "--secrets-file", file("unclosed.env", `QUOTED="${SECRET}\n`), leak]);
    expect(unclosed.stderr).toMatch(/line 1: the value of QUOTED has no closing "/);
    const missing = await playpen(["run", "--secret", "NOT_SET_ANYWHERE", leak]);
    expect(missing.stderr).toMatch(/--secret NOT_SET_ANYWHERE: there is no variable NOT_SET_ANYWHERE in your environment/);
    for (const outcome of [badName, noName, badFile, unclosed]) expect(outcome.stdout + outcome.stderr).not.toContain(SECRET);
  });
});

describe("alerts on the command line", () => {
  it('lists alerts in --json, exits 125 with --fail-on-alert, and hands each to --alert-hook', async () => {
    const hookOut = path.join(work, "hook.jsonl");
    const hook = file("hook.js", `async (alert, context) => { const fs = await import("node:fs"); fs.appendFileSync(${JSON.stringify(hookOut)}, JSON.stringify({ alert, runId: context.runId }) + "\\n"); }`);
    const { code, stdout } = await playpen(["run", "--json", "--fail-on-alert", "--alert-hook", hook, "--secret", "API_KEY", "--allow-secret=API_KEY", leak], { env: { API_KEY: SECRET } });
    expect(code).toBe(125);
    const result = JSON.parse(stdout) as { exitCode: number; stdout: string; alerts: { kind: string; severity: string; message: string }[] };
    expect(result.exitCode).toBe(0);
    expect(result.alerts).toEqual([expect.objectContaining({ kind: "secret-in-output", severity: "high", capability: "secret" })]);
    expect(stdout).not.toContain(SECRET);
    const hooked = readFileSync(hookOut, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { alert: { kind: string } });
    expect(hooked.map((h) => h.alert.kind)).toEqual(["secret-in-output"]);
  });

  it("--alert-tool NAME: the user tool NAME receives each alert (a secret-shaped value here), whether or not the guest may call it", async () => {
    const toolOut = path.join(work, "alert-tool.jsonl");
    const notify = file("notify.js", `async (args, context) => { const fs = await import("node:fs"); fs.appendFileSync(${JSON.stringify(toolOut)}, JSON.stringify({ args, runId: context.runId }) + "\\n"); return { ok: true }; }`);
    const found = file("found.py", "print('old key: AKIAIOSFODNN7EXAMPLE')\nimport os\nprint(os.path.exists('/host/notify'))\n");
    const { code, stdout, stderr } = await playpen(["run", "--json", "--tool", `notify=${notify}`, "--alert-tool", "notify", found]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { stdout: string; alerts: { kind: string }[] };
    expect(result.alerts.map((a) => a.kind)).toEqual(["secret-shaped"]);
    const received = readFileSync(toolOut, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { args: { kind: string; severity: string; message: string; resource: string }; runId: string });
    expect(received).toEqual([{ args: expect.objectContaining({ kind: "secret-shaped", severity: "high", resource: "stdout: AWS access key id" }), runId: expect.any(String) }]);
    expect(received[0]!.args.message).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(stderr).not.toContain("failed");
    // Naming a tool that was not given is a usage error, before anything runs.
    const unknown = await playpen(["run", "--alert-tool", "nope", found]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--alert-tool nope: no --tool nope=FILE.js gives that tool");
  });

  it("exits with the guest's status under --fail-on-alert when nothing alerted", async () => {
    const quiet = file("quiet.py", "print('fine')\nraise SystemExit(3)\n");
    expect(await playpen(["run", "--fail-on-alert", "--secret", "API_KEY", quiet], { env: { API_KEY: SECRET } })).toEqual({ code: 3, stdout: "fine\n", stderr: "" });
  });

  it("alerts when a decoy file is opened, and when probing piles up denials", async () => {
    const policy = file("decoy.json", JSON.stringify({ version: 1, files: [{ path: "/workspace/**", access: "write" }], decoys: { files: [{ path: "/workspace/.aws/credentials" }] }, alerts: { denialsInARow: 12 } }));
    const snoop = file("snoop.py", "import os\nprint(os.listdir('/workspace/.aws'))\nopen('/workspace/.aws/credentials').read()\nfor i in range(15):\n    os.path.exists(f'/etc/key{i}')\n");
    const { code, stdout, stderr } = await playpen(["run", "--json", "--policy", policy, snoop]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { stdout: string; alerts: { kind: string; message: string }[] };
    expect(result.stdout).toBe("['credentials']\n");
    expect(result.alerts.map((a) => a.kind)).toEqual(["decoy", "probing"]);
    expect(result.alerts[0]!.message).toBe("decoy file /workspace/.aws/credentials touched (path_open, allowed)");
    expect(stderr).toContain("playpen: alert: [high] decoy: decoy file /workspace/.aws/credentials touched");
  });
});

describe("through the daemon", () => {
  it("keeps the value out of the daemon's arguments and every other process's", async () => {
    const slow = file("slow.py", "import os, time\nprint(len(os.environ['API_KEY']))\ntime.sleep(1.5)\n");
    // Warm the daemon, then look at the process list while a run is on.
    await playpen(["run", file("warm.py", "print(1)\n")]);
    const env = { ...process.env, API_KEY: SECRET, PLAYPEN_DAEMON_DIR: daemonDir, PLAYPEN_NO_DAEMON: "" };
    const child = spawn(process.execPath, [BIN, "run", "--secret", "API_KEY", "--allow-secret=API_KEY", slow], { env, cwd: work, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data));
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const holders = readdirSync("/proc")
      .filter((pid) => /^\d+$/.test(pid))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`).includes(SECRET);
        } catch {
          return false;
        }
      });
    await new Promise((resolve) => child.on("close", resolve));
    expect(stdout).toBe(`${SECRET.length}\n`);
    expect(holders).toEqual([]);
    const daemons = readdirSync("/proc").filter((pid) => /^\d+$/.test(pid) && safeRead(`/proc/${pid}/cmdline`).includes("--serve"));
    expect(daemons.length).toBeGreaterThan(0);
  });
});

function safeRead(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
