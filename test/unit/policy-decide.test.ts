import { describe, expect, it } from "vitest";
import type { AccessRequest } from "../../wasm-runtime/capabilities.ts";
import {
  DEFAULT_POLICY,
  DEFAULT_RULE,
  INVALID_HOST_RULE,
  INVALID_PATH_RULE,
  PRESETS,
  RUNTIME_RULE,
  compilePolicy,
  decide,
  parsePolicy,
  type PolicyInput,
} from "../../wasm-runtime/policy/index.ts";

const policy = (input: Omit<PolicyInput, "version">) => parsePolicy({ version: 1, ...input });
const file = (path: string, access: "read" | "write" = "read"): AccessRequest => ({ capability: "file", path, access });
const net = (host: string, port = 443, method?: string, path?: string): AccessRequest => ({ capability: "network", host, port, method, path });
const preset = (id: string) => PRESETS.find((p) => p.id === id)!.policy;

describe("decide: files", () => {
  it("lets deny beat allow whatever the order of the rules", () => {
    const rules = [
      { path: "/workspace/**", access: "write" as const },
      { path: "/workspace/secret/**", access: "none" as const },
    ];
    for (const files of [rules, [...rules].reverse()]) {
      const p = policy({ files });
      expect(decide(p, file("/workspace/secret/key")).decision).toBe("deny");
      expect(decide(p, file("/workspace/secret/key", "write")).decision).toBe("deny");
      expect(decide(p, file("/workspace/other")).decision).toBe("allow");
    }
  });

  it("names the deciding rule by index, glob and access", () => {
    const p = policy({ files: [{ path: "/data/**", access: "read", decision: "ask" }, { path: "/workspace/**", access: "write" }, { path: "/workspace/.git/**", access: "write", decision: "deny" }] });
    expect(decide(p, file("/workspace/a.txt", "write"))).toEqual({ decision: "allow", rule: 'files[1] "/workspace/**" write' });
    expect(decide(p, file("/workspace/.git/HEAD", "write"))).toEqual({ decision: "deny", rule: 'files[2] "/workspace/.git/**" write (deny)' });
    expect(decide(p, file("/data/x"))).toEqual({ decision: "ask", rule: 'files[0] "/data/**" read (ask)' });
    expect(decide(p, file("/etc/passwd"))).toEqual({ decision: "deny", rule: DEFAULT_RULE });
  });

  it("distinguishes * (one segment) from ** (any depth, the directory itself included)", () => {
    const one = policy({ files: [{ path: "/workspace/*", access: "read" }] });
    expect(decide(one, file("/workspace/a.py")).decision).toBe("allow");
    expect(decide(one, file("/workspace/.hidden")).decision).toBe("allow");
    expect(decide(one, file("/workspace/sub/a.py")).decision).toBe("deny");
    expect(decide(one, file("/workspace")).decision).toBe("deny");

    const any = policy({ files: [{ path: "/workspace/**", access: "read" }] });
    for (const path of ["/workspace", "/workspace/a.py", "/workspace/sub/deep/a.py"]) expect(decide(any, file(path)).decision).toBe("allow");
    expect(decide(any, file("/workspacex")).decision).toBe("deny");
    expect(decide(any, file("/")).decision).toBe("deny");
  });

  it("matches ** in the middle, ? and literal characters exactly", () => {
    const p = policy({
      files: [
        { path: "/src/**/test_?.py", access: "read" },
        { path: "/notes (v1)+[draft].md", access: "read" },
        { path: "/exact", access: "read" },
      ],
    });
    expect(decide(p, file("/src/test_a.py")).decision).toBe("allow");
    expect(decide(p, file("/src/x/y/test_b.py")).decision).toBe("allow");
    expect(decide(p, file("/src/test_ab.py")).decision).toBe("deny");
    expect(decide(p, file("/notes (v1)+[draft].md")).decision).toBe("allow");
    expect(decide(p, file("/notes (v1)+d.md")).decision).toBe("deny");
    expect(decide(p, file("/exact")).decision).toBe("allow");
    expect(decide(p, file("/exact/below")).decision).toBe("deny");
  });

  it("lets /** and / mean every path and the root only", () => {
    const all = policy({ files: [{ path: "/**", access: "read" }] });
    for (const path of ["/", "/a", "/a/b/c"]) expect(decide(all, file(path)).decision).toBe("allow");
    const root = policy({ files: [{ path: "/", access: "read" }] });
    expect(decide(root, file("/")).decision).toBe("allow");
    expect(decide(root, file("/a")).decision).toBe("deny");
  });

  it("lets write imply read for grants but not for denies", () => {
    const rw = policy({ files: [{ path: "/out/**", access: "write" }] });
    expect(decide(rw, file("/out/x")).decision).toBe("allow");
    const readOnly = policy({ files: [{ path: "/d/**", access: "write" }, { path: "/d/**", access: "write", decision: "deny" }] });
    expect(decide(readOnly, file("/d/x")).decision).toBe("allow");
    expect(decide(readOnly, file("/d/x", "write")).decision).toBe("deny");
    const dropBox = policy({ files: [{ path: "/box/**", access: "write" }, { path: "/box/**", access: "read", decision: "deny" }] });
    expect(decide(dropBox, file("/box/x", "write")).decision).toBe("allow");
    expect(decide(dropBox, file("/box/x")).decision).toBe("deny");
    const read = policy({ files: [{ path: "/r/**", access: "read" }] });
    expect(decide(read, file("/r/x", "write"))).toEqual({ decision: "deny", rule: DEFAULT_RULE });
  });

  it("keeps runtime files readable whatever the rules say, and never writable", () => {
    const hostile = policy({ files: [{ path: "/**", access: "none" }] });
    expect(decide(hostile, file("/playpen/python/sitecustomize.py"))).toEqual({ decision: "allow", rule: RUNTIME_RULE });
    expect(decide(hostile, file("/playpen"))).toEqual({ decision: "allow", rule: RUNTIME_RULE });
    const open = preset("open");
    expect(decide(open, file("/playpen/python/sitecustomize.py", "write"))).toEqual({ decision: "deny", rule: RUNTIME_RULE });
    expect(decide(open, file("/playpen", "write")).decision).toBe("deny");
    expect(decide(DEFAULT_POLICY, file("/playpenx/a")).rule).toBe(DEFAULT_RULE);
  });

  it("prefers allow over ask, and ask over the default deny", () => {
    const p = policy({ files: [{ path: "/w/**", access: "read", decision: "ask" }, { path: "/w/pub/**", access: "read" }] });
    expect(decide(p, file("/w/pub/a")).decision).toBe("allow");
    expect(decide(p, file("/w/a")).decision).toBe("ask");
    expect(decide(p, file("/x")).decision).toBe("deny");
  });

  it.each(["workspace/a", "/workspace/../etc/passwd", "/workspace/./a", "/workspace//a", "/workspace/", "/workspace/.."])(
    "fails closed on the unresolved path %j",
    (path) => {
      expect(decide(preset("open"), file(path))).toEqual({ decision: "deny", rule: INVALID_PATH_RULE });
    },
  );

  it("denies everything outside /workspace by default (Workspace only)", () => {
    expect(decide(DEFAULT_POLICY, file("/workspace/main.py", "write")).decision).toBe("allow");
    expect(decide(DEFAULT_POLICY, file("/etc/passwd")).decision).toBe("deny");
    expect(decide(DEFAULT_POLICY, net("example.com")).decision).toBe("deny");
    expect(decide(DEFAULT_POLICY, { capability: "env", name: "HOME" }).decision).toBe("deny");
    expect(decide(DEFAULT_POLICY, { capability: "secret", name: "API_KEY" }).decision).toBe("deny");
    expect(decide(DEFAULT_POLICY, { capability: "tool", name: "search" }).decision).toBe("deny");
  });
});

