/**
 * Denials an agent can act on: from a request and the verdict that refused
 * it, the smallest grant that would allow it — as a CLI flag and as a policy
 * fragment — or, when no grant can (a deny rule, the runtime's own files), the
 * honest reason. This is the one place fixes are computed; `decide.ts` stays
 * the one place decisions are made, and the tests prove each fix against it.
 */
import { describeResource, type AccessRequest, type AuditEvent, type Verdict } from "../capabilities.ts";
import { ADDRESS_NOT_GRANTED, COMMAND_NOT_FOUND_RULE, connectedAddresses, DEFAULT_RULE, INVALID_PATH_RULE, NAME_NOT_GRANTED, PROCESS_CONTROL_RULE, RUNTIME_RULE } from "./decide.ts";
import { canonicalHost, isIpAddress, parseHostPattern, specialRange } from "./hosts.ts";
import { PROTECTED_RULE } from "./protected.ts";
import { parsePolicy, type CommandRule, type FileRule, type NetworkRule, type Policy, type PolicyInput, type ToolRule } from "./schema.ts";

/** Rules and limits to add to a policy (withFragment): rules are appended, limits replace the policy's own. */
export interface PolicyFragment {
  files?: FileRule[];
  network?: NetworkRule[];
  env?: { name: string }[];
  secrets?: { name: string }[];
  tools?: ToolRule[];
  commands?: CommandRule[];
  limits?: Partial<Policy["limits"]>;
}

/** How to get a denied request allowed next time. */
export interface DenialFix {
  /**
   * One command-line argument that grants it (`--allow-read=/workspace/data.csv`),
   * or null when no flag can: a deny rule decided (flags only add rules), the
   * runtime's files, or a name a flag cannot spell (a comma, a wildcard).
   * Like every `--allow-read/--allow-write` path, the flag also covers what
   * is below the path (Deno's meaning); `policy` is exact.
   */
  flag: string | null;
  /** The smallest policy fragment that grants it (exact path, host, port, method and path prefix), or null as for `flag`. */
  policy: PolicyFragment | null;
  /** The deny rule that decided: no grant overrides it, it has to be removed (or narrowed) by whoever owns the policy. */
  remove?: string;
  /**
   * The guest path of the read-only mount a denied write lies in: no rule
   * makes it writable, mounting it read-write does (the CLI then fills `flag`
   * with its `--mount HOSTDIR:GUESTDIR`, which it alone knows).
   */
  mount?: string;
  /** The fix in one sentence, for people and for the guest's stderr. */
  text: string;
}

/** Prefix of the rule named when a tool call is over a rate limit (tools/rate-limit.ts). */
export const RATE_LIMIT_RULE = "rate limit";
export const rateLimitRule = (limit: number, per: "s" | "min") => `${RATE_LIMIT_RULE} (${limit}/${per})`;
/** Prefix of the rule named when a person answered an `ask` (or nobody could). */
export const ANSWERED_RULE = "answered";

/** An audit event for a final decision; a denial carries its fix (`readOnlyMount`: see fixFor). */
export function auditEvent(runId: string, request: AccessRequest, decision: "allow" | "deny", rule: string, syscall: string, readOnlyMount?: string): AuditEvent {
  return {
    time: Date.now(),
    runId,
    capability: request.capability,
    resource: describeResource(request),
    ...(request.capability === "file" && { access: request.access }),
    decision,
    rule,
    syscall,
    ...(decision === "deny" && { fix: fixFor(request, { decision, rule }, readOnlyMount) }),
  };
}

/**
 * The smallest grant that turns this denial into an allow, or why there is
 * none. `readOnlyMount`: the mount a denied file write lies in, when it is
 * read-only (the engine knows its mounts): a file rule would change nothing there.
 */
