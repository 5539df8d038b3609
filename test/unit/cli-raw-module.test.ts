/**
 * `playpen run` of a raw WASI module as WASI users run one elsewhere:
 * --env (exactly the variables given), --mount HOSTDIR:/ (the folder is the
 * guest's whole filesystem), --cwd; in process and through the daemon.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileWasi } from "../../native/build/wasi-workloads.ts";
import { ROOT } from "../../scripts/build-examples.ts";
import { runPlaypen, scratch, type CliOutcome } from "../support/cli.ts";

const MODULE = path.join(ROOT, "build/cli-tests/raw-module.wasm");
const scratchDir = scratch("cli-raw");
const { dir: work, daemonDir } = scratchDir;

/** Through the file's warm daemon unless `inProcess`. */
function playpen(args: string[], { inProcess = false } = {}): Promise<CliOutcome> {
  return runPlaypen(["run", "--timeout", "50000", ...args], { cwd: work, daemonDir, inProcess, timeoutMs: 90_000 });
}

/** A fresh host folder holding data.txt and an empty sub/. */
function hostFolder(name: string): string {
  const dir = path.join(work, name);
  mkdirSync(path.join(dir, "sub"), { recursive: true });
  writeFileSync(path.join(dir, "data.txt"), `${name} data\n`);
  return dir;
}

const lines = (stdout: string, prefix: string) => stdout.split("\n").filter((line) => line.startsWith(prefix));

beforeAll(() => compileWasi(path.join(ROOT, "test/fixtures/c/raw-module.c"), MODULE));

afterAll(() => scratchDir.remove());