describe("decide: network", () => {
  const p = policy({
    network: [
      { host: "api.example.com", port: 443 },
      { host: "*.github.com", methods: ["get"], pathPrefix: "/repos" },
      { host: "*.github.com", methods: ["POST"], decision: "ask" },
      { host: "evil.github.com", decision: "deny" },
      { host: "::1", port: 8080 },
    ],
  });

  it("matches exact hosts, case-insensitively, on the given port only", () => {
    expect(decide(p, net("api.example.com"))).toEqual({ decision: "allow", rule: 'network[0] "api.example.com:443"' });
    expect(decide(p, net("API.Example.COM."))).toMatchObject({ decision: "allow" });
    expect(decide(p, net("api.example.com", 80))).toEqual({ decision: "deny", rule: DEFAULT_RULE });
    expect(decide(p, net("example.com")).decision).toBe("deny");
  });

  it("matches *.domain at any depth but not the domain itself", () => {
    expect(decide(p, net("api.github.com", 443, "GET", "/repos/x")).decision).toBe("allow");
    expect(decide(p, net("a.b.github.com", 443, "GET", "/repos")).decision).toBe("allow");
    expect(decide(p, net("github.com", 443, "GET", "/repos")).decision).toBe("deny");
    expect(decide(p, net("notgithub.com", 443, "GET", "/repos")).decision).toBe("deny");
  });

  it("checks methods and whole-segment path prefixes, ignoring the query", () => {
    expect(decide(p, net("api.github.com", 443, "get", "/repos?page=2")).decision).toBe("allow");
    expect(decide(p, net("api.github.com", 443, "GET", "/repositories")).decision).toBe("deny");
    expect(decide(p, net("api.github.com", 443, "DELETE", "/repos/x")).decision).toBe("deny");
    expect(decide(p, net("api.github.com", 443, "POST", "/anything"))).toEqual({ decision: "ask", rule: 'network[2] "*.github.com POST" (ask)' });
  });

  it("does not let a method- or path-limited grant cover a raw connection", () => {
    expect(decide(p, net("api.github.com", 443)).decision).toBe("deny");
    const denyPost = policy({ network: [{ host: "*" }, { host: "a.com", methods: ["POST"], decision: "deny" }] });
    expect(decide(denyPost, net("a.com", 443))).toEqual({ decision: "deny", rule: 'network[1] "a.com POST" (deny)' });
    expect(decide(denyPost, net("a.com", 443, "GET", "/")).decision).toBe("allow");
  });

  it("lets a deny on a host beat a wildcard grant", () => {
    expect(decide(p, net("evil.github.com", 443, "GET", "/repos")).rule).toBe('network[3] "evil.github.com" (deny)');
  });

  it("matches IPv6 literals with or without brackets", () => {
    expect(decide(p, net("[::1]", 8080)).decision).toBe("allow");
    expect(decide(p, net("::1", 8080)).rule).toBe('network[4] "[::1]:8080"');
  });

  it("lets * mean every host name and public address, but not loopback or private ones", () => {
    expect(decide(preset("open"), net("example.com", 1)).decision).toBe("allow");
    expect(decide(preset("open"), net("93.184.216.34", 1)).decision).toBe("allow");
    expect(decide(preset("open"), net("localhost", 1))).toEqual({ decision: "deny", rule: "127.0.0.1 is loopback: not granted (only a rule naming the address or its range grants it)" });
    expect(decide(preset("open"), net("192.168.1.1", 1)).rule).toMatch(/^192.168.1.1 is private: not granted/);
    expect(decide(preset("no-network"), net("localhost", 1)).rule).toBe('network[0] "*" (deny)');
  });
});

