/**
 * Whether one policy grants anything another does not, and where: what an
 * agent's proposed policy would add to what a person gave (the MCP server's
 * `propose_policy`). The one place this is decided.
 *
 * Conservative by design: a rule counts as covered only when one rule of the
 * base visibly covers it (same glob, a `/**` or `*` suffix above it, `*`);
 * whatever cannot be shown to be inside the base is reported as a widening,
 * so a person is asked rather than an agent let through. A rule a person
 * must never lose silently (a deny, a decoy, a protected path) missing from
 * the proposal is a widening too.
 */
import type { FileRule, NetworkRule, Policy, RuleDecision, SecretRule, ToolRule } from "./schema.ts";
import { canonicalHost, isIpAddress, isLocalhostName } from "./hosts.ts";

/** One thing the proposal grants that the base does not. */
export interface Widening {
  /** Where in the proposal, e.g. `network[0]`, `limits.wallMs`. */
  path: string;
  /** What it grants, in words. */
  what: string;
}

const RANK: Record<RuleDecision, number> = { deny: 0, ask: 1, allow: 2 };
const rank = (decision: RuleDecision | undefined) => RANK[decision ?? "allow"];
/** A deny rule: decision "deny", or a file rule with access "none" (which denies whatever its decision field says). */
const isDeny = (rule: { decision?: RuleDecision | undefined; access?: string }) => rule.decision === "deny" || rule.access === "none";

/** Everything `proposed` grants beyond `base`; empty when it is within it. */
export function wideningsOf(base: Policy, proposed: Policy): Widening[] {
  return [
    ...grants(proposed.files, base.files, "files", fileCovers, (r) => `${r.access} ${r.path}`),
    ...grants(proposed.network, base.network, "network", networkCovers, describeNetwork),
    ...grants(proposed.env, base.env, "env", (a, b) => nameCovers(a.name, b.name), (r) => `the variable ${r.name}`),
    ...grants(proposed.secrets, base.secrets, "secrets", secretCovers, (r) => `the secret ${r.name}${r.hosts ? ` sent to ${r.hosts.join(", ")}` : ""}${r.tools ? ` through ${r.tools.join(", ")}` : ""}`),
    ...grants(proposed.tools, base.tools, "tools", toolCovers, (r) => `the tool ${r.name}${r.perMinute ? ` (${r.perMinute}/min)` : ""}`),
    ...lostDenials(base, proposed),
    ...limitWidenings(base, proposed),
    ...detectionWidenings(base, proposed),
  ];
}

/** Each allow/ask rule of `proposed` that no rule of `base` with as strong a decision covers. */
function grants<R extends { decision?: RuleDecision | undefined }>(proposed: readonly R[], base: readonly R[], list: string, covers: (a: R, b: R) => boolean, describe: (rule: R) => string): Widening[] {
  return proposed.flatMap((rule, i) => {
    if (isDeny(rule)) return [];
    const covered = base.some((b) => rank(b.decision) >= rank(rule.decision) && covers(b, rule));
    return covered ? [] : [{ path: `${list}[${i}]`, what: `${rule.decision === "ask" ? "asks for" : "allows"} ${describe(rule)}` }];
  });
}

/** A deny rule of the base that the proposal drops (compared without its note). */
function lostDenials(base: Policy, proposed: Policy): Widening[] {
  const lists = ["files", "network", "env", "secrets", "tools"] as const;
  return lists.flatMap((list) => {
    const kept = new Set((proposed[list] as readonly { decision?: RuleDecision }[]).filter(isDeny).map(withoutNote));
    return (base[list] as readonly { decision?: RuleDecision }[]).flatMap((rule, i) => (isDeny(rule) && !kept.has(withoutNote(rule)) ? [{ path: `${list}`, what: `drops the deny rule ${list}[${i}] ${withoutNote(rule)}` }] : []));
  });
}

function withoutNote(rule: object): string {
  const rest: Record<string, unknown> = { ...rule };
  delete rest.note;
  return JSON.stringify(rest, Object.keys(rest).sort());
}

function limitWidenings(base: Policy, proposed: Policy): Widening[] {
  const out: Widening[] = [];
  for (const key of ["wallMs", "memoryMiB", "stdoutBytes", "stderrBytes", "workspaceBytes", "hostCallsPerSecond"] as const) {
    if (proposed.limits[key] > base.limits[key]) out.push({ path: `limits.${key}`, what: `raises ${key} from ${base.limits[key]} to ${proposed.limits[key]}` });
  }
  if (proposed.clock.resolutionMs < base.clock.resolutionMs) out.push({ path: "clock.resolutionMs", what: `a finer clock (${proposed.clock.resolutionMs} ms instead of ${base.clock.resolutionMs} ms)` });
  if (base.random.seed !== null && proposed.random.seed === null) out.push({ path: "random.seed", what: "real randomness instead of a fixed seed" });
  return out;
}

