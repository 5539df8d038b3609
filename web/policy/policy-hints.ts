import type { EngineName } from "../../wasm-runtime/index.ts";
import { unenforceable } from "../../wasm-runtime/engine/capability-matrix.ts";
import { compileNameGlob, compilePathGlob } from "../../wasm-runtime/policy/glob.ts";
import type { FileRule, NetworkRule, Policy, RuleDecision } from "../../wasm-runtime/policy/index.ts";

/** The rule lists the visual editor shows as rows. */
export type RuleList = "files" | "network" | "env" | "secrets" | "tools";

/** Something the person should know about a rule: where it bites, in words. */
export interface RuleHint {
  list: RuleList;
  index: number;
  severity: "info" | "warn";
  message: string;
}

/** A rule's decision: `allow` when omitted, except a file rule with access `none`, which always denies. */
const decisionOf = (rule: { decision?: RuleDecision | undefined; access?: string }): RuleDecision => rule.decision ?? (rule.access === "none" ? "deny" : "allow");

/** A path a glob matches, standing for all of them: each wildcard as a plain name. */
const samplePath = (glob: string) => glob.replace(/\*\*/g, "x").replace(/[*?]/g, "x");

/** Whether allow rule `a` grants all that rule `b` is about (its sample path, its access: write implies read). */
function fileAllowCovers(a: FileRule, b: FileRule): boolean {
  return compilePathGlob(a.path)(samplePath(b.path)) && (a.access === "write" || b.access === "read");
}

/** Whether deny rule `d` denies all that rule `b` grants: a deny with `write` leaves reads, one with `none` denies both. */
function fileDenyCovers(d: FileRule, b: FileRule): boolean {
  return compilePathGlob(d.path)(samplePath(b.path)) && (d.access === "none" || (d.access === "read" && b.access === "read"));
}

function hostCovers(a: NetworkRule, b: NetworkRule): boolean {
  const host = a.host.toLowerCase();
  const other = b.host.toLowerCase();
  const hostMatches = host === "*" || host === other || (host.startsWith("*.") && other.endsWith(host.slice(1)));
  return hostMatches && (a.port === undefined || a.port === b.port) && a.methods === undefined && a.pathPrefix === undefined;
}

const nameCovers = (a: { name: string }, b: { name: string }) => compileNameGlob(a.name)(samplePath(b.name));

const label: Record<RuleList, (rule: never) => string> = {
  files: (rule: FileRule) => rule.path,
  network: (rule: NetworkRule) => rule.host,
  env: (rule: { name: string }) => rule.name,
  secrets: (rule: { name: string }) => rule.name,
  tools: (rule: { name: string }) => rule.name,
};

/**
 * Precedence where it bites: deny beats allow and ask, allow beats ask, order
 * never matters (wasm-runtime/policy/schema.ts). An ask rule under an allow
 * never prompts; an allow under a deny never applies.
 */
function precedenceHints<R extends { decision?: RuleDecision | undefined }>(
  list: RuleList,
  rules: readonly R[],
  covers: (a: R, b: R) => boolean,
  denyCovers: (d: R, b: R) => boolean = covers,
): RuleHint[] {
  const hints: RuleHint[] = [];
  const name = (i: number) => `${list}[${i}] ${JSON.stringify((label[list] as (rule: R) => string)(rules[i]!))}`;
  rules.forEach((rule, i) => {
    const decision = decisionOf(rule);
    if (decision === "deny") return;
    const denier = rules.findIndex((other) => decisionOf(other) === "deny" && denyCovers(other, rule));
    if (denier >= 0) {
      hints.push({ list, index: i, severity: "warn", message: `never applies: ${name(denier)} denies it (deny beats ${decision}, whatever the order)` });
      return;
    }
    if (decision !== "ask") return;
    const allower = rules.findIndex((other, j) => j !== i && decisionOf(other) === "allow" && covers(other, rule));
    if (allower >= 0) hints.push({ list, index: i, severity: "warn", message: `never prompts: ${name(allower)} allows it (allow beats ask, whatever the order)` });
  });
  return hints;
}

/** A grant that does nothing alone: what else the guest needs to use it. */
function incompleteGrants(policy: Policy): RuleHint[] {
  const hints: RuleHint[] = [];
  const toolAllowed = (tool: string) =>
    policy.tools.some((t) => decisionOf(t) !== "deny" && compileNameGlob(t.name)(tool)) && !policy.tools.some((t) => decisionOf(t) === "deny" && compileNameGlob(t.name)(tool));
  policy.secrets.forEach((rule, index) => {
    if (decisionOf(rule) === "deny") return;
    if (!toolAllowed("secrets")) {
      hints.push({ list: "secrets", index, severity: "warn", message: 'the guest reads a secret through the "secrets" tool, which no rule grants: add a tools rule for "secrets"' });
    }
    if ((rule.hosts?.length ?? 0) > 0 && !toolAllowed("http")) {
      hints.push({ list: "secrets", index, severity: "warn", message: 'hosts bind the secret to the "http" tool, which no rule grants: add a tools rule for "http"' });
    }
  });
  policy.network.forEach((rule, index) => {
    if (decisionOf(rule) !== "deny" && !toolAllowed("http")) {
      hints.push({ list: "network", index, severity: "warn", message: 'WASI has no sockets: the guest reaches hosts only through the "http" tool, which no rule grants' });
    }
  });
  return hints;
}

/** Every hint about `policy`'s rules. */
export function policyHints(policy: Policy): RuleHint[] {
  return [
    ...precedenceHints("files", policy.files, fileAllowCovers, fileDenyCovers),
    ...precedenceHints("network", policy.network, hostCovers),
    ...precedenceHints("env", policy.env, nameCovers),
    ...precedenceHints("secrets", policy.secrets, nameCovers),
    ...precedenceHints("tools", policy.tools, nameCovers),
    ...incompleteGrants(policy),
  ];
}

/** What the current engine cannot enforce of `policy` (it refuses such a run), in words; empty when it enforces all of it. */
export function engineGaps(engine: EngineName, policy: Policy): string[] {
  return unenforceable(engine, policy);
}