describe("decide: network, on what will be connected to", () => {
  /** Every spelling of a loopback address a URL parser or a socket accepts. */
  const LOOPBACK_SPELLINGS = ["127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.1", "0x7f000001", "127.1", "127.0.0.1.", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "::FFFF:7F00:1", "0.0.0.0", "0", "[::]", "[::1]", "[0:0:0:0:0:0:0:1]", "LocalHost.", "a.localhost", "[64:ff9b::7f00:1]", "127.255.255.254"];
  const denyLoopback = policy({ network: [{ host: "*" }, { host: "127.0.0.1", decision: "deny" }, { host: "localhost", decision: "deny" }, { host: "::1", decision: "deny" }] });

  it.each(LOOPBACK_SPELLINGS)("denies %s when loopback is not granted (allow *, deny 127.0.0.1, localhost, ::1)", (host) => {
    expect(decide(denyLoopback, net(host, 8080, "GET", "/")).decision).toBe("deny");
  });

  it("compares rules and requests in one canonical spelling: IPv4 forms, mapped IPv6, IDNA, case, trailing dot", () => {
    const p = policy({ network: [{ host: "127.0.0.1" }, { host: "bücher.de" }, { host: "*.Example.COM." }] });
    for (const host of ["2130706433", "0x7f.1", "[::ffff:7f00:1]", "127.1"]) expect(decide(p, net(host)).rule).toBe('network[0] "127.0.0.1"');
    for (const host of ["xn--bcher-kva.de", "BÜCHER.de", "bücher.de."]) expect(decide(p, net(host)).rule).toBe('network[1] "bücher.de"');
    expect(decide(p, net("API.example.com.")).decision).toBe("allow");
    // A wildcard over names cannot be written over addresses (numeric labels make an IPv4 address).
    expect(() => policy({ network: [{ host: "*.0.0.1" }] })).toThrow('network[0].host: "*." takes a domain, not an address');
  });

  it("fails closed on text that is not a host", () => {
    const open = policy({ network: [{ host: "*" }] });
    for (const host of ["", "a b", "a\tb", "a.com:80", "a.com/x", "user@a.com", "1.2.3.256", "[::1", "a.com?x"]) {
      expect(decide(open, net(host)).rule, host).toBe(INVALID_HOST_RULE);
    }
    expect(decide(open, { capability: "network", host: "a.com", port: 443, addresses: ["not-an-address"] }).decision).toBe("deny");
  });

  it("denies a name allowed by text whose addresses are loopback or private, unless a rule grants that range", () => {
    const resolved = (host: string, ...addresses: string[]) => ({ capability: "network", host, port: 443, method: "GET", path: "/", addresses }) as const;
    const byName = policy({ network: [{ host: "api.example.com" }, { host: "*" }] });
    expect(decide(byName, resolved("api.example.com", "93.184.216.34")).decision).toBe("allow");
    expect(decide(byName, resolved("api.example.com", "127.0.0.1"))).toEqual({ decision: "deny", rule: "127.0.0.1 is loopback: not granted (only a rule naming the address or its range grants it)" });
    // One bad address among good ones is enough (the resolver's order is not ours to trust).
    expect(decide(byName, resolved("api.example.com", "93.184.216.34", "10.0.0.8")).rule).toMatch(/^10.0.0.8 is private/);
    expect(decide(byName, resolved("api.example.com", "::ffff:169.254.169.254")).rule).toMatch(/^169.254.169.254 is link-local/);
    expect(decide(byName, resolved("api.example.com", "fd12::1")).rule).toMatch(/^fd12::1 is private/);

    const granted = policy({ network: [{ host: "api.example.com" }, { host: "127.0.0.0/8" }, { host: "10.1.0.0/16", decision: "ask" }] });
    expect(decide(granted, resolved("api.example.com", "127.0.0.1"))).toEqual({ decision: "allow", rule: 'network[0] "api.example.com"' });
    expect(decide(granted, resolved("api.example.com", "10.1.2.3"))).toEqual({ decision: "ask", rule: 'network[2] "10.1.0.0/16" (ask)' });
    expect(decide(granted, resolved("api.example.com", "10.2.0.1")).decision).toBe("deny");
    // A range grants addresses, not names: a name still needs its own grant.
    expect(decide(granted, resolved("other.example.com", "127.0.0.1")).rule).toBe(DEFAULT_RULE);
    // A grant on the address with a port grants only that port.
    const portOnly = policy({ network: [{ host: "api.example.com" }, { host: "127.0.0.1", port: 8080 }] });
    expect(decide(portOnly, { ...resolved("api.example.com", "127.0.0.1"), port: 8081 }).decision).toBe("deny");
  });

  it("lets a deny on an address or range stop every name that resolves into it", () => {
    const p = policy({ network: [{ host: "*" }, { host: "*.internal.test" }, { host: "10.0.0.0/8" }, { host: "10.9.0.0/16", decision: "deny" }] });
    expect(decide(p, { capability: "network", host: "db.internal.test", port: 5432, addresses: ["10.1.0.1"] }).decision).toBe("allow");
    expect(decide(p, { capability: "network", host: "db.internal.test", port: 5432, addresses: ["10.9.0.1"] }).rule).toBe('network[3] "10.9.0.0/16" (deny)');
  });

  it("takes an unresolved local-network name (.local, home.arpa, .internal…) for a private address: * does not grant it", () => {
    const p = policy({ network: [{ host: "*" }, { host: "*.lan", decision: "ask" }] });
    for (const host of ["printer.local", "nas.home.arpa", "db.internal", "router.localdomain"]) {
      expect(decide(p, net(host)), host).toEqual({ decision: "deny", rule: `${host} is a local network name: not granted (only a rule naming it grants it)` });
    }
    expect(decide(p, net("router.lan"))).toEqual({ decision: "ask", rule: 'network[1] "*.lan" (ask)' });
    expect(decide(policy({ network: [{ host: "printer.local" }] }), net("printer.local")).decision).toBe("allow");
    // Resolved (the CLI), its addresses decide.
    expect(decide(p, { capability: "network", host: "printer.local", port: 443, addresses: ["192.168.1.20"] }).rule).toMatch(/^192.168.1.20 is private/);
    expect(decide(p, net("local.example.com")).decision).toBe("allow");
  });

  it("grants loopback to localhost by name (it is loopback by definition), and to nothing else", () => {
    const p = policy({ network: [{ host: "localhost", port: 3000 }] });
    expect(decide(p, net("localhost", 3000)).decision).toBe("allow");
    expect(decide(p, { capability: "network", host: "localhost", port: 3000, addresses: ["127.0.0.1"] }).decision).toBe("allow");
    expect(decide(p, { capability: "network", host: "localhost", port: 3000, addresses: ["10.0.0.1"] }).decision).toBe("deny");
    expect(decide(p, net("127.0.0.1", 3000)).decision).toBe("deny");
  });

  it("checks a path prefix on the path a server will act on: percent-decoded, dot segments resolved", () => {
    const p = policy({ network: [{ host: "api.test", pathPrefix: "/v1" }, { host: "api.test", pathPrefix: "/v1/private", decision: "deny" }] });
    const get = (path: string) => decide(p, net("api.test", 443, "GET", path)).decision;
    for (const path of ["/v1", "/v1/x", "/v1/a%2fb", "/v1/%7euser", "/v1/x/../y"]) expect(get(path), path).toBe("allow");
    for (const path of ["/v1/..%2fadmin", "/v1/%2e%2e/admin", "/v1/%2E%2E%2Fadmin", "/v1/..%5cadmin", "/v1/%252e%252e%252fadmin", "/v1/..%c0%afadmin/../../x", "/v10", "/"]) {
      expect(get(path), path).toBe("deny");
    }
    for (const path of ["/v1/private", "/v1//private/x", "/v1/x/..%2fprivate", "/v1/%70rivate"]) expect(decide(p, net("api.test", 443, "GET", path)).rule, path).toBe('network[1] "api.test/v1/private" (deny)');
  });
});

