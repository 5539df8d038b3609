/** A policy in words, one line per capability, for the page and the CLI. */
import { networkRuleLabel } from "./decide.ts";
import type { FileRule, Limits, Policy, RuleDecision } from "./schema.ts";

/**
 * Always eight lines, in this order: files, network, env, secrets, tools,
 * clock, random, limits; e.g. `files: read/write /workspace/**` ·
 * `network: none` · … · `limits: 10 s wall, 512 MiB memory, …`.
 * Secrets are listed by name only: their values are never in a policy.
 */
export function describePolicy(policy: Policy): string[] {
  return [
    `files: ${list(policy.files.map(describeFileRule))}`,
    `network: ${list(policy.network.map((r) => withDecision(networkRuleLabel(r), r.decision)))}`,
    `env: ${list(policy.env.map((r) => withDecision(r.name, r.decision)))}`,
    `secrets: ${list(policy.secrets.map((r) => withDecision(r.name, r.decision)))}`,
    `tools: ${list(policy.tools.map((r) => withDecision(r.perMinute === undefined ? r.name : `${r.name} (${r.perMinute}/min)`, r.decision)))}`,
    `clock: ${policy.clock.resolutionMs > 0 ? `${policy.clock.resolutionMs} ms resolution` : "real"}`,
    `random: ${policy.random.seed === null ? "real" : `seeded (${policy.random.seed})`}`,
    `limits: ${describeLimits(policy.limits)}`,
  ];
}

function list(items: string[]): string {
  return items.length ? items.join(", ") : "none";
}

function withDecision(label: string, decision: RuleDecision | undefined): string {
  if (decision === "deny") return `deny ${label}`;
  return decision === "ask" ? `${label} (ask)` : label;
}

function describeFileRule(rule: FileRule): string {
  if (rule.access === "none") return `deny read/write ${rule.path}`;
  // A write grant covers reads too; a write deny does not (see fileRuleSchema).
  const what = rule.access === "write" && rule.decision !== "deny" ? "read/write" : rule.access;
  return withDecision(`${what} ${rule.path}`, rule.decision);
}

function describeLimits(limits: Limits): string {
  return [
    `${limits.wallMs % 1000 === 0 ? `${limits.wallMs / 1000} s` : `${limits.wallMs} ms`} wall`,
    `${limits.memoryMiB} MiB memory`,
    `${bytes(limits.stdoutBytes)} stdout`,
    `${bytes(limits.stderrBytes)} stderr`,
    `${bytes(limits.workspaceBytes)} workspace`,
    `${limits.hostCallsPerSecond} host calls/s`,
  ].join(", ");
}

function bytes(n: number): string {
  for (const [unit, size] of [["GiB", 2 ** 30], ["MiB", 2 ** 20], ["KiB", 2 ** 10]] as const) {
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n} bytes`;
}
