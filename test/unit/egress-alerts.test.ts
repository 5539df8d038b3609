import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../../wasm-runtime/index.ts";
import { RunGuard } from "../../wasm-runtime/egress/index.ts";
import { compilePolicy, parsePolicy, type PolicyInput } from "../../wasm-runtime/policy/index.ts";
import type { RunRequest, RunResult } from "../../wasm-runtime/types.ts";
import type { WorkspaceEntry, WorkspaceSnapshot } from "../../wasm-runtime/workspace/index.ts";

const SECRET = "ghp_Vn4tR8sQ2wE6yU1iO3pA5dF7";

function guardOf(policy: Omit<PolicyInput, "version"> = {}, secrets: Record<string, string> = { TOKEN: SECRET }) {
  const recorded: AuditEvent[] = [];
  const guard = new RunGuard(parsePolicy({ version: 1, ...policy }), secrets, "run-1", (events) => recorded.push(...events));
  return { guard, recorded, alerts: () => recorded.filter((e) => e.alert).map((e) => `${e.alert!.severity} ${e.alert!.kind}: ${e.alert!.message}`) };
}

let clock = 1_000_000;
const event = (fields: Partial<AuditEvent>): AuditEvent => ({
  time: (clock += 10),
  runId: "run-1",
  capability: "file",
  resource: "/workspace/x",
  decision: "allow",
  rule: "files[0]",
  syscall: "path_open",
  ...fields,
});

describe("the alert rules", () => {
  it("a write to a protected path, allowed or denied; reads of it are fine", () => {
    const { guard, alerts } = guardOf();
    guard.audit([event({ resource: "/workspace/.git/hooks/pre-commit", access: "read" })]);
    guard.audit([event({ resource: "/workspace/.git/hooks/pre-commit", access: "write" })]);
    guard.audit([event({ resource: "/playpen/python/os.py", access: "write", decision: "deny", rule: "runtime (read-only)" })]);
    expect(alerts()).toEqual([
      "high protected-path: write to protected path /workspace/.git/hooks/pre-commit allowed",
      "medium protected-path: write to protected path /playpen/python/os.py attempted (denied)",
    ]);
  });

  it("probing: denials in a row (reset by an allowed access) and per second", () => {
    const inARow = guardOf({ alerts: { denialsInARow: 3, denialsPerSecond: 100 } });
    inARow.guard.audit([event({ decision: "deny" }), event({ decision: "deny" }), event({}), event({ decision: "deny" }), event({ decision: "deny" })]);
    expect(inARow.alerts()).toEqual([]);
    inARow.guard.audit([event({ decision: "deny", resource: "/etc/shadow" })]);
    expect(inARow.alerts()).toEqual(["medium probing: 3 denials in a row, the last: file /etc/shadow"]);
    const perSecond = guardOf({ alerts: { denialsInARow: 100, denialsPerSecond: 4 } });
    perSecond.guard.audit([event({ decision: "deny" }), event({}), event({ decision: "deny" }), event({}), event({ decision: "deny" }), event({}), event({ decision: "deny", resource: "/root" })]);
    expect(perSecond.alerts()).toEqual(["medium probing: 4 denials within a second, the last: file /root"]);
  });

  it('a rate limit hit, and "Allow always" widening the policy, once each', () => {
    const { guard, alerts } = guardOf();
    const limited = event({ capability: "tool", resource: "kv", decision: "deny", rule: "rate limit (3/min)", syscall: "tool:kv" });
    const always = event({ capability: "network", resource: "api.example.com:443 GET/", rule: "answered: allow always", syscall: "tool:http" });
    guard.audit([limited, limited, always, always]);
    expect(alerts()).toEqual(["low rate-limit: tool kv hit the rate limit (3/min)", '"Allow always" widened the policy during the run: network api.example.com:443 GET/'.replace(/^/, "medium policy-widened: ")]);
  });

  it("decoys: a decoy file opened or a decoy secret asked for", () => {
    const { guard, alerts } = guardOf({ decoys: { files: [{ path: "/workspace/.env" }], secrets: [{ name: "STRIPE_KEY" }] } });
    guard.audit([event({ resource: "/workspace/.env", decision: "deny", rule: "default (not granted)" })]);
    guard.audit([event({ capability: "secret", resource: "STRIPE_KEY", rule: "secrets[0]", syscall: "tool:secrets" })]);
    expect(alerts()).toEqual(["high decoy: decoy file /workspace/.env touched (path_open, denied)", "high decoy: decoy secret STRIPE_KEY asked for (handed out)"]);
  });

  it("hides a secret named in an audit event before anyone sees it, and alerts", () => {
    const { guard, recorded } = guardOf();
    guard.audit([event({ resource: `/workspace/${SECRET.toUpperCase()}.txt` })]);
    expect(recorded[0]!.resource).toBe("/workspace/«secret TOKEN».txt");
    expect(recorded[1]!.alert).toMatchObject({ kind: "secret-in-output", message: "secret TOKEN found in an audit event (plain); hidden" });
  });
});

