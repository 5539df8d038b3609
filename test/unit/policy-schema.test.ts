import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, DEFAULT_POLICY, DEFAULT_PROTECTED_PATHS, PRESETS, PolicyError, parsePolicy, parsePolicyJson } from "../../wasm-runtime/policy/index.ts";

/** The issues parsePolicy reports for `json`, or fails the test if it accepts it. */
function issuesOf(json: unknown) {
  try {
    parsePolicy(json);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as PolicyError).issues;
  }
  throw new Error("policy was accepted");
}

describe("parsePolicy: valid documents", () => {
  it.each(PRESETS.map((p) => [p.label, p.policy] as const))("preset %s survives a JSON round trip", (_, policy) => {
    expect(parsePolicy(JSON.parse(JSON.stringify(policy)))).toEqual(policy);
  });

  it("fills every omitted field with its documented default", () => {
    expect(parsePolicy({ version: 1 })).toEqual({
      version: 1,
      files: [],
      network: [],
      env: [],
      secrets: [],
      tools: [],
      // Every command may start: each runs in the sandbox under this same policy.
      commands: [{ name: "*" }],
      clock: { resolutionMs: 0 },
      random: { seed: null },
      limits: DEFAULT_LIMITS,
      decoys: { files: [], env: [], secrets: [] },
      alerts: { denialsInARow: 25, denialsPerSecond: 50, protectedPaths: DEFAULT_PROTECTED_PATHS },
    });
    expect(parsePolicy({ version: 1, limits: { wallMs: 500 } }).limits).toEqual({ ...DEFAULT_LIMITS, wallMs: 500 });
  });

  it("accepts every documented rule form", () => {
    const policy = parsePolicy({
      version: 1,
      name: "all forms",
      files: [
        { path: "/", access: "read" },
        { path: "/data/*.csv", access: "read", decision: "ask" },
        { path: "/a/**/b?", access: "write", decision: "deny" },
        { path: "/secret/**", access: "none" },
        { path: "/secret2/**", access: "none", decision: "deny" },
      ],
      network: [
        { host: "*" },
        { host: "*.example.com", port: 443, methods: ["get", "POST"], pathPrefix: "/v1", decision: "ask" },
        { host: "10.0.0.1" },
        { host: "::1" },
        { host: "[fe80::1]" },
      ],
      env: [{ name: "*" }, { name: "AWS_?" }],
      secrets: [{ name: "API_KEY", decision: "ask" }],
      tools: [{ name: "search", perMinute: 10 }, { name: "fs.*", decision: "deny" }],
      clock: { resolutionMs: 0.1 },
      random: { seed: 4294967295 },
    });
    expect(policy.files).toHaveLength(5);
  });

  it("returns a frozen policy, so a compiled decider can never go stale", () => {
    const policy = parsePolicy({ version: 1, files: [{ path: "/workspace/**", access: "read" }] });
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy.files[0])).toBe(true);
    expect(() => (policy.files as unknown[]).push({})).toThrow(TypeError);
    expect(Object.isFrozen(DEFAULT_POLICY.limits)).toBe(true);
  });
});

