/**
 * Builds the example C programs and runs them under @wasmer/sdk in Node,
 * comparing the benchmarks' checksums with the native builds.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wasmer, type Output, type Sandbox, type SandboxOptions } from "@wasmer/sdk/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExamples, NATIVE_OUT_DIR, WASM_OUT_DIR } from "../../scripts/build-examples.ts";

let wasmer: Wasmer;

beforeAll(() => {
  buildExamples(() => {});
  wasmer = new Wasmer({ cache: false });
});

afterAll(async () => {
  await wasmer?.close();
});

/** Runs an example in a fresh sandbox; `inspect` sees the sandbox before it closes. */
async function runWasi(
  name: string,
  args: string[],
  options: SandboxOptions = {},
  inspect?: (sandbox: Sandbox) => Promise<void>,
): Promise<Output> {
  const pkg = await wasmer.packages.load(readFileSync(join(WASM_OUT_DIR, `${name}.wasm`)));
  const sandbox = await wasmer.sandboxes.create({ ...options, packages: [pkg] });
  try {
    const output = await sandbox.command(pkg, args).run({ check: false, timeoutMs: 10_000 });
    await inspect?.(sandbox);
    return output;
  } finally {
    await sandbox.close();
  }
}

function runNative(name: string, args: string[]): string {
  return execFileSync(join(NATIVE_OUT_DIR, name), args, { encoding: "utf8" });
}

function checksumOf(stdout: string): string {
  const match = /^checksum: ([0-9a-f]{16})$/m.exec(stdout);
  if (!match) throw new Error(`no checksum in output:\n${stdout}`);
  return match[1]!;
}

describe("build-examples", () => {
  it("is a no-op when outputs are up to date", () => {
    const results = buildExamples(() => {});
    expect(results.length).toBeGreaterThanOrEqual(6);
    expect(results.every((r) => r.status === "up-to-date")).toBe(true);
  });
});

describe("hello.wasm", () => {
  it("prints its arguments, $NAME and /workspace/greeting.txt, and writes a file", async () => {
    let written = "";
    const out = await runWasi("hello", ["a", "b c"], { env: { NAME: "Ada" }, files: { "greeting.txt": "hi" } }, async (sb) => {
      written = await sb.fs.readText("/workspace/hello-out.txt");
    });
    expect(out.reason).toBe("exited");
    expect(out.exitCode).toBe(0);
    expect(out.stdout.text()).toBe(
      "Hello from WASI!\nargv[1] = a\nargv[2] = b c\nHello, Ada\ngreeting.txt says: hi\n",
    );
    expect(out.stderr.text()).toBe("");
    expect(written).toBe("hello wrote this with 2 argument(s)\n");
  });

  it("skips the greeting and file when neither is provided", async () => {
    const out = await runWasi("hello", []);
    expect(out.exitCode).toBe(0);
    expect(out.stdout.text()).toBe("Hello from WASI!\n");
  });

  it("exits with code 3 on --fail", async () => {
    const out = await runWasi("hello", ["--fail"]);
    expect(out.reason).toBe("exited");
    expect(out.exitCode).toBe(3);
    expect(out.stderr.text()).toContain("--fail");
  });
});

describe("benchmarks match native output", () => {
  it("cpu-bench", async () => {
    const out = await runWasi("cpu-bench", ["20"]);
    expect(out.exitCode).toBe(0);
    expect(out.stdout.text()).toMatch(/^elapsed_ms: \d+\.\d$/m);
    expect(checksumOf(out.stdout.text())).toBe(checksumOf(runNative("cpu-bench", ["20"])));
  });

  it("fileio-bench", async () => {
    let leftovers: readonly { name: string }[] = [];
    const out = await runWasi("fileio-bench", ["/workspace/fileio-bench", "50"], {}, async (sb) => {
      leftovers = await sb.fs.readDir("/workspace");
    });
    expect(out.exitCode, out.stderr.text()).toBe(0);
    expect(out.stdout.text()).toContain("files: 50\nbytes: 204800\n");
    expect(leftovers.map((e) => e.name)).not.toContain("fileio-bench");

    const dir = mkdtempSync(join(tmpdir(), "playpen-fileio-"));
    try {
      const native = runNative("fileio-bench", [join(dir, "bench"), "50"]);
      expect(checksumOf(out.stdout.text())).toBe(checksumOf(native));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
