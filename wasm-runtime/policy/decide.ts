/**
 * The one place where a request meets the policy. Pure: no I/O, no clock, no
 * state beyond the compiled form of the policy, so the worker, the CLI and
 * tests get the same answer for the same (policy, request).
 */
import type { AccessRequest, Decision, FileAccess, SecretDestination, Verdict } from "../capabilities.ts";
import { compileNameGlob, compilePathGlob } from "./glob.ts";
import { canonicalHost, isIpAddress, isLocalhostName, isLocalNetworkName, LOOPBACK_ADDRESSES, parseHostPattern, specialRange, type HostPattern } from "./hosts.ts";
import { compileGuard, isMountGrant, namesProtectedPart, type MountGuard } from "./protected.ts";
import { RUNTIME_ROOT, type FileRule, type NetworkRule, type Policy, type RuleDecision, type SecretRule, type ToolRule } from "./schema.ts";

/** Rule name when nothing matched: every capability is denied unless granted. */
export const DEFAULT_RULE = "default (not granted)";
/** Rule name for files under RUNTIME_ROOT: readable whatever the file rules say, never writable. */
export const RUNTIME_RULE = "runtime (read-only)";
/** Rule name for a file path that is not absolute and resolved: the caller broke its contract, so fail closed. */
export const INVALID_PATH_RULE = "invalid path (not absolute and resolved)";
/** Rule name for a move that leaves every decision as it was. */
export const MOVE_RULE = "move (every decision kept)";
/** Rule name for a command the sandbox does not have (decided allowed, then not found): audited as a denial. */
export const COMMAND_NOT_FOUND_RULE = "command not found";
/** Rule name for signalling or listing processes: a sandboxed program has none to reach. */
export const PROCESS_CONTROL_RULE = "process control (not available in the sandbox)";
/** Rule name for a network request whose host (or a resolved address) is not a host name or IP address: fail closed. */
export const INVALID_HOST_RULE = "invalid host (not a host name or IP address)";
/**
 * End the rules named when no rule grants a destination outside the public
 * internet, an address (loopback, private…) or a local-network name: like the
 * default, a grant fixes them (denial.ts), one naming that address or name.
 */
export const ADDRESS_NOT_GRANTED = ": not granted (only a rule naming the address or its range grants it)";
export const NAME_NOT_GRANTED = ": not granted (only a rule naming it grants it)";

/** A policy compiled for fast, repeated decisions. */
export interface PolicyDecider {
  readonly policy: Policy;
  decide(request: AccessRequest): Verdict;
  /** The lowest perMinute among the allow/ask rules matching this tool; undefined when none sets one. */
  toolPerMinute(name: string): number | undefined;
}

/** Decides with a decider compiled once per policy object (policies are frozen, so the cache cannot go stale). */
export function decide(policy: Policy, request: AccessRequest): Verdict {
  let decider = cache.get(policy);
  if (!decider) cache.set(policy, (decider = compilePolicy(policy)));
  return decider.decide(request);
}

const cache = new WeakMap<Policy, PolicyDecider>();

/** A network request in canonical form: what will be connected to, and the path in every reading a server might give it. */
interface NetworkSubject {
  host: string;
  /** The addresses the connection may go to: the host itself when it is an address. */
  addresses: readonly string[];
  port: number;
  method: string | undefined;
  /** The path as sent and the path a server decoding it would see (percent-decoded, dot segments resolved). */
  paths: readonly string[] | undefined;
}

interface NetworkRuleCompiled {
  verdict: Verdict;
  host: HostPattern;
  /** Port, methods and path prefix (the host aside). */
  fits: (subject: NetworkSubject) => boolean;
}

interface CompiledRule<S> {
  verdict: Verdict;
  matches: (subject: S) => boolean;
  perMinute?: number;
}

const verdict = (decision: Decision, rule: string): Verdict => Object.freeze({ decision, rule });
const DEFAULT_VERDICT = verdict("deny", DEFAULT_RULE);
const RUNTIME_READ = verdict("allow", RUNTIME_RULE);
const RUNTIME_WRITE = verdict("deny", RUNTIME_RULE);
const INVALID_PATH = verdict("deny", INVALID_PATH_RULE);
const MOVE_KEEPS_DECISIONS = verdict("allow", MOVE_RULE);

/** Runtimes (CPython's `random`, `sqlite3`) look for these first and fall back to `random_get`. */
const RANDOM_DEVICES = new Set(["/dev/urandom", "/dev/random"]);

/** `//`, a `.` or `..` segment, or a trailing slash (the root aside). */
const NON_CANONICAL = /\/\/|\/\.\.?(?:\/|$)|.\/$/;

