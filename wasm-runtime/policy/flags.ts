/**
 * Deno-style command-line flags, mapped onto the same policy document: every
 * flag adds rules to a base policy (the `--policy FILE` document, or
 * DEFAULT_POLICY), so flags and documents share one set of semantics.
 *
 * Differences from Deno, on purpose:
 * - `--allow-write` also grants read of the same paths (see fileRuleSchema).
 * - Relative paths resolve against /workspace, not the host's working directory.
 * - A value is only accepted after `=`: `--allow-read` alone means everything.
 */
import { PolicyError, WORKSPACE_ROOT, parsePolicy, type EnvRule, type FileRule, type NetworkRule, type Policy, type PolicyInput, type PolicyIssue } from "./schema.ts";

/** `true`: the flag was given without a value, meaning everything (`/**`, any host, `*`). */
export type FlagValue = string[] | true;

export interface PolicyFlags {
  /** Paths (globs allowed); a path without wildcards covers itself and everything below it. */
  allowRead?: FlagValue;
  /** As allowRead; grants read and write. */
  allowWrite?: FlagValue;
  /** `host[:port]`, `*.domain[:port]`, `[ipv6]:port`, a CIDR range `10.0.0.0/8[:port]`; no port = any port. */
  allowNet?: FlagValue;
  /** Variable names, globs allowed (`AWS_*`). */
  allowEnv?: FlagValue;
  /** Secret names, globs allowed. */
  allowSecret?: FlagValue;
  /** Tool names, globs allowed; no rate limit beyond limits.hostCallsPerSecond. */
  allowTool?: FlagValue;
  /** Denies reads only. */
  denyRead?: FlagValue;
  /** Denies writes only; reads still follow the other rules. */
  denyWrite?: FlagValue;
  denyNet?: FlagValue;
  denyEnv?: FlagValue;
  denySecret?: FlagValue;
  denyTool?: FlagValue;
  /** Commands that may start (Deno's --allow-run); without any, every command may. */
  allowRun?: FlagValue;
  denyRun?: FlagValue;
}

/** Every policy flag by its command-line spelling. */
export const POLICY_FLAGS = {
  "--allow-read": "allowRead",
  "--allow-write": "allowWrite",
  "--allow-net": "allowNet",
  "--allow-env": "allowEnv",
  "--allow-secret": "allowSecret",
  "--allow-tool": "allowTool",
  "--allow-run": "allowRun",
  "--deny-read": "denyRead",
  "--deny-write": "denyWrite",
  "--deny-net": "denyNet",
  "--deny-env": "denyEnv",
  "--deny-secret": "denySecret",
  "--deny-tool": "denyTool",
  "--deny-run": "denyRun",
} as const satisfies Record<string, keyof PolicyFlags>;

type FlagSpelling = keyof typeof POLICY_FLAGS;
const SPELLING = Object.fromEntries(Object.entries(POLICY_FLAGS).map(([spelling, key]) => [key, spelling])) as Record<keyof PolicyFlags, FlagSpelling>;

/** The value of one flag: undefined (bare flag) → true; "a, b" → ["a", "b"]. Throws PolicyError on an empty value or item. */
export function parseFlagValue(flag: string, value: string | undefined): FlagValue {
  if (value === undefined) return true;
  const items = value.split(",").map((item) => item.trim());
  if (value.trim() === "") throw new PolicyError([{ path: flag, message: `needs a value after =; write ${flag} alone to grant everything` }]);
  if (items.includes("")) throw new PolicyError([{ path: flag, message: `empty item in "${value}"` }]);
  return items;
}

/**
 * Picks the policy flags out of a command line (`--allow-read`, `--allow-read=a,b`)
 * and returns the other arguments untouched. Repeated flags add up. Every bad
 * value is reported in one PolicyError. Pass Playpen's own arguments only:
 * those after FILE belong to the guest.
 */
