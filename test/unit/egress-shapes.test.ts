import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import { findShapes, RunGuard } from "../../wasm-runtime/egress/index.ts";
import { CapturedOutput } from "../../wasm-runtime/engine/captured-output.ts";
import type { AuditEvent, Engine, EngineName, Sandbox } from "../../wasm-runtime/index.ts";
import { DEFAULT_POLICY } from "../../wasm-runtime/policy/index.ts";

/**
 * Issue 14: data shaped like a credential that the run was never given (an
 * AWS key id, a PEM private key, a GitHub or Slack token, a JWT, an
 * `api_key = <random>` assignment) leaving through output or a tool request
 * raises an alert naming its shape and where it was seen, never its value in full.
 */

// Made-up values of each shape (AWS's documented example key id among them).
const AWS = "AKIAIOSFODNN7EXAMPLE";
const SAMPLES: [kind: string, text: string][] = [
  ["AWS access key id", `aws_access_key_id=${AWS}`],
  ["private key (PEM)", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----"],
  ["GitHub token", "token ghp_Zq3x9LmN2bV7cR5tY8uI1oP4aS6dF0gH2jK4"],
  ["GitHub token", `github_pat_11ABCDEFG0${"x9Yz".repeat(16)}`],
  ["Slack token", "xoxb-2048-1024-Zx9yW8vU7tS6rQ5p"],
  ["Stripe secret key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"],
  ["JSON Web Token", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"],
  ["credential assignment", 'API_KEY = "q8Zx3vR9kLm2Pn7Wt5Yb4Hc6"'],
  ["credential assignment", "password: Tr0ub4dorX3xK9mQ2vL8pZ5w"],
];

describe("credential shapes", () => {
  it.each(SAMPLES)("%s is recognised, with a hint that does not give the value away", (kind, text) => {
    const [finding] = findShapes(text);
    expect(finding?.kind).toBe(kind);
    expect(finding!.hint).toMatch(/^.{4}… \(\d+ characters\)$/);
  });

  it("ordinary text of similar look is not: wrong case, placeholders, words, public keys, short values", () => {
    const ordinary = [
      "akiaiosfodnn7example",
      "AKIA1234",
      "-----BEGIN PUBLIC KEY-----",
      "-----BEGIN CERTIFICATE-----",
      "ghp_short",
      "password = get_password_from_environment()",
      'api_key = "YOUR_API_KEY_HERE_PLEASE_CHANGE"',
      "secret_key = settings.SECRET_KEY_FALLBACKS",
      "token = tokenize.generate_tokens(readline)",
      "eyJhbGciOiJIUzI1NiJ9 alone",
    ];
    expect(ordinary.flatMap((text) => findShapes(text).map((f) => `${text}: ${f.kind}`))).toEqual([]);
  });
});

function guardOf(secrets: Record<string, string> = {}) {
  const recorded: AuditEvent[] = [];
  const guard = new RunGuard(DEFAULT_POLICY, secrets, "run-1", (events) => recorded.push(...events));
  return { guard, alerts: () => recorded.filter((e) => e.alert).map((e) => `${e.alert!.severity} ${e.alert!.kind}: ${e.alert!.message}`) };
}

describe("the alert", () => {
  it("output: once per credential and stream, even split across writes; the output itself is left as it is", () => {
    const { guard, alerts } = guardOf();
    const output = new CapturedOutput(1 << 20, undefined, guard);
    const bytes = (text: string) => new TextEncoder().encode(text);
    output.push("stdout", bytes(`key: ${AWS.slice(0, 9)}`));
    output.flush();
    output.push("stdout", bytes(`${AWS.slice(9)}\nagain ${AWS}\n`));
    output.push("stderr", bytes("-----BEGIN RSA PRIVATE KEY-----\n"));
    expect(output.result().stdout).toBe(`key: ${AWS}\nagain ${AWS}\n`);
    expect(alerts()).toEqual([
      "high secret-shaped: credential-shaped data in stdout: AWS access key id AKIA… (20 characters), not a secret given to the run",
      "high secret-shaped: credential-shaped data in stderr: private key (PEM) ----… (31 characters), not a secret given to the run",
    ]);
  });

  it("a secret the run was given is the filter's business (hidden, its own alert), not a stranger's credential", () => {
    const { guard, alerts } = guardOf({ AWS_KEY: AWS });
    const output = new CapturedOutput(1 << 20, undefined, guard);
    output.push("stdout", new TextEncoder().encode(`${AWS}\n`));
    expect(output.result().stdout).toBe("«secret AWS_KEY»\n");
    expect(alerts()).toEqual(["high secret-in-output: secret AWS_KEY found in stdout (plain); hidden"]);
  });

  it("a tool request: shaped data not among the run's secrets is an alert naming where it went", () => {
    const { guard, alerts } = guardOf({ BOUND: "sk_live_4eC39HqLyjWDarjtT1zdp7dc" });
    guard.requestCarries(`{"body": "sk_live_4eC39HqLyjWDarjtT1zdp7dc ${AWS}"}`, "api.example.com", "network", "tool:http");
    expect(alerts()).toEqual(["high secret-shaped: credential-shaped data in request to api.example.com: AWS access key id AKIA… (20 characters), not a secret given to the run"]);
  });
});

describe("end to end: a Python program prints a credential it found", () => {
  const engines = new Map<EngineName, { engine: Engine; sandbox: Sandbox }>();
  beforeAll(async () => {
    for (const name of ["gated", "wasmer"] as const) {
      const engine = createNodeEngine(name);
      await engine.prepare("python");
      engines.set(name, { engine, sandbox: await engine.createSandbox({ files: { "notes.txt": `old key ${AWS}\n` } }) });
    }
  }, 120_000);
  afterAll(async () => {
    for (const { engine, sandbox } of engines.values()) {
      await sandbox.close();
      await engine.close();
    }
  });

  it.each(["gated", "wasmer"] as const)("%s: the alert is in the audit with its severity, kind and stream; the value is not", async (name) => {
    const policy = DEFAULT_POLICY;
    const code = "print(open('/workspace/notes.txt').read().split()[-1])";
    const result = await engines.get(name)!.sandbox.run({ program: { language: "python", code }, policy, timeoutMs: 30_000 }).result;
    expect(result.stdout).toBe(`${AWS}\n`);
    const alerts = (result.audit ?? []).filter((e) => e.alert?.kind === "secret-shaped");
    expect(alerts.map((e) => [e.alert!.severity, e.resource])).toEqual([["high", "stdout: AWS access key id"]]);
    expect(JSON.stringify(alerts)).not.toContain(AWS);
  }, 60_000);
});
