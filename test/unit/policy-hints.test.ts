import { describe, expect, it } from "vitest";
import { parsePolicy, type PolicyInput } from "../../wasm-runtime/policy/index.ts";
import { engineGaps, policyHints } from "../../web/policy/policy-hints.ts";

const hints = (doc: Omit<PolicyInput, "version">) => policyHints(parsePolicy({ version: 1, ...doc })).map((h) => `${h.list}[${h.index}] ${h.message}`);

describe("policy hints: precedence where it bites", () => {
  it("says an ask rule under an allow never prompts, naming the allow", () => {
    const out = hints({ files: [{ path: "/workspace/**", access: "write" }, { path: "/workspace/secret.txt", access: "read", decision: "ask" }] });
    expect(out).toEqual(['files[1] never prompts: files[0] "/workspace/**" allows it (allow beats ask, whatever the order)']);
  });

  it("says nothing of an ask rule the allow does not reach (read allow, write ask; another folder)", () => {
    expect(hints({ files: [{ path: "/workspace/**", access: "read" }, { path: "/workspace/out.txt", access: "write", decision: "ask" }] })).toEqual([]);
    expect(hints({ files: [{ path: "/workspace/src/**", access: "write" }, { path: "/workspace/data/**", access: "write", decision: "ask" }] })).toEqual([]);
  });

  it("says an allow under a deny of the same access never applies, and not when the deny leaves reads", () => {
    expect(hints({ files: [{ path: "/workspace/**", access: "none" }, { path: "/workspace/a.txt", access: "write" }] })).toEqual([
      'files[1] never applies: files[0] "/workspace/**" denies it (deny beats allow, whatever the order)',
    ]);
    expect(hints({ files: [{ path: "/workspace/**", access: "write", decision: "deny" }, { path: "/workspace/a.txt", access: "write" }] })).toEqual([]);
  });

  it("covers names and hosts too: a tool glob, a host wildcard", () => {
    expect(hints({ tools: [{ name: "*" }, { name: "http", decision: "ask" }] })).toEqual(['tools[1] never prompts: tools[0] "*" allows it (allow beats ask, whatever the order)']);
    expect(hints({ network: [{ host: "*.example.com", decision: "deny" }, { host: "api.example.com" }], tools: [{ name: "http" }] })).toEqual([
      'network[1] never applies: network[0] "*.example.com" denies it (deny beats allow, whatever the order)',
    ]);
  });
});

describe("policy hints: incomplete grants", () => {
  it("warns of a secret without the secrets tool, and of hosts without the http tool", () => {
    expect(hints({ secrets: [{ name: "API_KEY", hosts: ["api.example.com"] }] })).toEqual([
      'secrets[0] the guest reads a secret through the "secrets" tool, which no rule grants: add a tools rule for "secrets"',
      'secrets[0] hosts bind the secret to the "http" tool, which no rule grants: add a tools rule for "http"',
    ]);
    expect(hints({ secrets: [{ name: "API_KEY", hosts: ["api.example.com"] }], tools: [{ name: "secrets" }, { name: "http" }] })).toEqual([]);
  });

  it("counts a tool denied as not granted, and warns of a host grant without the http tool", () => {
    expect(hints({ secrets: [{ name: "K" }], tools: [{ name: "*" }, { name: "secrets", decision: "deny" }] })).toHaveLength(1);
    expect(hints({ network: [{ host: "api.example.com" }] })).toEqual([
      'network[0] WASI has no sockets: the guest reaches hosts only through the "http" tool, which no rule grants',
    ]);
  });
});

describe("engine gaps", () => {
  it("lists what the Wasmer engine cannot enforce, and nothing for the gated engine", () => {
    const policy = parsePolicy({ version: 1, files: [{ path: "/workspace/main.py", access: "read" }], clock: { resolutionMs: 100 } });
    expect(engineGaps("gated", policy)).toEqual([]);
    const gaps = engineGaps("wasmer", policy);
    expect(gaps.some((g) => g.includes("/workspace/main.py"))).toBe(true);
    expect(gaps).toContain("a coarsened clock");
  });
});