describe("parsePolicy: each kind of bad field is reported with its path", () => {
  it.each<[string, unknown, string, RegExp]>([
    ["not an object", null, "", /must be an object, not null/],
    ["missing version", {}, "version", /is required/],
    ["other version", { version: 2 }, "version", /must be 1/],
    ["rules not a list", { version: 1, files: {} }, "files", /must be a list/],
    ["relative path", { version: 1, files: [{ path: "workspace/**", access: "read" }] }, "files[0].path", /absolute/],
    ["dot-dot segment", { version: 1, files: [{ path: "/workspace/../etc", access: "read" }] }, "files[0].path", /\.\. segments/],
    ["trailing slash", { version: 1, files: [{ path: "/workspace/", access: "read" }] }, "files[0].path", /must not end with \//],
    ["empty segment", { version: 1, files: [{ path: "/a//b", access: "read" }] }, "files[0].path", /empty segment/],
    ["partial **", { version: 1, files: [{ path: "/a/**.py", access: "read" }] }, "files[0].path", /whole segment/],
    ["bad access", { version: 1, files: [{ path: "/a", access: "rw" }] }, "files[0].access", /one of "read", "write", "none"/],
    ["bad decision", { version: 1, files: [{ path: "/a", access: "read", decision: "maybe" }] }, "files[0].decision", /one of "allow", "ask", "deny"/],
    ["none with allow", { version: 1, files: [{ path: "/a", access: "none", decision: "allow" }] }, "files[0].decision", /always denies/],
    ["host with port", { version: 1, network: [{ host: "example.com:443" }] }, "network[0].host", /use the port field/],
    ["host as URL", { version: 1, network: [{ host: "https://example.com/x" }] }, "network[0].host", /not a URL/],
    ["inner wildcard", { version: 1, network: [{ host: "api.*.com" }] }, "network[0].host", /leading "\*\."/],
    ["bad host", { version: 1, network: [{ host: "exa mple.com" }] }, "network[0].host", /not a valid host name/],
    ["port 0", { version: 1, network: [{ host: "a.com", port: 0 }] }, "network[0].port", /at least 1/],
    ["port too big", { version: 1, network: [{ host: "a.com", port: 70000 }] }, "network[0].port", /at most 65535/],
    ["empty methods", { version: 1, network: [{ host: "a.com", methods: [] }] }, "network[0].methods", /must not be empty/],
    ["bad method", { version: 1, network: [{ host: "a.com", methods: ["GET /"] }] }, "network[0].methods[0]", /HTTP method/],
    ["relative prefix", { version: 1, network: [{ host: "a.com", pathPrefix: "v1" }] }, "network[0].pathPrefix", /start with \//],
    ["prefix with query", { version: 1, network: [{ host: "a.com", pathPrefix: "/v1?x" }] }, "network[0].pathPrefix", /no query/],
    ["env name with =", { version: 1, env: [{ name: "A=B" }] }, "env[0].name", /=/],
    ["empty secret name", { version: 1, secrets: [{ name: "" }] }, "secrets[0].name", /must not be empty/],
    ["perMinute on deny", { version: 1, tools: [{ name: "t", decision: "deny", perMinute: 5 }] }, "tools[0].perMinute", /deny rule/],
    ["fractional perMinute", { version: 1, tools: [{ name: "t", perMinute: 1.5 }] }, "tools[0].perMinute", /whole number, not 1.5/],
    ["negative clock", { version: 1, clock: { resolutionMs: -1 } }, "clock.resolutionMs", /at least 0/],
    ["seed too big", { version: 1, random: { seed: 2 ** 32 } }, "random.seed", /at most 4294967295/],
    ["seed as text", { version: 1, random: { seed: "42" } }, "random.seed", /must be a number, not the string "42"/],
    ["zero limit", { version: 1, limits: { wallMs: 0 } }, "limits.wallMs", /at least 1/],
    ["limit over cap", { version: 1, limits: { memoryMiB: 8192 } }, "limits.memoryMiB", /at most 4096/],
    ["empty name", { version: 1, name: "" }, "name", /must not be empty/],
  ])("%s", (_, json, path, message) => {
    const issues = issuesOf(json);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(path);
    expect(issues[0]!.message).toMatch(message);
  });
});

describe("parsePolicy: whole-document reporting", () => {
  it("reports every bad field at once, in one readable message", () => {
    const bad = {
      version: 1,
      files: [
        { path: "/workspace/**", access: "write" },
        { path: "/ok", access: "read" },
        { path: "rel", access: "delete" },
      ],
      network: [{ host: "a.com", port: -1 }],
      limits: { stdoutBytes: 0, stderrBytes: "big" },
    };
    const issues = issuesOf(bad);
    expect(issues.map((i) => i.path)).toEqual(["files[2].path", "files[2].access", "network[0].port", "limits.stdoutBytes", "limits.stderrBytes"]);
    const error = (() => {
      try {
        parsePolicy(bad);
      } catch (e) {
        return e as PolicyError;
      }
    })();
    expect(error?.message).toContain("invalid policy:\n  files[2].path: must be an absolute path");
    expect(error?.message.split("\n")).toHaveLength(1 + issues.length);
  });

  it("rejects unknown keys and suggests the field that was meant", () => {
    expect(issuesOf({ version: 1, fils: [] })).toEqual([{ path: "fils", message: 'unknown field: did you mean "files"?' }]);
    expect(issuesOf({ version: 1, files: [{ path: "/a", acess: "read" }] })).toEqual([
      { path: "files[0].access", message: "is required" },
      { path: "files[0].acess", message: 'unknown field: did you mean "access"?' },
    ]);
    expect(issuesOf({ version: 1, limits: { wallms: 5 } })[0]?.message).toBe('unknown field: did you mean "wallMs"?');
    expect(issuesOf({ version: 1, colour: "red" })[0]?.message).toMatch(/^unknown field: expected one of version, name, files, network/);
  });

  it("reports every unknown key and every bad field together", () => {
    const issues = issuesOf({ version: 1, fils: [], netwrk: [], files: [{ path: "x", access: "read" }] });
    expect(issues.map((i) => i.path).sort()).toEqual(["files[0].path", "fils", "netwrk"]);
  });

  it("parsePolicyJson reports broken JSON as one issue on the document", () => {
    expect(() => parsePolicyJson("{ version: 1 }")).toThrow(/invalid policy:\n {2}\(document\): not valid JSON/);
    expect(parsePolicyJson('{"version": 1}').files).toEqual([]);
  });
});