const file = (text: string, mtimeMs = 1): WorkspaceEntry => ({ kind: "file", data: new TextEncoder().encode(text), mtimeMs });
const snapshot = (entries: [string, WorkspaceEntry][]): WorkspaceSnapshot => ({
  entries: new Map(entries),
  bytes: entries.reduce((n, [, e]) => n + (e.kind === "file" ? e.data.length : 0), 0),
});

describe("the files a run hands back", () => {
  it("hides secrets in what the run wrote (contents and names), keeps the caller's own files as they were, and drops decoys", () => {
    const { guard, alerts } = guardOf({ decoys: { files: [{ path: "/workspace/.aws/credentials" }] } });
    const own = file(`my token is ${SECRET}`);
    const before = snapshot([["notes.txt", own]]);
    const after = snapshot([
      ["notes.txt", own],
      ["out.txt", file(`leak ${Buffer.from(SECRET).toString("base64")}`)],
      [`dir-${SECRET}`, { kind: "dir", mtimeMs: 1 }],
      [`dir-${SECRET}/a.txt`, file("fine")],
      [".aws", { kind: "dir", mtimeMs: 1 }],
      [".aws/credentials", file("[default]")],
    ]);
    const request = { program: { language: "python", code: "" }, workspace: before } as RunRequest;
    const result = guard.result({ workspace: after } as RunResult, request);
    const entries = result.workspace!.entries;
    expect([...entries.keys()].sort()).toEqual(["dir-«secret TOKEN»", "dir-«secret TOKEN»/a.txt", "notes.txt", "out.txt"]);
    expect(entries.get("notes.txt")).toBe(own);
    // At most two characters of base64 holding a few of the value's bits stay around the label.
    expect(new TextDecoder().decode((entries.get("out.txt") as { data: Uint8Array }).data)).toMatch(/^leak «secret TOKEN»[A-Za-z0-9+/]{0,2}=*$/);
    expect(result.workspace!.bytes).toBe([...entries.values()].reduce((n, e) => n + (e.kind === "file" ? e.data.length : 0), 0));
    expect(alerts()).toEqual([
      "high secret-in-output: secret TOKEN found in the file /workspace/out.txt (base64); hidden",
      "high secret-in-output: secret TOKEN found in a file name in /workspace (plain); hidden",
    ]);
  });
});

describe("binding a secret to destinations", () => {
  const decider = compilePolicy(
    parsePolicy({
      version: 1,
      secrets: [{ name: "TOKEN", hosts: ["api.github.com", "*.githubusercontent.com"], tools: ["deploy-*"] }, { name: "OTHER" }, { name: "LOCKED", decision: "deny" }],
    }),
  );
  const to = (name: string, destination: { host: string } | { tool: string }) => decider.decide({ capability: "secret", name, destination }).decision;

  it("lets a secret go only to the hosts and tools its rule names", () => {
    expect(to("TOKEN", { host: "api.github.com" })).toBe("allow");
    expect(to("TOKEN", { host: "API.GITHUB.COM." })).toBe("allow");
    expect(to("TOKEN", { host: "raw.githubusercontent.com" })).toBe("allow");
    expect(to("TOKEN", { host: "github.com.evil.example" })).toBe("deny");
    expect(to("TOKEN", { tool: "deploy-prod" })).toBe("allow");
    expect(to("TOKEN", { tool: "kv" })).toBe("deny");
    expect(to("OTHER", { host: "api.github.com" })).toBe("deny");
    expect(to("LOCKED", { host: "api.github.com" })).toBe("deny");
    // Reading is unchanged by the binding.
    expect(decider.decide({ capability: "secret", name: "OTHER" }).decision).toBe("allow");
  });
});
