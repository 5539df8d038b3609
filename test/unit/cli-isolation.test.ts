import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPlaypen, scratch, type CliOutcome } from "../support/cli.ts";
import { tableBomb } from "../support/table-bomb.ts";

/**
 * Issue 13 through the warm daemon, as agents use it: a timed-out guest stops
 * using CPU, a run that exhausts V8's heap ends only its own process, and a
 * disk fill stops at the budget — each beside a victim run that must complete.
 */

const scratchDir = scratch("isolation");
const { dir: work, file } = scratchDir;
/** Seconds on an idle machine; generous for a shared, loaded one (each run starts Python in a sandbox). */
const SLOW_MS = 300_000;
const VICTIM = "import time\nend = time.time() + 6\nn = 0\nwhile time.time() < end: n += 1\nprint(sum(range(1000)))\n";

function playpen(daemonDir: string, args: string[], env: Record<string, string> = {}): Promise<CliOutcome> {
  return runPlaypen(args, { cwd: work, daemonDir, env, timeoutMs: 280_000 });
}

/** The daemon serving `daemonDir` and its runner processes. */
function daemonTree(daemonDir: string): number[] {
  const daemon = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").some((arg) => arg.startsWith(`${daemonDir}/`) && arg.endsWith(".sock"));
      } catch {
        return false;
      }
    });
  if (!daemon) return [];
  const children = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => parentOf(Number(pid)) === Number(daemon));
  return [Number(daemon), ...children.map(Number)];
}

function parentOf(pid: number): number | undefined {
  try {
    return Number(statFields(pid)[1]);
  } catch {
    return undefined;
  }
}

/** Fields of /proc/PID/stat after the command name: state is [0], ppid [1], utime [11], stime [12]. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** CPU time in ms used so far by the live processes among `pids`. */
function cpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = statFields(pid);
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone: it uses nothing any more.
    }
  }
  return ticks * 10;
}

async function cpuOver(pids: readonly number[], ms: number): Promise<number> {
  const before = cpuMs(pids);
  await sleep(ms);
  return cpuMs(pids) - before;
}

/** Waits until the daemon and its runners have finished warming up. */
async function quiet(daemonDir: string): Promise<void> {
  for (let tries = 0; tries < 120; tries++) if ((await cpuOver(daemonTree(daemonDir), 500)) <= 20) return;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(() => {
  // Removing the socket folders tells the test daemons to exit.
  scratchDir.remove();
});

describe.skipIf(!existsSync("/proc/self/stat"))("the daemon contains its runs", () => {
  const daemonDir = path.join(work, "daemon");
  const spin = file("spin.py", "while True: pass\n");

  it.each(["wasmer", "gated"])("a timed-out busy loop on the %s engine stops using CPU within 100 ms", async (engine) => {
    expect(await playpen(daemonDir, ["run", "--timeout", "60000", file("warm.py", "print(1)\n")])).toMatchObject({ code: 0, stdout: "1\n" });
    await quiet(daemonDir);
    const before = daemonTree(daemonDir);
    const { code, stderr } = await playpen(daemonDir, ["run", "--engine", engine, "--timeout", "1000", spin]);
    expect(code).toBe(124);
    expect(stderr).toMatch(/time limit of 1000 ms reached/);
    await sleep(100);
    // The processes that were there during the run (a runner started afterwards is warming up, not the guest).
    const burnt = await cpuOver(before, 1000);
    expect(burnt, `the daemon and its runners used ${burnt} ms of CPU in the second after the run`).toBeLessThan(100);
  }, SLOW_MS);

  it("a table bomb that exhausts V8's heap ends only its own run; a victim beside it completes", async () => {
    const bombDir = path.join(work, "bomb-daemon");
    // The first line (tables bounded by module rewrite) off: this tests the second, a process per run.
    // A small heap per runner, so the bomb exhausts it in seconds even on a loaded machine.
    const env = { PLAYPEN_TEST_UNBOUNDED_TABLES: "1", PLAYPEN_RUNNER_HEAP_MIB: "256" };
    const warm = file("warm.py", "print(1)\n");
    // Three warm runners, so the victim and both bombs start at once.
    await Promise.all([1, 2, 3].map(() => playpen(bombDir, ["run", "--timeout", "60000", warm], env)));
    const bomb = file("bomb.wasm", tableBomb());
    const victim = playpen(bombDir, ["run", "--timeout", "60000", file("victim.py", VICTIM)], env);
    await sleep(500);
    const [gated, wasmer] = await Promise.all([
      playpen(bombDir, ["run", "--engine", "gated", "--timeout", "60000", bomb], env),
      playpen(bombDir, ["run", "--engine", "wasmer", "--timeout", "60000", "--json", bomb], env),
    ]);
    expect(await victim).toEqual({ code: 0, stdout: "499500\n", stderr: "" });
    expect(gated.code).toBe(126);
    expect(gated.stderr).toMatch(/the run exhausted the host's JavaScript heap \(V8 heap limit reached while growing a WebAssembly table\)/);
    expect(gated.stderr).not.toMatch(/daemon went away/);
    expect(wasmer.code).toBe(126);
    expect(JSON.parse(wasmer.stdout)).toMatchObject({ exitCode: 126, reason: "error", error: expect.stringMatching(/exhausted the host's JavaScript heap/) });
    // The daemon lives on.
    expect(await playpen(bombDir, ["run", "--timeout", "60000", warm], env)).toMatchObject({ code: 0, stdout: "1\n" });
  }, SLOW_MS);

  it("a disk fill stops at the budget on both engines while a victim completes", async () => {
    const fill = (dir: string) =>
      file(`fill-${dir.replaceAll("/", "")}.py`, `block = b"x" * (1 << 20)\nn = 0\ntry:\n    with open("${dir}/fill.bin", "wb") as f:\n        while n < 1024:\n            f.write(block)\n            n += 1\nexcept OSError as e:\n    print("stopped after", n, "MiB, errno", e.errno)\n    raise SystemExit(3)\n`);
    mkdirSync(path.join(work, "out"), { recursive: true });
    const victim = playpen(daemonDir, ["run", "--timeout", "60000", file("victim.py", VICTIM)]);
    const [gated, wasmer] = await Promise.all([
      playpen(daemonDir, ["run", "--engine", "gated", "--timeout", "200000", "--memory", "128", "--mount", "out:/out", fill("/out")]),
      playpen(daemonDir, ["run", "--engine", "wasmer", "--timeout", "200000", "--memory", "128", "--mount", "out:/workspace/out", fill("/workspace/out")]),
    ]);
    expect(await victim).toEqual({ code: 0, stdout: "499500\n", stderr: "" });
    // Gated: ENOSPC inside the guest at the 64 MiB budget of the mount.
    expect(gated.code).toBe(3);
    expect(gated.stdout).toMatch(/^stopped after 6[34] MiB, errno 51\n$/);
    // Wasmer: the host watches /workspace while the guest runs and ends it past the budget.
    expect(wasmer.code).toBe(126);
    expect(wasmer.stderr).toMatch(/workspace quota exceeded during the run: \/workspace held \d+ bytes, 67108864 allowed/);
    const held = Number(/held (\d+) bytes/.exec(wasmer.stderr)![1]);
    expect(held).toBeLessThan(256 * 1024 * 1024);
    // A run that failed writes nothing back.
    expect(readdirSync(path.join(work, "out"))).not.toContain("fill.bin");
  }, SLOW_MS);
});
