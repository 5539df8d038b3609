import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../../wasm-runtime/index.ts";
import { decisionCount, DEFAULT_POLICY, denialsOf, foldAudit, RUNTIME_RULE } from "../../wasm-runtime/policy/index.ts";
import { sandboxForFile } from "../support/node-engine.ts";

const event = (resource: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  time: 1,
  runId: "run-1",
  capability: "file",
  resource,
  access: "read",
  decision: "allow",
  rule: 'files[0] "/workspace/**" write',
  syscall: "path_filestat_get",
  ...extra,
});
const runtime = (resource: string, syscall = "path_open") => event(resource, { rule: RUNTIME_RULE, syscall });

function folded(events: AuditEvent[], batch = events.length): AuditEvent[] {
  const log: AuditEvent[] = [];
  for (let i = 0; i < events.length; i += batch) foldAudit(log, events.slice(i, i + batch));
  return log;
}

describe("folding the audit", () => {
  it("folds identical consecutive decisions into one event with the exact count, across batches", () => {
    const events = [event("/workspace"), event("/workspace"), event("/workspace"), event("/workspace/a"), event("/workspace")];
    for (const batch of [1, 2, 5]) {
      const log = folded(events, batch);
      expect(log.map((e) => [e.resource, e.count])).toEqual([["/workspace", 3], ["/workspace/a", undefined], ["/workspace", undefined]]);
      expect(decisionCount(log)).toBe(events.length);
    }
  });

  it("keeps apart what differs: decision, rule, access, host call, run, and every alert", () => {
    const base = event("/x");
    const variants: Partial<AuditEvent>[] = [{ decision: "deny" }, { rule: "default (not granted)" }, { access: "write" }, { syscall: "path_open" }, { runId: "run-2" }, { alert: { kind: "decoy", severity: "high", message: "m" } }];
    for (const variant of variants) {
      expect(folded([base, event("/x", variant)])).toHaveLength(2);
    }
    const alert = { alert: { kind: "probing" as const, severity: "medium" as const, message: "m" } };
    expect(folded([event("/x", alert), event("/x", alert)])).toHaveLength(2);
  });

  it("marks the runtime's reads of its own files and folds them into one event named by the folder they share", () => {
    const log = folded([runtime("/playpen/python/bin/pyvenv.cfg"), runtime("/playpen/python/lib/os.py", "path_filestat_get"), runtime("/playpen/python/sitecustomize.py")]);
    expect(log).toEqual([expect.objectContaining({ resource: "/playpen/python", runtime: true, count: 3, rule: RUNTIME_RULE })]);
    // A denied write under /playpen is the program's doing: not folded away.
    const denied = folded([runtime("/playpen/a"), event("/playpen/b", { rule: RUNTIME_RULE, decision: "deny", access: "write" })]);
    expect(denied).toHaveLength(2);
    expect(denied[1]).not.toHaveProperty("runtime");
  });

  it("a runtime read between identical decisions does not separate them (Python's import stats)", () => {
    const events = [];
    for (let i = 0; i < 10; i++) events.push(event("/workspace"), runtime("/playpen/python", "path_filestat_get"));
    const log = folded(events, 3);
    expect(log.map((e) => [e.resource, e.count])).toEqual([["/workspace", 10], ["/playpen/python", 10]]);
  });

  it("denials keep their exact count in denialsOf", () => {
    const deny = (resource: string) => event(resource, { decision: "deny", rule: "default (not granted)", fix: { flag: null, policy: null, text: "t" } });
    const log = folded([deny("/etc/passwd"), deny("/etc/passwd"), deny("/etc/passwd"), deny("/etc/hosts"), deny("/etc/passwd")]);
    expect(denialsOf(log).map((d) => [d.resource, d.count])).toEqual([["/etc/passwd", 4], ["/etc/hosts", 1]]);
  });
});

describe("a Python run's audit shows what matters", () => {
  const sandboxOf = sandboxForFile("gated");

  it("print(1) holds at most 10 events, and their counts add up to every decision streamed", async () => {
    const streamed: AuditEvent[] = [];
    const result = await sandboxOf().run({ program: { language: "python", code: "print(1)" }, policy: DEFAULT_POLICY, timeoutMs: 30_000 }, { audit: (events) => streamed.push(...events) }).result;
    expect(result.stdout).toBe("1\n");
    const audit = result.audit ?? [];
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.length).toBeLessThanOrEqual(10);
    expect(streamed.length).toBeGreaterThan(audit.length);
    expect(decisionCount(audit)).toBe(streamed.length);
    expect(audit[0]).toMatchObject({ runtime: true, resource: "/playpen" });
    // The program's own file is there, unfolded into anything else.
    expect(audit.some((e) => e.resource === "/workspace/main.py" && !e.runtime)).toBe(true);
  });

  it("a loop of identical denials is one event with its exact count; the export (JSON Lines) keeps it", async () => {
    const code = "import os\nfor _ in range(250):\n    try:\n        open('/etc/passwd')\n    except PermissionError:\n        pass\n";
    const result = await sandboxOf().run({ program: { language: "python", code }, policy: DEFAULT_POLICY, timeoutMs: 30_000 }).result;
    // Only the probing alerts (raised at the 10th denial in a row and within a second) split the run.
    const denied = (result.audit ?? []).filter((e) => e.resource === "/etc/passwd" && e.syscall === "path_open" && !e.alert);
    expect(denied.length).toBeLessThanOrEqual(3);
    expect(decisionCount(denied)).toBe(250);
    const exported = (result.audit ?? []).map((e) => `${JSON.stringify(e)}\n`).join("");
    const lines = exported.trim().split("\n").map((line) => JSON.parse(line) as AuditEvent);
    expect(decisionCount(lines.filter((e) => e.resource === "/etc/passwd" && !e.alert))).toBe(250);
  });
});