/** Decoys and alert thresholds watch the agent: removing or loosening them widens what it can do unseen. */
function detectionWidenings(base: Policy, proposed: Policy): Widening[] {
  const out: Widening[] = [];
  const kept = (list: readonly object[]) => new Set(list.map((item) => JSON.stringify(item)));
  for (const kind of ["files", "env", "secrets"] as const) {
    const proposedDecoys = kept(proposed.decoys[kind]);
    if (base.decoys[kind].some((decoy) => !proposedDecoys.has(JSON.stringify(decoy)))) out.push({ path: `decoys.${kind}`, what: `removes a decoy (${kind})` });
  }
  if (proposed.alerts.denialsInARow > base.alerts.denialsInARow) out.push({ path: "alerts.denialsInARow", what: "raises the probing threshold (denials in a row)" });
  if (proposed.alerts.denialsPerSecond > base.alerts.denialsPerSecond) out.push({ path: "alerts.denialsPerSecond", what: "raises the probing threshold (denials per second)" });
  const protectedPaths = new Set(proposed.alerts.protectedPaths);
  const lost = base.alerts.protectedPaths.filter((p) => !protectedPaths.has(p));
  if (lost.length > 0) out.push({ path: "alerts.protectedPaths", what: `stops watching ${lost.join(", ")}` });
  return out;
}

// ---------------------------------------------------------------------------
// Coverage of one rule by another (both allow or ask)

/** `write` grants read too (schema.ts), so it covers both; `none` is never a grant. */
function fileCovers(a: FileRule, b: FileRule): boolean {
  if (a.access === "none" || (a.access === "read" && b.access !== "read")) return false;
  return pathGlobCovers(a.path, b.path);
}

/** `a` matches every path `b` does: equal, `/**`, or `P/**` over a glob below P. */
export function pathGlobCovers(a: string, b: string): boolean {
  if (a === b || a === "/**") return true;
  if (!a.endsWith("/**") || /[*?]/.test(a.slice(0, -3))) return false;
  const prefix = a.slice(0, -3);
  return b === prefix || b.startsWith(`${prefix}/`);
}

/** Names: equal, `*`, or `P*` over a name or glob starting with P. */
export function nameCovers(a: string, b: string): boolean {
  if (a === b || a === "*") return true;
  if (!a.endsWith("*") || /[*?]/.test(a.slice(0, -1))) return false;
  return b.startsWith(a.slice(0, -1));
}

function networkCovers(a: NetworkRule, b: NetworkRule): boolean {
  if (!hostCovers(a.host, b.host)) return false;
  if (a.port !== undefined && a.port !== b.port) return false;
  if (a.methods !== undefined) {
    const methods = new Set(a.methods.map((m) => m.toUpperCase()));
    if (b.methods === undefined || b.methods.some((m) => !methods.has(m.toUpperCase()))) return false;
  }
  if (a.pathPrefix !== undefined) {
    if (b.pathPrefix === undefined) return false;
    const prefix = a.pathPrefix.endsWith("/") ? a.pathPrefix : `${a.pathPrefix}/`;
    if (b.pathPrefix !== a.pathPrefix && !b.pathPrefix.startsWith(prefix)) return false;
  }
  return true;
}

/**
 * Host patterns: equal (canonically), `*` over a public name (it never grants
 * an address, a range or localhost), `*.d` over `x.d` or `*.x.d`. A range is
 * covered only by the same range.
 */
export function hostCovers(a: string, b: string): boolean {
  const canon = (h: string) => (h.startsWith("*.") ? `*.${canonicalHost(h.slice(2)) ?? h.slice(2)}` : h.includes("/") || h === "*" ? h : (canonicalHost(h) ?? h));
  const [ca, cb] = [canon(a), canon(b)];
  if (ca === cb) return true;
  const isName = (h: string) => !h.includes("/") && !isIpAddress(h.replace(/^\*\./, "")) && !isLocalhostName(h.replace(/^\*\./, "")) && h !== "*";
  if (ca === "*") return isName(cb);
  if (ca.startsWith("*.") && isName(cb)) return cb.replace(/^\*\./, "").endsWith(`.${ca.slice(2)}`);
  return false;
}

function secretCovers(a: SecretRule, b: SecretRule): boolean {
  if (!nameCovers(a.name, b.name)) return false;
  const bound = (outer: readonly string[] | undefined, inner: readonly string[] | undefined, covers: (x: string, y: string) => boolean) =>
    (inner ?? []).every((item) => (outer ?? []).some((o) => covers(o, item)));
  return bound(a.hosts, b.hosts, hostCovers) && bound(a.tools, b.tools, nameCovers);
}

function toolCovers(a: ToolRule, b: ToolRule): boolean {
  if (!nameCovers(a.name, b.name)) return false;
  return a.perMinute === undefined || (b.perMinute !== undefined && b.perMinute <= a.perMinute);
}

function describeNetwork(rule: NetworkRule): string {
  const port = rule.port !== undefined ? `:${rule.port}` : "";
  const methods = rule.methods ? ` ${rule.methods.join("/")}` : "";
  return `network to ${rule.host}${port}${rule.pathPrefix ?? ""}${methods}`;
}

/** The widenings as one paragraph for a person to approve or refuse. */
export function describeWidenings(widenings: readonly Widening[]): string {
  return widenings.map((w) => `- ${w.what} (${w.path})`).join("\n");
}