export function fixFor(request: AccessRequest, verdict: Verdict, readOnlyMount?: string): DenialFix {
  const { rule } = verdict;
  if (rule === RUNTIME_RULE) return none("files under /playpen belong to the runtime: they are never writable, whatever the policy");
  if (rule === INVALID_PATH_RULE) return none("the path is not absolute and resolved, so no rule can grant it");
  if (rule === COMMAND_NOT_FOUND_RULE) return none("the sandbox has no such command: it has busybox's applets (ls, wc, grep…), sh, python, sqlite3, lua, qjs, ruby, and .wasm files run by path");
  if (rule === PROCESS_CONTROL_RULE) return none("a sandboxed program cannot signal or list processes: each command it starts runs to its end within the run's time limit");
  if (rule.startsWith(RATE_LIMIT_RULE)) return rateLimitFix(rule);
  const ungranted = rule === DEFAULT_RULE || rule.startsWith(ANSWERED_RULE) || rule.endsWith(ADDRESS_NOT_GRANTED) || rule.endsWith(NAME_NOT_GRANTED);
  if (ungranted && readOnlyMount !== undefined && request.capability === "file" && request.access === "write") {
    const text = `${request.path} is in the read-only mount ${readOnlyMount}, which no file rule makes writable: mount it read-write (--mount HOSTDIR:${readOnlyMount} without :ro; on the page, the folder's read-only switch)`;
    return { flag: null, policy: null, mount: readOnlyMount, text };
  }
  const grant = grantFor(request, rule.endsWith(ADDRESS_NOT_GRANTED));
  const how = grant.flag !== null ? `allow it with ${grant.flag} or the policy rules ${JSON.stringify(grant.policy)}` : grant.policy ? `allow it with the policy rules ${JSON.stringify(grant.policy)}` : grant.text;
  if (ungranted) return { ...grant, text: how };
  if (rule.startsWith(PROTECTED_RULE)) return { ...grant, text: `a writable mount leaves this path read-only (the host may run or trust it): ${how}` };
  // Any other rule that denied is a deny rule of the policy: adding a grant would change nothing.
  return {
    flag: null,
    policy: null,
    remove: rule,
    text: `no grant overrides a deny rule: remove or narrow it in the policy${grant.policy ? `, then ${how}` : ""}`,
  };
}

/** The one line a denial prints on the guest's stderr. */
export function explainDenial(event: Pick<AuditEvent, "capability" | "resource" | "access" | "rule" | "fix">): string {
  const what = event.capability === "file" ? `${event.access ?? "access"} ${event.resource}` : `${event.capability} ${event.resource}`;
  return `playpen: denied ${what} by ${event.rule}; ${event.fix?.text ?? "no fix known"}`;
}

/** The policy with a fix's fragment applied: its rules appended, its limits replacing the policy's. Throws PolicyError if the result is invalid. */
export function withFragment(policy: Policy, fragment: PolicyFragment): Policy {
  const input: PolicyInput = {
    ...policy,
    files: [...policy.files, ...(fragment.files ?? [])],
    network: [...policy.network, ...(fragment.network ?? [])],
    env: [...policy.env, ...(fragment.env ?? [])],
    secrets: [...policy.secrets, ...(fragment.secrets ?? [])],
    tools: [...policy.tools, ...(fragment.tools ?? [])],
    commands: [...policy.commands, ...(fragment.commands ?? [])],
    limits: { ...policy.limits, ...fragment.limits },
  };
  return parsePolicy(input);
}

function none(text: string): DenialFix {
  return { flag: null, policy: null, text };
}

/** A flag value is split on commas and read as a glob; a name with those characters cannot be a flag. */
const FLAG_UNSAFE = /[,*?]/;
/** Policy globs have no escape: a literal `*` or `?` in a name would widen the rule. */
const GLOB_CHARS = /[*?]/;