/** Compiles every glob once; use the decider for the whole run (decide() does this for you). */
export function compilePolicy(policy: Policy): PolicyDecider {
  const read: CompiledFileRule[] = [];
  const write: CompiledFileRule[] = [];
  policy.files.forEach((rule, i) => {
    const compiled = { verdict: verdict(fileDecision(rule), fileRuleName(rule, i)), matches: compilePathGlob(rule.path), path: rule.path };
    const covers = fileCoverage(rule);
    if (covers.read) read.push(compiled);
    if (covers.write) write.push(compiled);
  });
  const guards = policy.files.filter(isMountGrant).map(compileGuard);
  const files = { read: ordered(read), write: ordered(write), guards };
  const network = orderedBy(policy.network.map(compileNetworkRule), (rule) => rule.verdict);
  const env = ordered(policy.env.map((rule, i) => compileNameRule(rule, `env[${i}] ${JSON.stringify(rule.name)}`)));
  const secrets = ordered(policy.secrets.map(compileSecretRule));
  const tools = ordered(policy.tools.map(compileToolRule));
  const commands = ordered(policy.commands.map((rule, i) => compileNameRule(rule, `commands[${i}] ${JSON.stringify(rule.name)}`)));
  const clock = verdict("allow", policy.clock.resolutionMs > 0 ? `clock (coarsened to ${policy.clock.resolutionMs} ms)` : "clock (real)");
  const random = verdict("allow", policy.random.seed === null ? "random (real)" : `random (seeded ${policy.random.seed})`);

  return {
    policy,
    decide(request) {
      switch (request.capability) {
        case "file":
          // Reading a random device is asking for randomness, which is always granted (the sandbox has no such file: ENOENT).
          if (request.access === "read" && RANDOM_DEVICES.has(request.path)) return random;
          return request.access === "move" ? decideMove(files, request) : decideFile(files, request.path, request.access);
        case "network":
          return decideNetwork(network, request);
        case "env":
          return first(env, request.name);
        case "secret":
          return first(secrets, request);
        case "tool":
          return first(tools, request.name);
        case "command":
          return first(commands, request.name);
        case "clock":
          return clock;
        case "random":
          return random;
      }
    },
    toolPerMinute(name) {
      let lowest: number | undefined;
      for (const rule of tools) {
        if (rule.verdict.decision === "deny" || rule.perMinute === undefined || !rule.matches(name)) continue;
        lowest = Math.min(lowest ?? Infinity, rule.perMinute);
      }
      return lowest;
    },
  };
}

function decideFile(files: CompiledFiles, path: string, access: FileAccess): Verdict {
  if (!path.startsWith("/") || NON_CANONICAL.test(path)) return INVALID_PATH;
  if (path === RUNTIME_ROOT || path.startsWith(`${RUNTIME_ROOT}/`)) return access === "read" ? RUNTIME_READ : RUNTIME_WRITE;
  const decided = first(files[access], path);
  if (access === "read" || decided.decision === "deny") return decided;
  // A protected path of a writable mount: only a rule that names it decides; a broader grant does not reach it.
  for (const guard of files.guards) {
    const part = guard.protectedPart(path);
    if (part === undefined) continue;
    return files.write.find((rule) => rule.matches(path) && namesProtectedPart(rule.path, part))?.verdict ?? verdict("deny", guard.rule);
  }
  return decided;
}

/** A file rule keeps its pattern: whether it names a protected path is read from it. */
type CompiledFileRule = CompiledRule<string> & { path: string };
type CompiledFiles = { read: CompiledFileRule[]; write: CompiledFileRule[]; guards: MountGuard[] };
type MoveRequest = Extract<AccessRequest, { access: "move" }>;

/**
 * The invariant that a path's decision can never be changed by the guest's own
 * operations: a move (rename, link, symlink) is allowed only when every node it
 * carries — the moved one and each path below it — is decided the same for
 * reading and for writing under its old path and its new one. Otherwise it is
 * denied, naming the rule that would stop holding (or start to) and where.
 * Whether the guest may read and write the two paths themselves is asked as
 * ordinary requests by the caller.
 */
function decideMove(files: CompiledFiles, { path, to, below }: MoveRequest): Verdict {
  for (const relative of ["", ...below]) {
    const from = joinPath(path, relative);
    const onto = joinPath(to, relative);
    for (const access of ["read", "write"] as const) {
      const before = decideFile(files, from, access);
      const after = decideFile(files, onto, access);
      if (before.decision === after.decision) continue;
      const rule = before.decision === "allow" ? after.rule : before.rule;
      return verdict("deny", `${rule}: moving ${from} to ${onto} would change its ${access} decision (${before.decision} → ${after.decision})`);
    }
  }
  return MOVE_KEEPS_DECISIONS;
}

function joinPath(base: string, relative: string): string {
  return base === "/" ? relative || "/" : base + relative;
}