export function parsePolicyFlags(args: readonly string[]): { flags: PolicyFlags; rest: string[] } {
  const flags: PolicyFlags = {};
  const rest: string[] = [];
  const issues: PolicyIssue[] = [];
  for (const arg of args) {
    const eq = arg.indexOf("=");
    const spelling = eq < 0 ? arg : arg.slice(0, eq);
    if (!Object.hasOwn(POLICY_FLAGS, spelling)) {
      rest.push(arg);
      continue;
    }
    const key = POLICY_FLAGS[spelling as FlagSpelling];
    try {
      const value = parseFlagValue(spelling, eq < 0 ? undefined : arg.slice(eq + 1));
      const previous = flags[key];
      flags[key] = previous === true || value === true ? true : [...(previous ?? []), ...value];
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length) throw new PolicyError(issues);
  return { flags, rest };
}

/**
 * The base policy plus the rules the flags add. Deny flags beat allow flags
 * and the base's grants; allow flags cannot reopen what the base denies. The
 * result is validated like any document: a bad value throws PolicyError
 * naming the flag, and nothing is applied.
 */
export function policyFromFlags(base: Policy, flags: PolicyFlags): Policy {
  const issues: PolicyIssue[] = [];
  // Where each added rule came from, so that a schema issue names the flag rather than files[7].
  const origins = new Map<string, string>();
  const next = { files: base.files.length, network: base.network.length, env: base.env.length, secrets: base.secrets.length, tools: base.tools.length, commands: base.commands.length };
  const add = <R>(list: keyof typeof next, key: keyof PolicyFlags, toRule: (value: string | true) => R | string): R[] => {
    const value = flags[key];
    const rules: R[] = [];
    for (const item of value === undefined ? [] : value === true ? [true as const] : value) {
      const rule = toRule(item);
      if (typeof rule === "string") {
        issues.push({ path: SPELLING[key], message: `${JSON.stringify(item)}: ${rule}` });
        continue;
      }
      origins.set(`${list}[${next[list]++}]`, item === true ? SPELLING[key] : `${SPELLING[key]}=${item}`);
      rules.push(rule);
    }
    return rules;
  };
  const file = (access: "read" | "write", decision?: "deny") => (v: string | true): FileRule | string =>
    v === "" ? "empty path" : { path: v === true ? "/**" : pathGlob(v), access, ...(decision && { decision }) };
  const net = (decision?: "deny") => (v: string | true) => (v === true ? { host: "*", ...(decision && { decision }) } : hostRule(v, decision));
  const name = (decision?: "deny") => (v: string | true): EnvRule => ({ name: v === true ? "*" : v, ...(decision && { decision }) });

  // Rules land in the lists in the order of these add() calls, which is what `next` counts.
  const files = add("files", "allowRead", file("read"));
  files.push(...add("files", "allowWrite", file("write")));
  files.push(...add("files", "denyRead", file("read", "deny")));
  files.push(...add("files", "denyWrite", file("write", "deny")));
  const input: PolicyInput = {
    ...base,
    files: [...base.files, ...files],
    network: [...base.network, ...add("network", "allowNet", net()), ...add("network", "denyNet", net("deny"))],
    env: [...base.env, ...add("env", "allowEnv", name()), ...add("env", "denyEnv", name("deny"))],
    secrets: [...base.secrets, ...add("secrets", "allowSecret", name()), ...add("secrets", "denySecret", name("deny"))],
    tools: [...base.tools, ...add("tools", "allowTool", name()), ...add("tools", "denyTool", name("deny"))],
    commands: [...base.commands, ...add("commands", "allowRun", name()), ...add("commands", "denyRun", name("deny"))],
  };
  try {
    const policy = parsePolicy(input);
    if (!issues.length) return policy;
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    issues.push(...error.issues.map((issue) => blameFlag(issue, origins)));
  }
  throw new PolicyError(issues);
}

function blameFlag(issue: PolicyIssue, origins: Map<string, string>): PolicyIssue {
  const rule = /^\w+\[\d+\]/.exec(issue.path)?.[0];
  const flag = rule === undefined ? undefined : origins.get(rule);
  if (flag === undefined) return issue;
  const eq = flag.indexOf("=");
  return { path: eq < 0 ? flag : flag.slice(0, eq), message: `${JSON.stringify(eq < 0 ? flag : flag.slice(eq + 1))}: ${issue.message}` };
}

/**
 * A path as Deno users mean it: relative to /workspace, `.` and `..` resolved
 * lexically, and, without wildcards, the path and everything below it.
 */
function pathGlob(value: string): string {
  const segments: string[] = [];
  for (const segment of (value.startsWith("/") ? value : `${WORKSPACE_ROOT}/${value}`).split("/")) {
    if (segment === "..") segments.pop();
    else if (segment !== "" && segment !== ".") segments.push(segment);
  }
  const path = `/${segments.join("/")}`;
  if (/[*?]/.test(path)) return path;
  return path === "/" ? "/**" : `${path}/**`;
}

/** `host`, `host:port`, `[ipv6]:port` or a bare IPv6 address; a reason in words when it is none of these. */
function hostRule(value: string, decision?: "deny"): NetworkRule | string {
  if (value.includes("://")) return "give host[:port], not a URL";
  const bracketed = /^(\[[^\]]*\])(?::(.*))?$/.exec(value);
  const colons = value.split(":").length - 1;
  const [host, portText] = bracketed ? [bracketed[1]!, bracketed[2]] : colons === 1 ? value.split(":") : [value, undefined];
  if (portText !== undefined && !/^\d+$/.test(portText)) return `port must be a number, not "${portText}"`;
  return { host: host!, ...(portText !== undefined && { port: Number(portText) }), ...(decision && { decision }) };
}
