import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { Engine, RunRequest, Sandbox, TraceCall } from "../../wasm-runtime/index.ts";
import { exampleModule } from "../support/node-engine.ts";

let engine: Engine;
let sandbox: Sandbox;

beforeAll(async () => {
  engine = createNodeEngine("gated");
  await engine.prepare("python");
  sandbox = await engine.createSandbox({ files: { "data.txt": "traced\n" } });
});

afterAll(async () => {
  await sandbox.close();
  await engine.close();
});

function run(request: RunRequest) {
  const batches: TraceCall[][] = [];
  const result = sandbox.run(request, { trace: (calls) => batches.push(calls) }).result;
  return result.then((result) => ({ result, batches }));
}

describe("verbose mode: the full syscall trace of a run", () => {
  it("lists every WASI call in order, with decoded paths, results and timings, also as it happens", async () => {
    const { result, batches } = await run({ program: { language: "python", code: "print(open('data.txt').read(), end='')" }, trace: true });
    expect(result.stdout).toBe("traced\n");
    const trace = result.trace!;
    expect(result.traceTruncated).toBe(false);
    expect(batches.flat()).toEqual(trace);
    const opened = trace.find((call) => call.name === "path_open" && call.paths?.[0]?.endsWith("data.txt"));
    expect(opened).toMatchObject({ result: 0, paths: ["workspace/data.txt"] });
    expect(opened!.durationNs).toBeGreaterThanOrEqual(0);
    // The file is opened before its text is written to stdout (descriptor 1).
    const printed = trace.findLastIndex((call) => call.name === "fd_write" && call.args[0] === 1);
    expect(trace.indexOf(opened!)).toBeLessThan(printed);
  });

  it("a denied call shows its errno (EACCES), beside the audit event that denied it", async () => {
    const { result } = await run({ program: { language: "python", code: "try: open('/etc/passwd')\nexcept PermissionError: print('denied')" }, trace: true });
    expect(result.stdout).toBe("denied\n");
    expect(result.trace!.filter((call) => call.paths?.[0] === "etc/passwd")).toEqual([expect.objectContaining({ name: "path_open", result: 2 })]);
    expect(result.audit!.filter((e) => e.resource === "/etc/passwd")).toEqual([expect.objectContaining({ decision: "deny", syscall: "path_open" })]);
  });

  it("traces a C program's calls the same way", async () => {
    const { result } = await run({ program: { language: "wasm", module: await exampleModule("hello") }, trace: true });
    expect(result.exitCode).toBe(0);
    expect(result.trace!.filter((call) => call.name === "path_open").map((call) => call.paths![0])).toContain("workspace/hello-out.txt");
  });

  it("keeps the first 20 000 calls and says the trace was cut", async () => {
    const { result } = await run({ program: { language: "python", code: "import os\nfor _ in range(25_000): os.stat('.')" }, trace: true });
    expect(result.trace).toHaveLength(20_000);
    expect(result.traceTruncated).toBe(true);
  });

  it("is off unless asked for: no trace in the result, none reported", async () => {
    const { result, batches } = await run({ program: { language: "python", code: "print('quiet')" } });
    expect(result.stdout).toBe("quiet\n");
    expect(result.trace).toBeUndefined();
    expect(result.traceTruncated).toBeUndefined();
    expect(batches).toHaveLength(0);
  });
});
