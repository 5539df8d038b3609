import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { Engine, EngineName, Sandbox } from "../../wasm-runtime/index.ts";
import { PRESETS } from "../../wasm-runtime/policy/index.ts";
import type { RunRequest } from "../../wasm-runtime/types.ts";

const open = PRESETS.find((p) => p.id === "open")!.policy;

/** Ruby 3.4 (ruby.wasm's reactor made a WASI command at build time) on both engines. */
describe.each<EngineName>(["wasmer", "gated"])("Ruby on the %s engine", (name) => {
  let engine: Engine;
  let sandbox: Sandbox;

  beforeAll(async () => {
    engine = createNodeEngine(name);
    sandbox = await engine.createSandbox({ files: { "data.txt": "line one\nline two\n" }, env: { GREETING: "hej" } });
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    // @wasmer/sdk's close can wait for a killed guest that spins without system calls (the runaway loop below).
    await Promise.race([engine?.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }, 30_000);

  const rb = (code: string, extra: Partial<RunRequest> = {}) =>
    sandbox.run({ program: { language: "ruby", code }, timeoutMs: 30_000, ...extra }).result;

  it("prints hello world", async () => {
    const result = await rb('puts "Hello from Ruby #{RUBY_VERSION}"');
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^Hello from Ruby 3\.4\.\d+\n$/);
    expect(result.exitCode).toBe(0);
  }, 60_000);

  it("gets the arguments as ARGV and the script as $0", async () => {
    const result = await rb("p ARGV, $0, __FILE__ == $0", { args: ["one", "two words", "-v"] });
    expect(result.stdout).toBe('["one", "two words", "-v"]\n"/workspace/main.rb"\ntrue\n');
  }, 60_000);

  it("sees the environment the policy grants", async () => {
    // The Wasmer engine passes the sandbox's environment as it is; the gated one needs a grant.
    const result = await rb('puts ENV.fetch("GREETING", "none")', name === "gated" ? { policy: open } : {});
    expect(result.stdout).toBe("hej\n");
  }, 60_000);

  it("reads stdin", async () => {
    const result = await rb("lines = $stdin.readlines(chomp: true); puts lines.reverse.join(',')", { stdin: "a\nb\nc\n" });
    expect(result.stdout).toBe("c,b,a\n");
  }, 60_000);

  it("reads and writes files in the workspace, relative to it", async () => {
    const result = await rb('n = File.readlines("data.txt").size; File.write("count.txt", "#{n} lines"); puts Dir.pwd');
    expect(result.stdout).toBe("/workspace\n");
    expect(new TextDecoder().decode(await sandbox.readFile("/workspace/count.txt"))).toBe("2 lines");
  }, 60_000);

  it("exits with the script's status", async () => {
    expect((await rb("exit 3")).exitCode).toBe(3);
    const aborted = await rb('abort "giving up"');
    expect(aborted.exitCode).toBe(1);
    expect(aborted.stderr).toBe("giving up\n");
  }, 60_000);

  it("names the failing line in an error, and in a syntax error", async () => {
    const raised = await rb('def check(x)\n  raise ArgumentError, "bad #{x}"\nend\ncheck(42)\n');
    expect(raised.exitCode).toBe(1);
    // As ruby prints it: error_highlight's snippet under the first line, the driver's own frames left out.
    expect(raised.stderr).toMatch(/^\/workspace\/main\.rb:2:in 'Object#check': bad 42 \(ArgumentError\)\n/);
    expect(raised.stderr).toMatch(/\n\tfrom \/workspace\/main\.rb:4:in '<main>'\n$/);
    const syntax = await rb("puts 1\nputs(2\n");
    expect(syntax.exitCode).toBe(1);
    expect(syntax.stderr).toMatch(/^\/workspace\/main\.rb:2: syntax errors? found \(SyntaxError\)\n/);
    expect(syntax.stderr).not.toContain("\u001b["); // no terminal colours
  }, 60_000);

  it("refuses require \"js\" with a LoadError, since there is no JS host", async () => {
    const result = await rb('require "json"\nputs JSON.generate([1])\nrequire "js"\n');
    expect(result.stdout).toBe("[1]\n");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^\/workspace\/main\.rb:3:in '<main>': cannot load such file -- js \(JavaScript interop needs a JS host/);
  }, 60_000);

  it("stops a runaway loop at the time limit", async () => {
    const result = await rb("loop { }", { timeoutMs: 3000 });
    expect(result.reason).toBe("timeout");
    expect(result.exitCode).toBe(124);
  }, 60_000);
});

describe("ruby.wasm's reactor made a command", () => {
  it("imports only WASI, exports _start and not _initialize", async () => {
    const bytes = await readFile(new URL("../../public/runtimes/ruby.wasm", import.meta.url));
    const module = await WebAssembly.compile(bytes);
    expect(WebAssembly.Module.imports(module).filter((i) => i.module !== "wasi_snapshot_preview1")).toEqual([]);
    const exports = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(exports).toContain("_start");
    expect(exports).not.toContain("_initialize");
  });
});
