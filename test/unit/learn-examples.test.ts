/**
 * Learn mode on every example that runs on the gated engine in Node: learn
 * (`playpen run --learn FILE`), rerun with `--policy FILE`: zero denials, the
 * same exit status, and a policy strictly narrower than Open, with a note on
 * every rule. (C sources are left out: compiling them runs clang, which the
 * C tests cover; the compiled C examples are here as .wasm.)
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeEngines } from "../../cli/src/node-engine.ts";
import { runCommand } from "../../cli/src/run-command.ts";
import type { AccessRequest, Engine, EngineName } from "../../wasm-runtime/index.ts";
import { decide, DEFAULT_LIMITS, parsePolicyJson, PRESETS, type Policy } from "../../wasm-runtime/policy/index.ts";

const work = mkdtempSync(path.join(tmpdir(), "playpen-learn-"));
const open = PRESETS.find((p) => p.id === "open")!.policy;
let engines: (name: EngineName) => Engine;

beforeAll(() => {
  engines = nodeEngines();
});

afterAll(async () => {
  await engines("gated").close();
  rmSync(work, { recursive: true, force: true });
});

async function playpen(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: "", stderr: "" };
  const code = await runCommand(["run", ...args], { cwd: process.cwd(), stdin: undefined, write: (stream, text) => (out[stream] += text) }, engines);
  return { code, ...out };
}

/** Every grant of `learned` is one Open makes, no limit is higher, and a request of each capability Open allows is denied. */
function expectStrictlyNarrowerThanOpen(learned: Policy): void {
  for (const rule of learned.files) expect(rule.path).not.toBe("/**");
  for (const rule of learned.network) expect(rule.host).not.toBe("*");
  for (const rule of [...learned.env, ...learned.secrets, ...learned.tools]) expect(rule.name).not.toBe("*");
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof typeof DEFAULT_LIMITS)[]) expect(learned.limits[key]).toBeLessThanOrEqual(open.limits[key]);
  const others: AccessRequest[] = [
    { capability: "file", path: "/etc/learn-probe", access: "read" },
    { capability: "network", host: "learn-probe.example", port: 443, method: "GET", path: "/" },
    { capability: "env", name: "LEARN_PROBE" },
    { capability: "secret", name: "LEARN_PROBE" },
    { capability: "tool", name: "learn_probe" },
  ];
  for (const request of others) {
    expect(decide(open, request).decision).toBe("allow");
    expect(decide(learned, request).decision).toBe("deny");
  }
}

describe("every example: learned policy → rerun → zero denials, and narrower than Open", () => {
  const examples = [
    "python/hello.py",
    "python/files.py",
    "python/primes.py",
    "python/stdlib_tour.py",
    "python/asyncio_demo.py",
    "python/tools_demo.py",
    "python/traceback_demo.py",
    "js/hello.js",
    "js/error.js",
    "lua/hello.lua",
    "ruby/hello.rb",
    "ruby/error.rb",
    "sql/hello.sql",
    "sh/loop.sh",
    "sh/pipeline.sh",
    "sh/python-grep.sh",
  ].map((name) => `examples/${name}`);
  examples.push("public/examples/hello.wasm", "public/examples/fileio-bench.wasm");

  it.each(examples)("%s", async (example) => {
    const file = path.join(work, `${path.basename(example)}.policy.json`);
    const learning = await playpen(["--learn", file, "--json", "--timeout", "120000", example]);
    const learnt = JSON.parse(learning.stdout) as { exitCode: number; denials: unknown[]; learned: { file: string; policy: Policy } };
    expect(learnt.denials).toEqual([]);
    const learned = parsePolicyJson(readFileSync(file, "utf8"));
    expect(learnt.learned.policy).toEqual(JSON.parse(readFileSync(file, "utf8")));
    expectStrictlyNarrowerThanOpen(learned);
    for (const rule of [...learned.files, ...learned.network, ...learned.env, ...learned.secrets, ...learned.tools]) expect(rule.note).toMatch(/\S/);
    expect(learned.limits.note).toMatch(/margins/);

    const rerun = JSON.parse((await playpen(["--policy", file, "--json", "--timeout", "120000", example])).stdout) as { exitCode: number; denials: unknown[]; stdout: string };
    expect(rerun.denials).toEqual([]);
    expect(rerun.exitCode).toBe(learnt.exitCode);
  }, 300_000);
});
