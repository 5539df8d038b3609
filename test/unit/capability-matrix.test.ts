import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AccessRequest } from "../../wasm-runtime/capabilities.ts";
import { CAPABILITY_MATRIX, unenforceable } from "../../wasm-runtime/engine/capability-matrix.ts";
import { compilePolicy, DEFAULT_POLICY, parsePolicy, PRESETS, type PolicyInput } from "../../wasm-runtime/policy/index.ts";

const RUNS = Number(process.env.PLAYPEN_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.PLAYPEN_FUZZ_SEED ?? 20261207);

describe("what each engine can enforce", () => {
  it("the gated engine enforces every preset; the Wasmer engine only the workspace ones", () => {
    for (const preset of PRESETS) expect(unenforceable("gated", preset.policy)).toEqual([]);
    expect(unenforceable("wasmer", DEFAULT_POLICY)).toEqual([]);
    expect(unenforceable("wasmer", PRESETS.find((p) => p.id === "no-network")!.policy)).toEqual([]);
    expect(unenforceable("wasmer", PRESETS.find((p) => p.id === "open")!.policy)).toEqual([
      'file rules other than read-write /workspace: files[0] "/**" write grants paths outside /workspace (the guest sees only /workspace)',
      'network grants (the Wasmer engine runs with networking off): network[0] "*"',
      'host tools: tools[0] "*"',
    ]);
  });

  it("refuses a grant of /workspace/* write: the wasmer guest could read /workspace/sub/secret.txt, which it does not grant", () => {
    const policy = parsePolicy({ version: 1, files: [{ path: "/workspace/*", access: "write" }] });
    expect(compilePolicy(policy).decide({ capability: "file", path: "/workspace/sub/secret.txt", access: "read" }).decision).toBe("deny");
    expect(unenforceable("wasmer", policy)).toEqual([
      'file rules other than read-write /workspace: files[0] "/workspace/*" write grants only part of /workspace (the guest reads and writes all of it)',
    ]);
  });

  it("names every rule it cannot express, and accepts rules that change nothing", () => {
    const problems = (input: Omit<PolicyInput, "version">) => unenforceable("wasmer", parsePolicy({ version: 1, ...input }));
    const all = { path: "/workspace/**", access: "write" } as const;
    expect(problems({ files: [all, { path: "/w*/keys", access: "read", decision: "deny" }, { path: "/data/**", access: "read" }, { path: "/*", access: "read", decision: "ask" }] })).toEqual([
      'file rules other than read-write /workspace: files[1] "/w*/keys" read (deny) denies part of /workspace (no per-path rules); files[1] "/w*/keys" read (deny) denies paths outside /workspace (the guest\'s own scratch folders there, /tmp and the like, are beyond any rule); files[2] "/data/**" read grants paths outside /workspace (the guest sees only /workspace); files[3] "/*" read (ask) asks about paths outside /workspace (the guest sees only /workspace)',
    ]);
    // The guest's scratch folders outside /workspace are beyond any rule, so a deny there cannot be enforced.
    expect(problems({ files: [all, { path: "/etc/**", access: "none" }] })).toEqual([
      `file rules other than read-write /workspace: files[1] "/etc/**" none denies paths outside /workspace (the guest's own scratch folders there, /tmp and the like, are beyond any rule)`,
    ]);
    // Asks inside /workspace overruled by the grant, networks and tools denied entirely: all as the engine behaves.
    expect(problems({ files: [all, { path: "/workspace/x", access: "read", decision: "ask" }], network: [{ host: "a.com" }, { host: "*", decision: "deny" }], tools: [{ name: "http" }, { name: "*", decision: "deny" }] })).toEqual([]);
    expect(problems({ files: [all], network: [{ host: "a.com" }, { host: "*", port: 80, decision: "deny" }], tools: [{ name: "kv", decision: "ask" }] })).toEqual([
      'network grants (the Wasmer engine runs with networking off): network[0] "a.com"',
      'host tools: tools[0] "kv"',
    ]);
  });

  it("accepts only policies whose decisions equal the wasmer engine's coarse behaviour (generated policies vs the gated engine's decider)", () => {
    const segment = fc.constantFrom("workspace", "sub", "secret.txt", "etc", "w", "*", "**", "?ub", "w*", "keys");
    const glob = fc.oneof(fc.constantFrom("/", "/workspace/**", "/workspace/*", "/workspace", "/**", "/*/**", "/w*/**"), fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join("/")}`));
    const fileRule = fc.record({ path: glob, access: fc.constantFrom("read", "write", "none"), decision: fc.constantFrom("allow", "ask", "deny", undefined) }).map((r) =>
      r.access === "none" ? { path: r.path, access: r.access } : r.decision === undefined ? { path: r.path, access: r.access } : r,
    );
    const networkRule = fc.record({ host: fc.constantFrom("*", "a.com", "127.0.0.1", "10.0.0.0/8"), decision: fc.constantFrom("allow" as const, "deny" as const) });
    const toolRule = fc.record({ name: fc.constantFrom("*", "http", "kv"), decision: fc.constantFrom("allow" as const, "ask" as const, "deny" as const) });
    const policyArb = fc
      .record({ grantAll: fc.boolean(), files: fc.array(fileRule, { maxLength: 3 }), network: fc.array(networkRule, { maxLength: 2 }), tools: fc.array(toolRule, { maxLength: 2 }) })
      .map(({ grantAll, files, network, tools }) => parsePolicy({ version: 1, files: grantAll ? [{ path: "/workspace/**", access: "write" }, ...files] : files, network, tools }));
    const path = fc.array(fc.constantFrom("workspace", "sub", "secret.txt", "etc", "w", "keys", "x"), { minLength: 1, maxLength: 4 }).map((s) => `/${s.join("/")}`);
    const requests: AccessRequest[] = [
      { capability: "network", host: "a.com", port: 443, method: "GET", path: "/" },
      { capability: "network", host: "127.0.0.1", port: 80 },
      { capability: "network", host: "b.com", port: 80, addresses: ["10.1.1.1"] },
      { capability: "tool", name: "http" },
      { capability: "tool", name: "kv" },
    ];
    /** The wasmer engine: all of /workspace read-write, no other user file, no network, no tools. */
    const wasmerAllows = (p: string) => p === "/workspace" || p.startsWith("/workspace/");
    let accepted = 0;
    fc.assert(
      fc.property(policyArb, fc.array(path, { minLength: 1, maxLength: 8 }), (policy, paths) => {
        const problems = unenforceable("wasmer", policy);
        if (problems.length > 0) return;
        accepted++;
        const decider = compilePolicy(policy);
        for (const p of ["/", "/workspace", ...paths]) {
          for (const access of ["read", "write"] as const) {
            expect(decider.decide({ capability: "file", path: p, access }).decision, `${access} ${p} under ${JSON.stringify(policy.files)}`).toBe(wasmerAllows(p) ? "allow" : "deny");
          }
        }
        for (const request of requests) expect(decider.decide(request).decision, JSON.stringify(request)).toBe("deny");
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS / 20);
  });

  it("names each part the Wasmer engine cannot enforce", () => {
    const policy = parsePolicy({
      version: 1,
      files: [{ path: "/workspace/**", access: "write" }, { path: "/workspace/keys/**", access: "none" }],
      clock: { resolutionMs: 100 },
      random: { seed: 7 },
      limits: { workspaceBytes: 1024 },
    });
    expect(unenforceable("wasmer", policy)).toEqual([
      'file rules other than read-write /workspace: files[1] "/workspace/keys/**" none denies part of /workspace (no per-path rules)',
      "a coarsened clock",
      "seeded randomness",
    ]);
  });

  it("states every capability for both engines", () => {
    for (const row of CAPABILITY_MATRIX) {
      expect(Object.keys(row.engines).sort()).toEqual(["gated", "wasmer"]);
      for (const cell of Object.values(row.engines)) expect(cell.how.length).toBeGreaterThan(10);
    }
  });
});
