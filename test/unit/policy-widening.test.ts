import { describe, expect, it } from "vitest";
import { hostCovers, nameCovers, pathGlobCovers, wideningsOf } from "../../wasm-runtime/policy/widening.ts";
import { DEFAULT_POLICY, parsePolicy, type PolicyInput } from "../../wasm-runtime/policy/index.ts";

const policy = (input: Omit<PolicyInput, "version">) => parsePolicy({ version: 1, ...input });
const paths = (base: Omit<PolicyInput, "version">, proposed: Omit<PolicyInput, "version">) => wideningsOf(policy(base), policy(proposed)).map((w) => w.path);

describe("wideningsOf: what a proposed policy grants beyond a base", () => {
  it("finds nothing in the same policy, a narrower one, or one with fewer rules", () => {
    expect(wideningsOf(DEFAULT_POLICY, DEFAULT_POLICY)).toEqual([]);
    expect(paths({ files: [{ path: "/workspace/**", access: "write" }] }, { files: [{ path: "/workspace/data/**", access: "read" }] })).toEqual([]);
    expect(paths({ network: [{ host: "*.example.com" }] }, { network: [{ host: "api.example.com", port: 443, methods: ["GET"], pathPrefix: "/v1" }] })).toEqual([]);
    expect(paths({ env: [{ name: "APP_*" }], tools: [{ name: "kv" }] }, { env: [{ name: "APP_MODE" }] })).toEqual([]);
    expect(paths({ limits: { wallMs: 5000 } }, { limits: { wallMs: 1000 } })).toEqual([]);
  });

  it("finds each new grant, naming where it is and what it allows", () => {
    const base = policy({ files: [{ path: "/workspace/**", access: "write" }] });
    const proposed = policy({ files: [{ path: "/workspace/**", access: "write" }, { path: "/etc/passwd", access: "read" }], network: [{ host: "127.0.0.1", port: 8080 }], secrets: [{ name: "TOKEN" }], tools: [{ name: "http" }] });
    expect(wideningsOf(base, proposed)).toEqual([
      { path: "files[1]", what: "allows read /etc/passwd" },
      { path: "network[0]", what: "allows network to 127.0.0.1:8080" },
      { path: "secrets[0]", what: "allows the secret TOKEN" },
      { path: "tools[0]", what: "allows the tool http" },
    ]);
  });

  it("sees through the attempts to hide a widening inside something that looks covered", () => {
    // write on a path the base only lets read.
    expect(paths({ files: [{ path: "/workspace/**", access: "read" }] }, { files: [{ path: "/workspace/x", access: "write" }] })).toEqual(["files[0]"]);
    // a sibling sharing the prefix's text, not its folder.
    expect(paths({ files: [{ path: "/workspace/**", access: "write" }] }, { files: [{ path: "/workspace2/x", access: "read" }] })).toEqual(["files[0]"]);
    expect(paths({ files: [{ path: "/workspace/*", access: "write" }] }, { files: [{ path: "/workspace/a/b", access: "read" }] })).toEqual(["files[0]"]);
    // `*` grants public names only: an address, a range or localhost is wider.
    for (const host of ["127.0.0.1", "10.0.0.0/8", "localhost", "0x7f.1", "[::1]"]) expect(paths({ network: [{ host: "*" }] }, { network: [{ host }] }), host).toEqual(["network[0]"]);
    // a suffix that is not a subdomain; the domain itself under `*.`.
    expect(paths({ network: [{ host: "*.example.com" }] }, { network: [{ host: "evilexample.com" }] })).toEqual(["network[0]"]);
    expect(paths({ network: [{ host: "*.example.com" }] }, { network: [{ host: "example.com" }] })).toEqual(["network[0]"]);
    // dropping a port, a method or a path prefix the base had.
    expect(paths({ network: [{ host: "a.com", port: 443 }] }, { network: [{ host: "a.com" }] })).toEqual(["network[0]"]);
    expect(paths({ network: [{ host: "a.com", methods: ["GET"] }] }, { network: [{ host: "a.com", methods: ["GET", "POST"] }] })).toEqual(["network[0]"]);
    expect(paths({ network: [{ host: "a.com", pathPrefix: "/v1" }] }, { network: [{ host: "a.com", pathPrefix: "/v10" }] })).toEqual(["network[0]"]);
    // ask → allow skips the person; a secret bound to one more host; a tool with no rate limit.
    expect(paths({ env: [{ name: "HOME", decision: "ask" }] }, { env: [{ name: "HOME" }] })).toEqual(["env[0]"]);
    expect(paths({ secrets: [{ name: "T", hosts: ["a.com"] }] }, { secrets: [{ name: "T", hosts: ["a.com", "b.com"] }] })).toEqual(["secrets[0]"]);
    expect(paths({ tools: [{ name: "http", perMinute: 10 }] }, { tools: [{ name: "http" }] })).toEqual(["tools[0]"]);
    expect(paths({ env: [{ name: "APP_*" }] }, { env: [{ name: "*" }] })).toEqual(["env[0]"]);
  });

  it("counts a lost deny rule, a raised limit, a finer clock and a weaker alarm as widenings", () => {
    const deny = { path: "/workspace/secret/**", access: "none" as const };
    expect(paths({ files: [{ path: "/workspace/**", access: "write" }, deny] }, { files: [{ path: "/workspace/**", access: "write" }] })).toEqual(["files"]);
    expect(paths({ files: [deny] }, { files: [{ ...deny, note: "kept" }] })).toEqual([]);
    expect(paths({ limits: { wallMs: 5000, memoryMiB: 128 } }, { limits: { wallMs: 6000, memoryMiB: 512 } })).toEqual(["limits.wallMs", "limits.memoryMiB"]);
    expect(paths({ clock: { resolutionMs: 100 } }, {})).toEqual(["clock.resolutionMs"]);
    expect(paths({ random: { seed: 1 } }, {})).toEqual(["random.seed"]);
    expect(paths({ decoys: { env: [{ name: "AWS_SECRET", value: "decoy-value-1" }] } }, {})).toEqual(["decoys.env"]);
    expect(paths({}, { alerts: { denialsInARow: 1000, protectedPaths: [] } })).toEqual(["alerts.denialsInARow", "alerts.protectedPaths"]);
  });
});

describe("the coverage checks", () => {
  it("path globs", () => {
    expect(pathGlobCovers("/**", "/etc/x")).toBe(true);
    expect(pathGlobCovers("/a/**", "/a")).toBe(true);
    expect(pathGlobCovers("/a/**", "/a/**/b")).toBe(true);
    expect(pathGlobCovers("/a/*/**", "/a/b/c")).toBe(false);
    expect(pathGlobCovers("/a/**", "/ab")).toBe(false);
  });

  it("names and hosts", () => {
    expect(nameCovers("A*", "AB?")).toBe(true);
    expect(nameCovers("A?", "AB")).toBe(false);
    expect(hostCovers("*.a.com", "*.b.a.com")).toBe(true);
    expect(hostCovers("*.a.com", "*.com")).toBe(false);
    expect(hostCovers("API.Example.COM", "api.example.com")).toBe(true);
    expect(hostCovers("10.0.0.0/8", "10.1.2.3")).toBe(false);
  });
});