/** The rules are sorted deny, allow, ask, so the first match is the answer: deny beats allow beats ask, whatever the document order. */
function first<S>(rules: readonly CompiledRule<S>[], subject: S): Verdict {
  for (const rule of rules) if (rule.matches(subject)) return rule.verdict;
  return DEFAULT_VERDICT;
}

const RANK: Record<Decision, number> = { deny: 0, allow: 1, ask: 2 };

/** Array.prototype.sort is stable, so among equals the earlier rule in the document is named. */
function ordered<R extends { verdict: Verdict }>(rules: R[]): R[] {
  return orderedBy(rules, (rule) => rule.verdict);
}

function orderedBy<R>(rules: R[], verdictOf: (rule: R) => Verdict): R[] {
  return rules.sort((a, b) => RANK[verdictOf(a).decision] - RANK[verdictOf(b).decision]);
}

function fileDecision(rule: FileRule): RuleDecision {
  return rule.access === "none" ? "deny" : (rule.decision ?? "allow");
}

/** What a file rule covers; see the table on fileRuleSchema. */
function fileCoverage(rule: FileRule): Record<FileAccess, boolean> {
  const deny = fileDecision(rule) === "deny";
  switch (rule.access) {
    case "read":
      return { read: true, write: false };
    case "write":
      return { read: !deny, write: true };
    case "none":
      return { read: true, write: true };
  }
}

function suffix(decision: RuleDecision | undefined): string {
  return decision === undefined || decision === "allow" ? "" : ` (${decision})`;
}

function fileRuleName(rule: FileRule, i: number): string {
  return `files[${i}] ${JSON.stringify(rule.path)} ${rule.access}${rule.access === "none" ? "" : suffix(rule.decision)}`;
}

function compileNameRule(rule: { name: string; decision?: RuleDecision | undefined }, name: string): CompiledRule<string> {
  return { verdict: verdict(rule.decision ?? "allow", name + suffix(rule.decision)), matches: compileNameGlob(rule.name) };
}

/**
 * A secret rule matches reading the secret by name; sending it somewhere only
 * when it is a deny rule (deny covers every use) or binds that destination.
 */
function compileSecretRule(rule: SecretRule, i: number): CompiledRule<{ name: string; destination?: SecretDestination }> {
  const { verdict: v, matches: name } = compileNameRule(rule, `secrets[${i}] ${JSON.stringify(rule.name)}`);
  // parsePolicy refused a pattern that does not parse; one that did not would bind nothing.
  const hosts = (rule.hosts ?? []).map(parseHostPattern).filter((h): h is HostPattern => typeof h !== "string");
  const tools = (rule.tools ?? []).map(compileNameGlob);
  const deny = v.decision === "deny";
  return {
    verdict: v,
    matches: ({ name: secret, destination }) => {
      if (!name(secret)) return false;
      if (!destination || deny) return true;
      if ("host" in destination) {
        const host = canonicalHost(destination.host);
        return host !== undefined && hosts.some((pattern) => pattern.names(host));
      }
      return tools.some((tool) => tool(destination.tool));
    },
  };
}

function compileToolRule(rule: ToolRule, i: number): CompiledRule<string> {
  const limit = rule.perMinute === undefined ? "" : ` ${rule.perMinute}/min`;
  return { ...compileNameRule(rule, `tools[${i}] ${JSON.stringify(rule.name)}${limit}`), perMinute: rule.perMinute };
}

/** `host[:port][pathPrefix]` or `host[:port] METHODS [pathPrefix]`, e.g. `api.example.com:443 GET,POST /v1`. */
export function networkRuleLabel(rule: NetworkRule): string {
  const [address, bits] = rule.host.split("/");
  const host = address!.includes(":") && !address!.startsWith("[") ? `[${address}]${bits === undefined ? "" : `/${bits}`}` : rule.host;
  const port = rule.port === undefined ? "" : `:${rule.port}`;
  const methods = rule.methods ? ` ${rule.methods.join(",").toUpperCase()}${rule.pathPrefix ? " " : ""}` : "";
  return `${host}${port}${methods}${rule.pathPrefix ?? ""}`;
}

