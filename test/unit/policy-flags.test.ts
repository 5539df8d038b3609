import { describe, expect, it } from "vitest";
import type { AccessRequest } from "../../wasm-runtime/capabilities.ts";
import {
  DEFAULT_POLICY,
  PRESETS,
  PolicyError,
  decide,
  describePolicy,
  parseFlagValue,
  parsePolicy,
  parsePolicyFlags,
  policyFromFlags,
  type PolicyFlags,
} from "../../wasm-runtime/policy/index.ts";

const EMPTY = parsePolicy({ version: 1 });
const fromArgs = (args: string[], base = EMPTY) => policyFromFlags(base, parsePolicyFlags(args).flags);
const read = (path: string): AccessRequest => ({ capability: "file", path, access: "read" });
const write = (path: string): AccessRequest => ({ capability: "file", path, access: "write" });
const net = (host: string, port = 443): AccessRequest => ({ capability: "network", host, port });

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as PolicyError).issues;
  }
  throw new Error("accepted");
}

describe("parseFlagValue / parsePolicyFlags", () => {
  it("reads a bare flag as everything and a value as a comma-separated list", () => {
    expect(parseFlagValue("--allow-read", undefined)).toBe(true);
    expect(parseFlagValue("--allow-read", "a, b ,/c")).toEqual(["a", "b", "/c"]);
    expect(issuesOf(() => parseFlagValue("--allow-read", ""))).toEqual([{ path: "--allow-read", message: "needs a value after =; write --allow-read alone to grant everything" }]);
    expect(issuesOf(() => parseFlagValue("--deny-net", "a,,b"))[0]?.message).toBe('empty item in "a,,b"');
  });

  it("picks out policy flags, adds repeats up and leaves the rest alone", () => {
    const { flags, rest } = parsePolicyFlags(["--allow-read=a", "--json", "--allow-read=b,c", "--deny-net=x.com", "--allow-env", "--allow-env=HOME", "--allow-readable", "constructor"]);
    expect(flags).toEqual({ allowRead: ["a", "b", "c"], denyNet: ["x.com"], allowEnv: true });
    expect(rest).toEqual(["--json", "--allow-readable", "constructor"]);
  });

  it("reports every bad flag value at once", () => {
    expect(issuesOf(() => parsePolicyFlags(["--allow-read=", "--allow-net=a,,b"])).map((i) => i.path)).toEqual(["--allow-read", "--allow-net"]);
  });
});

describe("policyFromFlags: files", () => {
  it("resolves relative paths against /workspace and covers everything below, like Deno", () => {
    const p = fromArgs(["--allow-read=data,./docs/../notes,/etc/hosts"]);
    expect(p.files.map((r) => r.path)).toEqual(["/workspace/data/**", "/workspace/notes/**", "/etc/hosts/**"]);
    expect(decide(p, read("/workspace/data")).decision).toBe("allow");
    expect(decide(p, read("/workspace/data/x/y.csv")).decision).toBe("allow");
    expect(decide(p, read("/workspace/database")).decision).toBe("deny");
    expect(decide(p, read("/etc/hosts")).decision).toBe("allow");
    expect(decide(p, write("/workspace/data/x")).decision).toBe("deny");
  });

  it("keeps globs as written and clamps .. at the root", () => {
    expect(fromArgs(["--allow-read=src/*.py,/a/**/b,../../..,."]).files.map((r) => r.path)).toEqual(["/workspace/src/*.py", "/a/**/b", "/**", "/workspace/**"]);
  });

  it("grants read with --allow-write (unlike Deno)", () => {
    const p = fromArgs(["--allow-write=out"]);
    expect(decide(p, write("/workspace/out/r.json")).decision).toBe("allow");
    expect(decide(p, read("/workspace/out/r.json")).decision).toBe("allow");
  });

  it("lets --deny-write make part of a writable tree read-only, and --deny-read hide it", () => {
    const p = fromArgs(["--allow-write=.", "--deny-write=.git", "--deny-read=.env"], DEFAULT_POLICY);
    expect(decide(p, write("/workspace/a.py")).decision).toBe("allow");
    expect(decide(p, read("/workspace/.git/HEAD")).decision).toBe("allow");
    expect(decide(p, write("/workspace/.git/HEAD"))).toEqual({ decision: "deny", rule: 'files[3] "/workspace/.git/**" write (deny)' });
    expect(decide(p, read("/workspace/.env")).decision).toBe("deny");
    expect(decide(p, write("/workspace/.env")).decision).toBe("allow");
  });

  it("treats bare flags as everything, runtime files excepted", () => {
    const p = fromArgs(["--allow-write", "--deny-read"]);
    expect(decide(p, write("/etc/x")).decision).toBe("allow");
    expect(decide(p, read("/etc/x")).decision).toBe("deny");
    expect(decide(p, read("/playpen/python/os.py")).decision).toBe("allow");
    expect(decide(p, write("/playpen/python/os.py")).decision).toBe("deny");
  });
});