describe("decide: env, secrets, tools, clock, random", () => {
  it("matches env names with globs, case-sensitively", () => {
    const p = policy({ env: [{ name: "AWS_*" }, { name: "AWS_SECRET_*", decision: "deny" }, { name: "LANG" }, { name: "LC_?" }] });
    const env = (name: string) => decide(p, { capability: "env", name });
    expect(env("AWS_REGION")).toEqual({ decision: "allow", rule: 'env[0] "AWS_*"' });
    expect(env("AWS_SECRET_ACCESS_KEY")).toEqual({ decision: "deny", rule: 'env[1] "AWS_SECRET_*" (deny)' });
    expect(env("LANG").decision).toBe("allow");
    expect(env("lang").decision).toBe("deny");
    expect(env("LC_X").decision).toBe("allow");
    expect(env("LC_XY").decision).toBe("deny");
  });

  it("grants secrets by name only", () => {
    const p = policy({ secrets: [{ name: "API_KEY", decision: "ask" }] });
    expect(decide(p, { capability: "secret", name: "API_KEY" })).toEqual({ decision: "ask", rule: 'secrets[0] "API_KEY" (ask)' });
    expect(decide(p, { capability: "secret", name: "OTHER" }).decision).toBe("deny");
  });

  it("decides tools and reports the strictest rate limit of the matching grants", () => {
    const p = policy({ tools: [{ name: "*", perMinute: 600 }, { name: "search", perMinute: 10 }, { name: "shell", decision: "deny" }, { name: "fetch" }] });
    const tool = (name: string) => decide(p, { capability: "tool", name });
    expect(tool("search")).toEqual({ decision: "allow", rule: 'tools[0] "*" 600/min' });
    expect(tool("shell")).toEqual({ decision: "deny", rule: 'tools[2] "shell" (deny)' });
    const decider = compilePolicy(p);
    expect(decider.toolPerMinute("search")).toBe(10);
    expect(decider.toolPerMinute("fetch")).toBe(600);
    expect(compilePolicy(policy({ tools: [{ name: "fetch" }] })).toolPerMinute("fetch")).toBeUndefined();
  });

  it("always allows clocks and randomness, naming the mode in the rule", () => {
    expect(decide(DEFAULT_POLICY, { capability: "clock", clock: "realtime" })).toEqual({ decision: "allow", rule: "clock (real)" });
    expect(decide(DEFAULT_POLICY, { capability: "random", bytes: 16 })).toEqual({ decision: "allow", rule: "random (real)" });
    const locked = preset("locked");
    expect(decide(locked, { capability: "clock", clock: "monotonic" }).rule).toBe("clock (coarsened to 100 ms)");
    expect(decide(locked, { capability: "random", bytes: 16 }).rule).toBe("random (seeded 0)");
  });
});