/** `nameGranted`: a network request whose name a rule grants, refused for an address it connects to. */
function grantFor(request: AccessRequest, nameGranted: boolean): DenialFix {
  switch (request.capability) {
    case "file": {
      if (request.access === "move") return none(`a move is refused when it would change what the rules decide for a path it carries: give ${request.to} the same rules as ${request.path}, or move it elsewhere`);
      if (GLOB_CHARS.test(request.path)) return none(`the path ${request.path} contains * or ?, which every rule reads as a wildcard: rename the file`);
      const flag = request.path === "/" || FLAG_UNSAFE.test(request.path) ? null : `--allow-${request.access}=${request.path}`;
      return { flag, policy: { files: [{ path: request.path, access: request.access }] }, text: "" };
    }
    case "network": {
      const host = canonicalHost(request.host) ?? request.host;
      const exactly = (target: string): NetworkRule => ({
        host: target,
        port: request.port,
        ...(request.method !== undefined && { methods: [request.method.toUpperCase()] }),
        ...(request.path !== undefined && request.path !== "/" && { pathPrefix: request.path.replace(/[?#].*$/s, "") }),
      });
      // The name needs a rule unless one granted it already (an address written as the host always does).
      const named = !nameGranted || isIpAddress(host);
      // A name never grants a loopback or private address it resolves to (but a `localhost` rule its loopback): each needs its own rule.
      const pattern = parseHostPattern(host);
      const resolved = request.addresses?.map((address) => canonicalHost(address) ?? address);
      const special = connectedAddresses(host, resolved).filter(
        (address) => address !== host && specialRange(address) !== undefined && !(named && typeof pattern !== "string" && pattern.grantsSpecial(address)),
      );
      const rules = [...(named ? [exactly(host)] : []), ...special.map(exactly)];
      const flag = `--allow-net=${rules.map((rule) => `${rule.host.includes(":") ? `[${rule.host}]` : rule.host}:${request.port}`).join(",")}`;
      return { flag, policy: { network: rules }, text: "" };
    }
    case "env":
    case "secret":
    case "tool":
    case "command": {
      if (GLOB_CHARS.test(request.name)) return none(`the name ${request.name} contains * or ?, which every rule reads as a wildcard`);
      const flag = FLAG_UNSAFE.test(request.name) ? null : `--allow-${request.capability === "command" ? "run" : request.capability}=${request.name}`;
      const list = { secret: "secrets", tool: "tools", command: "commands", env: "env" }[request.capability];
      return { flag, policy: { [list]: [{ name: request.name }] }, text: "" };
    }
    case "clock":
    case "random":
      return none(`${request.capability} is always allowed`);
  }
}

function rateLimitFix(rule: string): DenialFix {
  const match = /\((\d+)\/(s|min)\)/.exec(rule);
  if (match?.[2] === "s") {
    const higher = Math.min(100_000, Number(match[1]) * 2);
    return { flag: null, policy: { limits: { hostCallsPerSecond: higher } }, text: `tool calls are over ${match[1]} per second: wait, or raise limits.hostCallsPerSecond, e.g. ${JSON.stringify({ limits: { hostCallsPerSecond: higher } })}` };
  }
  return none(`this tool's calls are over its perMinute: wait, or raise perMinute in its rule (the lowest matching perMinute applies)`);
}

/** One distinct denial of a run, as `--json` reports it: the fields an agent needs to retry or ask. */
export interface Denial {
  capability: AuditEvent["capability"];
  resource: string;
  access?: AuditEvent["access"];
  rule: string;
  fix: DenialFix;
  /** How many times the run was refused this. */
  count: number;
}

/** The run's denials, each distinct (capability, resource, access, rule) once, in the order first met. */
export function denialsOf(events: readonly AuditEvent[]): Denial[] {
  const byKey = new Map<string, Denial>();
  for (const event of events) {
    if (event.decision !== "deny" || !event.fix) continue;
    const key = JSON.stringify([event.capability, event.resource, event.access, event.rule]);
    const seen = byKey.get(key);
    if (seen) seen.count += event.count ?? 1;
    else byKey.set(key, { capability: event.capability, resource: event.resource, ...(event.access && { access: event.access }), rule: event.rule, fix: event.fix, count: event.count ?? 1 });
  }
  return [...byKey.values()];
}