describe("playpen run of a raw .wasm module", () => {
  it("gives a module no variable unless asked, and exactly the --env ones (both engines)", async () => {
    for (const engine of ["gated", "wasmer"]) {
      const none = await playpen(["--engine", engine, MODULE]);
      expect(none.code).toBe(0);
      expect(lines(none.stdout, "env")).toEqual(["env count: 0"]);
      const some = await playpen(["--engine", engine, "--env", "A=1", "--env", "B=x=y", "--env", "EMPTY=", "--env", "UNI=ünï", MODULE]);
      expect(some.code).toBe(0);
      // In the order given on the gated engine; @wasmer/sdk reorders them (a listed difference).
      const seen = lines(some.stdout, "env");
      const given = ["env: A=1", "env: B=x=y", "env: EMPTY=", "env: UNI=ünï", "env count: 4"];
      if (engine === "gated") expect(seen).toEqual(given);
      else expect(seen.sort()).toEqual(given.sort());
    }
  });

  it("lets a deny rule withhold an --env variable, and audits each", async () => {
    const { code, stdout } = await playpen(["--json", "--deny-env=SECRET", "--env", "SECRET=s3", "--env", "OK=1", MODULE]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { stdout: string; audit: { capability: string; resource: string; decision: string }[] };
    expect(lines(result.stdout, "env")).toEqual(["env: OK=1", "env count: 1"]);
    const env = result.audit.filter((e) => e.capability === "env").map((e) => `${e.resource} ${e.decision}`);
    expect(env.sort()).toEqual(["OK allow", "SECRET deny"]);
  });

  it("makes a --mount HOSTDIR:/ folder the whole guest filesystem, relative paths included, and writes it back", async () => {
    const host = hostFolder("root-mount");
    const { code, stdout, stderr } = await playpen(["--mount", `${host}:/`, MODULE, "write", "/sub/out.txt", "from the guest"]);
    const listed = `playpen: the run changed 1 path(s) in /, to go back to ${host}:\nplaypen:   added    sub/out.txt\n`;
    expect({ code, stderr }).toEqual({ code: 0, stderr: `${listed}playpen: wrote / back to ${host}: 1 added, 0 modified, 0 deleted\n` });
    expect(lines(stdout, "preopen")).toEqual(["preopen: /"]);
    // Nothing of Playpen's own (no /workspace, no runtime files) beside the folder.
    expect(lines(stdout, "root")).toEqual(["root: . .. data.txt sub"]);
    expect(lines(stdout, "absolute")).toEqual(["absolute: root-mount data"]);
    expect(lines(stdout, "relative")).toEqual(["relative: root-mount data"]);
    expect(readFileSync(path.join(host, "sub/out.txt"), "utf8")).toBe("from the guest");
  });

  it("keeps a read-only HOSTDIR:/ unchanged and refuses what cannot run over it", async () => {
    const host = hostFolder("root-ro");
    const ro = await playpen(["--mount", `${host}:/:ro`, MODULE, "write", "/new.txt", "x"]);
    expect(ro.code).toBe(1);
    expect(ro.stderr).toMatch(/\/new\.txt: Permission denied/);
    expect(readdirSync(host).sort()).toEqual(["data.txt", "sub"]);
    const script = path.join(work, "x.py");
    writeFileSync(script, "print(1)\n");
    const language = await playpen(["--mount", `${host}:/`, script]);
    expect(language.code).toBe(2);
    expect(language.stderr).toMatch(/--mount HOSTDIR:\/ makes the folder the guest's whole filesystem: only a \.wasm module runs over it/);
    const wasmer = await playpen(["--engine", "wasmer", "--mount", `${host}:/`, MODULE]);
    expect(wasmer.code).toBe(2);
    expect(wasmer.stderr).toMatch(/the wasmer engine cannot enforce --mount .*:\/ \(its filesystem is its own\)\. Use --engine gated\./);
    const beside = await playpen(["--mount", `${host}:/`, "--mount", `${hostFolder("other")}:/data`, MODULE]);
    expect(beside.code).toBe(2);
    expect(beside.stderr).toMatch(/--mount: \/data overlaps \//);
  });

  it("gives --cwd as PWD to a module, and a language runs in it", async () => {
    const raw = await playpen(["--cwd", "/workspace/sub/", MODULE]);
    expect(lines(raw.stdout, "env")).toEqual(["env: PWD=/workspace/sub", "env count: 1"]);
    const host = hostFolder("cwd-host");
    const script = path.join(work, "cwd.py");
    writeFileSync(script, "import os\nprint(os.getcwd(), open('data.txt').read().strip())\n");
    const python = await playpen(["--mount", `${host}:/workspace/proj`, "--cwd", "/workspace/proj", script]);
    expect(python).toMatchObject({ code: 0, stdout: "/workspace/proj cwd-host data\n" });
  });

  it("refuses malformed --env and --cwd with a specific message", async () => {
    for (const [args, message] of [
      [["--env", "NOVALUE"], /--env takes NAME=VALUE, not "NOVALUE"/],
      [["--env", "=x"], /--env takes NAME=VALUE, not "=x"/],
      [["--env", "A=1", "--env", "A=2"], /--env A is given twice/],
      [["--env", "A*=1"], /the name may not contain \*, \? or a NUL byte/],
      [["--cwd", "relative/dir"], /--cwd takes an absolute guest folder/],
      [["--cwd", "/a/../b"], /no "\.\." or NUL byte/],
    ] as const) {
      const { code, stderr } = await playpen([...args, MODULE]);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
    }
  });

  it("gives the same answers through the daemon", async () => {
    const host = hostFolder("daemon-root");
    const args = ["--env", "A=1", "--mount", `${host}:/`, MODULE, "write", "/out.txt", "via daemon"];
    const inProcess = await playpen(args, { inProcess: true });
    rmSync(path.join(host, "out.txt"));
    const viaDaemon = await playpen(args);
    expect(viaDaemon).toEqual(inProcess);
    expect(readdirSync(daemonDir).some((name) => name.endsWith(".sock"))).toBe(true);
    expect(readFileSync(path.join(host, "out.txt"), "utf8")).toBe("via daemon");
  });
});