function compileNetworkRule(rule: NetworkRule, i: number): NetworkRuleCompiled {
  const decision = rule.decision ?? "allow";
  // A deny rule matches a request it cannot fully check (no method, no path) and any reading of the path;
  // an allow or ask rule matches only when every reading is inside its prefix.
  const deny = decision === "deny";
  const host = parseHostPattern(rule.host);
  if (typeof host === "string") throw new Error(`network[${i}].host: ${host}`); // parsePolicy refused it already
  const methods = rule.methods && new Set(rule.methods.map((m) => m.toUpperCase()));
  const prefix = rule.pathPrefix === undefined ? undefined : normalizeUrlPath(rule.pathPrefix);
  const inPrefix = (path: string) => hasPathPrefix(path, prefix!);
  return {
    verdict: verdict(decision, `network[${i}] ${JSON.stringify(networkRuleLabel(rule))}${suffix(rule.decision)}`),
    host,
    fits: (req) =>
      (rule.port === undefined || req.port === rule.port) &&
      (methods === undefined || (req.method === undefined ? deny : methods.has(req.method))) &&
      (prefix === undefined || (req.paths === undefined ? deny : deny ? req.paths.some(inPrefix) : req.paths.every(inPrefix))),
  };
}

const INVALID_HOST = verdict("deny", INVALID_HOST_RULE);

/**
 * Deny rules stop a request when they name its host or reach any address it
 * may connect to. Otherwise an allow/ask rule must name the host, and every
 * address outside the public internet must be granted by a rule that writes
 * that address or its range out (a name or `*` never grants loopback or a
 * private network: DNS can point any name there).
 */
function decideNetwork(rules: readonly NetworkRuleCompiled[], request: AccessRequest & { capability: "network" }): Verdict {
  const host = canonicalHost(request.host);
  if (host === undefined) return INVALID_HOST;
  const resolved = request.addresses?.map(canonicalHost);
  if (resolved?.some((a) => a === undefined || !isIpAddress(a))) return INVALID_HOST;
  const addresses = connectedAddresses(host, resolved as string[] | undefined);
  const path = request.path?.replace(/[?#].*$/s, "");
  const subject: NetworkSubject = {
    host,
    addresses,
    port: request.port,
    method: request.method?.toUpperCase(),
    paths: path === undefined ? undefined : [...new Set([path, normalizeUrlPath(path)])],
  };
  const fitting = rules.filter((rule) => rule.fits(subject));
  const denial = fitting.find((rule) => rule.verdict.decision === "deny" && (rule.host.names(host) || addresses.some((a) => rule.host.reaches(a))));
  if (denial) return denial.verdict;
  const grants = fitting.filter((rule) => rule.verdict.decision !== "deny");
  // Unresolved (the browser), a local-network name stands for a private address: `*` does not grant it.
  const localName = !resolved && !isIpAddress(host) && isLocalNetworkName(host);
  const grant = grants.find((rule) => rule.host.names(host) && !(localName && rule.host.everything));
  if (!grant) return localName && grants.some((rule) => rule.host.names(host)) ? verdict("deny", `${host} is a local network name${NAME_NOT_GRANTED}`) : DEFAULT_VERDICT;
  let answer = grant.verdict;
  for (const address of addresses) {
    const range = specialRange(address);
    if (range === undefined) continue;
    const addressGrant = grants.find((rule) => rule.host.grantsSpecial(address));
    if (!addressGrant) return verdict("deny", `${address} is ${range}${ADDRESS_NOT_GRANTED}`);
    // The rule that grants the address is the one to name (and an ask among them is asked).
    if (address === host || addressGrant.verdict.decision === "ask") answer = addressGrant.verdict;
  }
  return answer;
}

/**
 * The addresses a request to `host` may connect to, each decided: the host
 * itself when it is an address, else what it resolved to; unresolved (the
 * browser), `localhost` names stand for the loopback addresses.
 */
export function connectedAddresses(host: string, resolved: readonly string[] | undefined): readonly string[] {
  return isIpAddress(host) ? [host] : (resolved ?? (isLocalhostName(host) ? LOOPBACK_ADDRESSES : []));
}

/**
 * The path a server may act on: percent-decoded (again, up to 3 times, for
 * servers that decode twice), `\` as `/`, empty and dot segments resolved.
 * `/v1/..%2fadmin` is `/admin`.
 */
export function normalizeUrlPath(path: string): string {
  let decoded = path;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(decoded); i++) decoded = percentDecode(decoded);
  const segments: string[] = [];
  const parts = decoded.replace(/\\/g, "/").split("/");
  for (const part of parts) {
    if (part === "..") segments.pop();
    else if (part !== "" && part !== ".") segments.push(part);
  }
  const last = parts[parts.length - 1];
  const directory = segments.length > 0 && (last === "" || last === "." || last === "..");
  return `/${segments.join("/")}${directory ? "/" : ""}`;
}

function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      // Not UTF-8: each byte as the character of that code, which keeps `.` and `/` what they are.
      return run.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
  });
}

/** Whole segments only: `/v1` covers `/v1` and `/v1/x` but not `/v10`. */
function hasPathPrefix(path: string, prefix: string): boolean {
  return path === prefix || (path.startsWith(prefix) && (prefix.endsWith("/") || path[prefix.length] === "/"));
}