describe("policyFromFlags: network, env, secrets, tools", () => {
  it("parses host[:port] and lets --deny-net beat --allow-net", () => {
    const p = fromArgs(["--allow-net=api.example.com:443,*.cdn.net,[::1]:8080,fe80::1", "--deny-net=bad.cdn.net"]);
    expect(decide(p, net("api.example.com")).decision).toBe("allow");
    expect(decide(p, net("api.example.com", 80)).decision).toBe("deny");
    expect(decide(p, net("x.cdn.net", 1234)).decision).toBe("allow");
    expect(decide(p, net("bad.cdn.net")).decision).toBe("deny");
    expect(decide(p, net("::1", 8080)).decision).toBe("allow");
    expect(decide(p, net("fe80::1", 1)).decision).toBe("allow");
  });

  it("maps bare --allow-net, --allow-env, --allow-secret and --allow-tool to everything", () => {
    const p = fromArgs(["--allow-net", "--allow-env", "--allow-secret", "--allow-tool"]);
    expect(decide(p, net("anything.example", 1)).decision).toBe("allow");
    expect(decide(p, { capability: "env", name: "HOME" }).decision).toBe("allow");
    expect(decide(p, { capability: "secret", name: "TOKEN" }).decision).toBe("allow");
    expect(decide(p, { capability: "tool", name: "search" }).decision).toBe("allow");
  });

  it("grants env names with globs and lets --deny-env carve them out", () => {
    const p = fromArgs(["--allow-env=AWS_*,LANG", "--deny-env=AWS_SECRET_ACCESS_KEY"]);
    expect(decide(p, { capability: "env", name: "AWS_REGION" }).decision).toBe("allow");
    expect(decide(p, { capability: "env", name: "AWS_SECRET_ACCESS_KEY" }).decision).toBe("deny");
    expect(decide(p, { capability: "env", name: "HOME" }).decision).toBe("deny");
  });

  it("grants and denies tools and secrets by name", () => {
    const p = fromArgs(["--allow-tool=*", "--deny-tool=shell", "--allow-secret=API_KEY"]);
    expect(decide(p, { capability: "tool", name: "search" }).decision).toBe("allow");
    expect(decide(p, { capability: "tool", name: "shell" }).decision).toBe("deny");
    expect(decide(p, { capability: "secret", name: "API_KEY" }).decision).toBe("allow");
    expect(decide(p, { capability: "secret", name: "OTHER" }).decision).toBe("deny");
  });
});

describe("policyFromFlags: base policies and errors", () => {
  it("cannot reopen what a preset locks", () => {
    const noNetwork = PRESETS.find((p) => p.id === "no-network")!.policy;
    expect(decide(fromArgs(["--allow-net=api.example.com"], noNetwork), net("api.example.com")).decision).toBe("deny");
    const locked = PRESETS.find((p) => p.id === "locked")!.policy;
    expect(decide(fromArgs(["--allow-write=out", "--allow-env=HOME"], locked), write("/workspace/out/x")).decision).toBe("deny");
  });

  it("keeps the base document, adds after its rules and leaves it untouched", () => {
    const base = parsePolicy({ version: 1, name: "mine", files: [{ path: "/data/**", access: "read" }], limits: { wallMs: 1000 } });
    const p = policyFromFlags(base, { allowWrite: ["out"] });
    expect(p.name).toBe("mine");
    expect(p.limits.wallMs).toBe(1000);
    expect(p.files).toEqual([{ path: "/data/**", access: "read" }, { path: "/workspace/out/**", access: "write" }]);
    expect(base.files).toHaveLength(1);
    expect(policyFromFlags(base, {})).toEqual(base);
  });

  it("names the flag and value of every bad item, and applies none of them", () => {
    const flags: PolicyFlags = { allowNet: ["https://a.com", "a.com:http", "bad host", "a.com:99999"], allowRead: ["/a/**.py", ""], denyEnv: ["A=B"] };
    expect(issuesOf(() => policyFromFlags(DEFAULT_POLICY, flags))).toEqual([
      { path: "--allow-read", message: '"": empty path' },
      { path: "--allow-net", message: '"https://a.com": give host[:port], not a URL' },
      { path: "--allow-net", message: '"a.com:http": port must be a number, not "http"' },
      { path: "--allow-read", message: '"/a/**.py": ** must be a whole segment, as in /a/**/b' },
      { path: "--allow-net", message: '"bad host": is not a valid host name or IP address' },
      { path: "--allow-net", message: '"a.com:99999": must be at most 65535' },
      { path: "--deny-env", message: '"A=B": must not contain whitespace, = or control characters' },
    ]);
  });
});

describe("describePolicy", () => {
  it("describes each preset in eight one-liners", () => {
    expect(describePolicy(DEFAULT_POLICY)).toEqual([
      "files: read/write /workspace/**",
      "network: none",
      "env: none",
      "secrets: none",
      "tools: none",
      "clock: real",
      "random: real",
      "limits: 10 s wall, 512 MiB memory, 1 MiB stdout, 1 MiB stderr, 64 MiB workspace, 100 host calls/s",
    ]);
    const locked = describePolicy(PRESETS.find((p) => p.id === "locked")!.policy);
    expect(locked.slice(0, 2)).toEqual(["files: read /workspace/**, deny write /**", "network: deny *"]);
    expect(locked.slice(5)).toEqual(["clock: 100 ms resolution", "random: seeded (0)", "limits: 5 s wall, 256 MiB memory, 64 KiB stdout, 64 KiB stderr, 16 MiB workspace, 10 host calls/s"]);
  });

  it("shows asks, denies, ports, methods, paths and rate limits", () => {
    const p = parsePolicy({
      version: 1,
      files: [{ path: "/s/**", access: "none" }, { path: "/d/**", access: "read", decision: "ask" }],
      network: [{ host: "a.com", port: 443, methods: ["get"], pathPrefix: "/v1", decision: "ask" }],
      tools: [{ name: "search", perMinute: 10 }],
      limits: { wallMs: 1500, stdoutBytes: 1000 },
    });
    const [files, network, , , tools, , , limits] = describePolicy(p);
    expect(files).toBe("files: deny read/write /s/**, read /d/** (ask)");
    expect(network).toBe("network: a.com:443 GET /v1 (ask)");
    expect(tools).toBe("tools: search (10/min)");
    expect(limits).toMatch(/^limits: 1500 ms wall, 512 MiB memory, 1000 bytes stdout/);
  });
});
