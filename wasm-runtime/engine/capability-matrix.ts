import { compilePolicy, WORKSPACE_ROOT, type Policy } from "../policy/index.ts";
import type { EngineName } from "../types.ts";

export type Support = "enforced" | "partly" | "not enforced";

export interface MatrixRow {
  capability: string;
  engines: Record<EngineName, { support: Support; how: string }>;
}

/** What each engine can and cannot enforce, stated plainly: the page shows this table as it is. */
export const CAPABILITY_MATRIX: readonly MatrixRow[] = [
  {
    capability: "Files",
    engines: {
      gated: {
        support: "enforced",
        how: "Every path is resolved (.., symlinks) and checked against the rules on each call; deny, allow or ask. A rename or symlink that would change any file's decision is refused.",
      },
      wasmer: { support: "partly", how: "The guest sees only /workspace and reads and writes all of it; no per-path rules, no ask." },
    },
  },
  {
    capability: "Network",
    engines: {
      gated: { support: "enforced", how: "WASI preview1 has no sockets: nothing leaves the sandbox except through granted tools." },
      wasmer: { support: "enforced", how: "Networking is off; no destination can be granted." },
    },
  },
  {
    capability: "Environment and secrets",
    engines: {
      gated: { support: "enforced", how: "Each variable and secret is decided (or asked) before the start; the rest are absent." },
      wasmer: { support: "enforced", how: "Same decisions, made before the start." },
    },
  },
  {
    capability: "Clock and randomness",
    engines: {
      gated: { support: "enforced", how: "Clocks rounded to the policy's resolution; random bytes seeded when asked." },
      wasmer: { support: "not enforced", how: "Real clocks and real randomness only." },
    },
  },
  {
    capability: "Host tools",
    engines: {
      gated: { support: "enforced", how: "Each call is a decision with a rate limit." },
      wasmer: { support: "not enforced", how: "No host tools." },
    },
  },
  {
    capability: "Memory limit",
    engines: {
      gated: { support: "enforced", how: "The module's memory maximum is lowered before it is compiled." },
      wasmer: { support: "enforced", how: "The same module rewrite." },
    },
  },
  {
    capability: "Time limit, Stop, output caps",
    engines: {
      gated: { support: "enforced", how: "The guest's thread is terminated; output is cut in the thread." },
      wasmer: { support: "enforced", how: "The guest process is killed; output is cut as it streams." },
    },
  },
  {
    capability: "Workspace quota",
    engines: {
      gated: { support: "enforced", how: "Writes beyond the quota fail with ENOSPC." },
      wasmer: {
        support: "partly",
        how: "Checked when the run ends: a workspace over the quota makes the result an error and its changes are discarded; the guest's writes do not fail with ENOSPC while it runs.",
      },
    },
  },
  {
    capability: "Read-only mounts (/data)",
    engines: {
      gated: { support: "enforced", how: "Writes fail in the guest with EROFS (or EACCES from the policy)." },
      wasmer: {
        support: "partly",
        how: "Outside /workspace a mount is package files: the guest's writes succeed but only in its own copy, dropped when it ends. Inside /workspace, changes are undone after the run and listed as discarded writes. A writable mount must be inside /workspace.",
      },
    },
  },
  {
    capability: "Audit",
    engines: {
      gated: { support: "enforced", how: "Every decision is an event, with the call that asked." },
      wasmer: { support: "partly", how: "Only the environment decisions made before the start." },
    },
  },
];

/**
 * The parts of `policy` an engine cannot enforce, in words; empty when it can
 * enforce all of it. An engine refuses such a policy rather than ignore part.
 */
export function unenforceable(engine: EngineName, policy: Policy): string[] {
  if (engine === "gated") return [];
  const problems: string[] = [];
  const decider = compilePolicy(policy);
  const anyWorkspaceFile = `${WORKSPACE_ROOT}/any-file`;
  const workspaceOpen =
    decider.decide({ capability: "file", path: anyWorkspaceFile, access: "write" }).decision === "allow" &&
    policy.files.every((rule) => rule.access !== "none" && (rule.decision ?? "allow") === "allow");
  if (!workspaceOpen) problems.push("file rules other than read-write /workspace (per-path deny, read-only or ask)");
  if (policy.network.some((rule) => rule.decision !== "deny")) problems.push("network grants (the Wasmer engine runs with networking off)");
  if (policy.tools.some((rule) => rule.decision !== "deny")) problems.push("host tools");
  if (policy.clock.resolutionMs > 0) problems.push("a coarsened clock");
  if (policy.random.seed !== null) problems.push("seeded randomness");
  return problems;
}
