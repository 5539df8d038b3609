/**
 * Learn mode: the narrowest policy that allows exactly what a run did. Proven
 * on a second program (denied what the first did not need) and on the folding
 * of files into globs (never over a sibling the run did not touch); the
 * examples are in learn-examples.test.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existingPaths, learnFromRun } from "../../cli/src/learn-run.ts";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { AuditEvent, Engine } from "../../wasm-runtime/index.ts";
import { decide, DEFAULT_POLICY, learningPolicy, learnPolicy, PRESETS, type LearnRecord, type Policy } from "../../wasm-runtime/policy/index.ts";

const work = mkdtempSync(path.join(tmpdir(), "playpen-learn-"));
const open = PRESETS.find((p) => p.id === "open")!.policy;

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("a different program under a learned policy", () => {
  let gated: Engine;
  beforeAll(async () => {
    gated = createNodeEngine("gated");
    await gated.prepare("python");
  });
  afterAll(() => gated.close());

  it("is denied what the first did not need: siblings, other writes, tools", async () => {
    const files = { "data/in.csv": "1,2\n", "data/other.csv": "secret\n", "notes/a.txt": "a", "notes/b.txt": "b" };
    const sandbox = await gated.createSandbox({ files, env: { LANG: "C", TOKEN: "t" } });
    try {
      const first = [
        "import os",
        "rows = open('data/in.csv').read()",
        "os.makedirs('out', exist_ok=True)",
        "open('out/result.txt', 'w').write(rows)",
        "print(sorted(open(f'notes/{n}').read() for n in os.listdir('notes')))",
      ].join("\n");
      const policy = learningPolicy(DEFAULT_POLICY);
      const before = await existingPaths(sandbox);
      const result = await sandbox.run({ program: { language: "python", code: first }, policy, timeoutMs: 120_000 }).result;
      expect(result.stdout).toBe("['a', 'b']\n");
      const file = path.join(work, "first.policy.json");
      const learned = (await learnFromRun({ file, program: "first.py", policy, sandbox, before, result }))!;
      const globs = learned.files.map((r) => `${r.path} ${r.access}`);
      // notes/ was read whole; data/ was not (other.csv untouched), so in.csv is named alone.
      expect(globs).toEqual(expect.arrayContaining(["/workspace/notes/** read", "/workspace/data/in.csv read"]));
      expect(globs.some((g) => g.startsWith("/workspace/data/**") || g.startsWith("/workspace/** "))).toBe(false);

      const again = await sandbox.run({ program: { language: "python", code: first }, policy: learned, timeoutMs: 120_000 }).result;
      expect(again.audit!.filter((e) => e.decision === "deny")).toEqual([]);

      const second = [
        "import os, playpen_tools as t",
        "for attempt in (lambda: open('data/other.csv').read(), lambda: open('elsewhere.txt', 'w').write('x'), lambda: t.kv_get('k')):",
        "    try: attempt(); print('allowed')",
        "    except (PermissionError, t.ToolError): print('denied')",
      ].join("\n");
      const other = await sandbox.run({ program: { language: "python", code: second }, policy: learned, timeoutMs: 120_000 }).result;
      expect(other.stdout).toBe("denied\ndenied\ndenied\n");
      // WASI hands the environment over whole: every variable offered is in the policy, and its note says why.
      expect(learned.env.map((r) => r.name).sort()).toEqual(["LANG", "TOKEN"]);
      expect(learned.env[0]!.note).toMatch(/cannot be seen/);
    } finally {
      await sandbox.close();
    }
  }, 300_000);
});

describe("learnPolicy: the fewest rules that do not widen", () => {
  const event = (capability: AuditEvent["capability"], resource: string, syscall: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({
    time: 0,
    runId: "run-1",
    capability,
    resource,
    decision: "allow",
    rule: "learning",
    syscall,
    ...extra,
  });
  const read = (p: string) => event("file", p, "path_open", { access: "read" });
  const write = (p: string) => event("file", p, "path_open", { access: "write" });
  const record = (audit: AuditEvent[], existing: string[], usage: Partial<LearnRecord> = {}): LearnRecord => ({
    audit,
    existing,
    limits: open.limits,
    durationMs: 1000,
    memoryBytes: 20 * 1024 * 1024,
    stdoutBytes: 10,
    stderrBytes: 0,
    workspaceBytes: 100,
    program: "x.py",
    ...usage,
  });
  const rules = (policy: Policy) => policy.files.map((r) => `${r.path} ${r.access}`);

  it("names files exactly while an untouched sibling exists, and folds a folder touched whole", () => {
    const existing = ["/w", "/w/a", "/w/b", "/w/c", "/w/out", "/w/out/x", "/w/out/y"];
    const policy = learnPolicy(record([read("/w/a"), read("/w/b"), write("/w/out/x"), write("/w/out/y"), read("/w/out/x")], existing));
    expect(rules(policy)).toEqual(["/w/out/** write", "/w/a read", "/w/b read"]);
    expect(decide(policy, { capability: "file", path: "/w/c", access: "read" }).decision).toBe("deny");
    expect(policy.files[0]!.note).toMatch(/path_open ×3/);
  });

  it("counts a sub-folder by its contents, and a write as a read too", () => {
    const existing = ["/w", "/w/d", "/w/d/sub", "/w/d/sub/x", "/w/d/sub/y", "/w/d/z", "/w/other"];
    const policy = learnPolicy(record([read("/w/d/sub/x"), read("/w/d/sub/y"), write("/w/d/z"), read("/w/d/z")], existing));
    expect(rules(policy)).toEqual(["/w/d/z write", "/w/d/** read"]);
    expect(decide(policy, { capability: "file", path: "/w/other", access: "read" }).decision).toBe("deny");
    expect(decide(policy, { capability: "file", path: "/w/d/sub/x", access: "write" }).decision).toBe("deny");
  });

  it("keeps one path alone exact (a glob would only be wider), and paths that did not exist", () => {
    const policy = learnPolicy(record([read("/w/only"), read("/nowhere/probe")], ["/w", "/w/only"]));
    expect(rules(policy)).toEqual(["/w/only read", "/nowhere/probe read"]);
  });

  it("hosts with their ports, methods and common path prefix; names; tools", () => {
    const net = (r: string) => event("network", r, "tool:http");
    const policy = learnPolicy(
      record(
        [net("api.example.com:443 GET/v1/a"), net("api.example.com:443 GET/v1/b"), net("api.example.com:443 POST/v1/c/d"), net("[::1]:8080 GET/x"), event("env", "LANG", "environ_get"), event("secret", "API_KEY", "tool:secrets"), event("tool", "kv", "tool:kv")],
        [],
      ),
    );
    expect(policy.network).toEqual([
      expect.objectContaining({ host: "api.example.com", port: 443, methods: ["GET", "POST"], pathPrefix: "/v1", note: "requested GET /v1/a ×1, GET /v1/b ×1, POST /v1/c/d ×1" }),
      expect.objectContaining({ host: "::1", port: 8080, methods: ["GET"], pathPrefix: "/x" }),
    ]);
    expect(policy.env).toEqual([{ name: "LANG", note: expect.stringMatching(/offered at the start/) }]);
    expect(policy.secrets).toEqual([{ name: "API_KEY", note: "read by tool:secrets ×1" }]);
    expect(policy.tools).toEqual([{ name: "kv", note: "called by tool:kv ×1" }]);
    expect(decide(policy, { capability: "network", host: "api.example.com", port: 443, method: "DELETE", path: "/v1/a" }).decision).toBe("deny");
    expect(decide(policy, { capability: "network", host: "api.example.com", port: 443, method: "GET", path: "/v2" }).decision).toBe("deny");
  });

  it("limits from what the run used plus the stated margins, never above the learning run's own", () => {
    const calls = [0, 100, 200, 1500].map((time) => event("tool", "kv", "tool:kv", { time }));
    const policy = learnPolicy(record(calls, [], { durationMs: 1000, memoryBytes: 40 * 1024 * 1024, stdoutBytes: 100_000, workspaceBytes: 3 * 1024 * 1024 }));
    expect(policy.limits).toMatchObject({ wallMs: 8000, memoryMiB: 60, stdoutBytes: 200_000, stderrBytes: 65536, workspaceBytes: 6 * 1024 * 1024, hostCallsPerSecond: 10 });
    const slow = learnPolicy(record([], [], { durationMs: 60_000, memoryBytes: undefined }));
    expect(slow.limits).toMatchObject({ wallMs: open.limits.wallMs, memoryMiB: open.limits.memoryMiB });
  });
});
