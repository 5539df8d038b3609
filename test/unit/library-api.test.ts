import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox, PolicyError, type AlertReport, type AuditEvent, type Policy } from "../../cli/src/library.ts";

/** The library API (docs/api.md): in this process through cli/src/library.ts, and through the package's own name in a fresh Node. */

const sandboxes: { close(): Promise<void> }[] = [];
afterAll(async () => void (await Promise.all(sandboxes.map((s) => s.close()))));
function sandbox(options: Parameters<typeof createSandbox>[0] = {}) {
  const created = createSandbox(options);
  sandboxes.push(created);
  return created;
}

describe("createSandbox", () => {
  it("keeps /workspace from run to run and from the host side, with output and audit as events", async () => {
    const box = sandbox({ files: { "in.csv": "a,b\n1,2\n3,4\n" } });
    const output: { stream: string; text: string }[] = [];
    const audit: AuditEvent[] = [];
    box.on("output", (chunk) => output.push(chunk));
    box.on("audit", (event) => audit.push(event));
    const first = await box.run({ language: "python", code: "import csv\nrows = list(csv.DictReader(open('in.csv')))\nopen('sum.txt', 'w').write(str(sum(int(r['b']) for r in rows)))\nprint(len(rows))" });
    expect(first).toMatchObject({ exitCode: 0, reason: "exited", stdout: "2\n", denials: [], alerts: [] });
    expect(output.every((chunk) => chunk.stream === "stdout")).toBe(true);
    expect(output.map((chunk) => chunk.text).join("")).toBe("2\n");
    expect(audit.some((e) => e.resource === "/workspace/in.csv" && e.decision === "allow")).toBe(true);
    expect(box.readText("sum.txt")).toBe("6");
    box.writeFile("/workspace/sum.txt", "10");
    box.deleteFile("in.csv");
    const second = await box.run({ language: "javascript", code: "console.log(std.loadFile('sum.txt'))" });
    expect(second).toMatchObject({ exitCode: 0, stdout: "10\n" });
    expect(box.listFiles().map((f) => f.path)).toEqual(["sum.txt"]);
  }, 120_000);

  it("drops a run's changes whole when it does not end on its own; stop() ends a runaway", async () => {
    const box = sandbox({ files: { "kept.txt": "before" } });
    const timedOut = await box.run({ language: "python", code: "open('kept.txt', 'w').write('after')\nwhile True: pass", timeoutMs: 1500 });
    expect(timedOut).toMatchObject({ reason: "timeout", exitCode: 124 });
    expect(box.readText("kept.txt")).toBe("before");
    const running = box.run({ language: "python", code: "open('kept.txt', 'w').write('after')\nwhile True: pass", timeoutMs: 60_000 });
    setTimeout(() => box.stop(), 1500);
    expect(await running).toMatchObject({ reason: "stopped" });
    expect(box.readText("kept.txt")).toBe("before");
  }, 120_000);

  it("reports a denial with its fix, applies a wider policy set by its owner, and raises alerts as events", async () => {
    const box = sandbox({ policy: { version: 1, files: [{ path: "/workspace/**", access: "read" }], decoys: { files: [{ path: "/workspace/.aws/credentials" }] } } });
    const alerts: AlertReport[] = [];
    box.on("alert", (alert) => alerts.push(alert));
    const denied = await box.run({ language: "python", code: "open('out.txt', 'w').write('x')" });
    expect(denied.exitCode).not.toBe(0);
    expect(denied.denials[0]).toMatchObject({ capability: "file", resource: "/workspace/out.txt", fix: { policy: { files: [{ path: "/workspace/out.txt", access: "write" }] } } });
    box.setPolicy({ ...box.policy, files: [...box.policy.files, ...denied.denials[0]!.fix.policy!.files!] });
    expect(await box.run({ language: "python", code: "open('out.txt', 'w').write('x')" })).toMatchObject({ exitCode: 0 });
    const touched = await box.run({ language: "python", code: "print(len(open('/workspace/.aws/credentials').read()) > 0)" });
    expect(touched.alerts).toEqual([expect.objectContaining({ kind: "decoy", severity: "high" })]);
    expect(alerts).toEqual(touched.alerts);
  }, 120_000);

  it("refuses bad input with a clear error and keeps what it had", async () => {
    expect(() => sandbox({ policy: { version: 1, files: [{ path: "relative", access: "read" }] } })).toThrow(PolicyError);
    expect(() => sandbox({ engine: "wasmer", policy: { version: 1, network: [{ host: "a.com" }] } })).toThrow(/wasmer engine cannot enforce .*network grants/);
    const box = sandbox({ files: { "a.txt": "a" }, limits: { workspaceBytes: 1024 } });
    expect(() => box.run({ language: "cobol" as "python", code: "" })).toThrow(/unknown language "cobol"/);
    expect(() => box.writeFile("big.bin", new Uint8Array(2048))).toThrow(/quota|limit/i);
    expect(() => box.writeFile("../escape", "x")).toThrow(/climbs out of the workspace/);
    expect(() => box.setPolicy({ version: 2 } as unknown as Policy)).toThrow(PolicyError);
    expect(box.listFiles().map((f) => f.path)).toEqual(["a.txt"]);
  });
});

describe('import { createSandbox } from "playpen"', () => {
  const dir = path.resolve("build/library-test");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("works in a plain Node process, which exits once its sandbox is closed", async () => {
    mkdirSync(dir, { recursive: true });
    const script = path.join(dir, "use.mjs");
    writeFileSync(
      script,
      `import { createSandbox } from "playpen";
const box = createSandbox({ files: { "name.txt": "world" } });
const result = await box.run({ language: "python", code: "print('hello ' + open('name.txt').read())" });
console.log(JSON.stringify({ stdout: result.stdout, exitCode: result.exitCode }));
await box.close();
`,
    );
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [script], { timeout: 120_000 }, (error, out, err) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err })),
    );
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ stdout: "hello world\n", exitCode: 0 });
  }, 150_000);
});