describe("presets", () => {
  it("form a ladder from open to locked down", () => {
    expect(PRESETS.map((p) => p.label)).toEqual(["Open", "Workspace only", "No network", "Locked down"]);
    expect(PRESETS[1]!.policy).toBe(DEFAULT_POLICY);
    const requests: AccessRequest[] = [
      file("/etc/hosts"),
      file("/workspace/a", "write"),
      file("/workspace/a"),
      net("example.com"),
      { capability: "env", name: "HOME" },
      { capability: "tool", name: "search" },
    ];
    const allowed = PRESETS.map((p) => requests.filter((r) => decide(p.policy, r).decision === "allow").length);
    expect(allowed).toEqual([6, 2, 2, 1]);
  });

  it("locked down keeps /workspace readable but nothing writable", () => {
    const locked = preset("locked");
    expect(decide(locked, file("/workspace/data.csv")).decision).toBe("allow");
    expect(decide(locked, file("/workspace/out.txt", "write")).rule).toBe('files[1] "/**" write (deny)');
    expect(decide(locked, file("/playpen/python/os.py")).decision).toBe("allow");
  });
});

describe("random devices", () => {
  it("reading /dev/urandom or /dev/random is the random capability (always allowed), writing them is a file write", () => {
    const seeded = parsePolicy({ version: 1, random: { seed: 7 } });
    for (const path of ["/dev/urandom", "/dev/random"]) {
      expect(decide(seeded, { capability: "file", path, access: "read" })).toEqual({ decision: "allow", rule: "random (seeded 7)" });
      expect(decide(seeded, { capability: "file", path, access: "write" }).decision).toBe("deny");
    }
    expect(decide(seeded, { capability: "file", path: "/dev/zero", access: "read" }).decision).toBe("deny");
  });
});
