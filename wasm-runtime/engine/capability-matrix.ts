import { RUNTIME_ROOT, WORKSPACE_ROOT, type FileRule, type Policy, type RuleDecision } from "../policy/index.ts";
import { networkRuleLabel } from "../policy/decide.ts";
import { compilePathGlob } from "../policy/glob.ts";
import type { EngineName } from "../types.ts";
import { WASMER_WASI_DIFFERENCES } from "./wasi-differences.ts";

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
      wasmer: {
        support: "partly",
        how: "The guest reads and writes all of /workspace; outside it there is no user file, only the runtime's files and empty scratch folders of the guest's own (/tmp, /etc…: writable, dropped when it exits), which no rule controls. No per-path rules, no ask: a policy is accepted only if its rules say exactly that (one read-write grant of all of /workspace, no other file rule, asks inside it overruled); otherwise the run is refused, naming each rule.",
      },
    },
  },
  {
    capability: "Network",
    engines: {
      gated: {
        support: "enforced",
        how: "Two ways out, one decision path (tools/network-decision.ts) and one exfiltration filter: the http tool, and ordinary code's sockets (Python's socket, http.client, urllib: each lookup, connection and, on a plaintext or host-encrypted stream, each HTTP request's method and path is decided before its bytes leave; TLS is done by the host). Each destination is decided on its canonical host (any IPv4 spelling, mapped IPv6, IDNA) and its decoded path; the CLI also resolves names, decides on every address (loopback and private ones only if a rule names them) and connects to the address decided on; each redirect hop is decided. In the browser ordinary code's sockets are refused (EOPNOTSUPP, saying to use the http tool: a page cannot open TCP connections) and the http tool goes through fetch, so CORS applies; a name is decided on its text there (local-network names such as .local need a rule naming them), so a granted public name whose DNS points to a private address is reachable.",
      },
      wasmer: { support: "enforced", how: "Networking is off: ordinary code's sockets fail (ENETUNREACH, saying the gated engine has a network); a policy that grants any destination is refused." },
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
    capability: "Commands and subprocesses",
    engines: {
      gated: {
        support: "partly",
        how: "The shell's commands and a Python program's subprocess.run, Popen, os.system and os.popen run as nested runs in the same sandbox, under the same policy, time limit and audit; the commands rules decide which may start (every start audited; a command the sandbox lacks fails as not found, audited), and os.kill is an audited denial. A child runs to its end before the parent goes on (no concurrency, no signals), sees the sandbox's files as they were when the parent started, and what it writes is not kept.",
      },
      wasmer: { support: "partly", how: "The shell's commands are decided by the commands rules; a program's own subprocesses cannot start (no host channel)." },
    },
  },
  {
    capability: "Host tools",
    engines: {
      gated: { support: "enforced", how: "Each call is a decision with a rate limit." },
      wasmer: { support: "not enforced", how: "No host tools; a policy that grants one is refused." },
    },
  },
  {
    capability: "Exfiltration filter, decoys, alerts",
    engines: {
      gated: { support: "enforced", how: "Secrets and decoys hidden in output (both streams read as one), files, audit and traces; tool requests carrying one go only where it is bound; decoys planted and watched." },
      wasmer: { support: "partly", how: "Output, files and audit filtered, and alerts on what it sees; no decoys (it cannot see a file being opened); the SDK may reorder the two streams." },
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
    capability: "WASI preview1 semantics",
    engines: {
      gated: { support: "enforced", how: "Answers as Node's node:wasi does, call by call and errno by errno (rights included), except where Node departs from the WASI spec. Hard links are real (shared file, link count) and decided like a move. Stdin is reported as node:wasi reports a pipe (not a terminal), stdout and stderr as it reports a terminal (line-buffered C stdio)." },
      wasmer: {
        support: "partly",
        how: `Differs from the reference on ${WASMER_WASI_DIFFERENCES.reduce((n, d) => n + d.cases.length, 0)} cases of the differential harness: ${WASMER_WASI_DIFFERENCES.map((d) => d.what).join("; ")}. Stdin is reported as a terminal whatever it is (isatty(0) is true); Python's input() is worked around at start-up (it reads a line from sys.stdin), other programs see a terminal.`,
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
 * The parts of `policy` an engine cannot enforce, in words, each naming the
 * rules behind it; empty when it can enforce all of it. An engine refuses
 * such a policy rather than ignore part of it.
 *
 * The Wasmer engine's guest reads and writes all of /workspace and sees no
 * other user file, no network and no tools. A policy is accepted only if the
 * gated engine would decide exactly that, for every path and request — found
 * by analysing the rules, not by trying sample paths:
 * - files: one allow rule grants all of /workspace read-write
 *   (`/workspace/**` write), no deny rule reaches into it, and no rule at all
 *   reaches outside it (the guest's scratch folders there are beyond rules);
 * - network and tools: every allow or ask rule is overruled by a deny of
 *   everything (`*`) or absent;
 * - real clock, real randomness. Environment and secrets are decided by the
 *   same decider before the start, so every rule form works.
 */
export function unenforceable(engine: EngineName, policy: Policy): string[] {
  if (engine === "gated") return [];
  const problems: string[] = [];
  const files = fileProblems(policy.files);
  if (files.length > 0) problems.push(`file rules other than read-write /workspace: ${files.join("; ")}`);
  const network = grantsOf(policy.network, (rule) => rule.host === "*" && rule.port === undefined && !rule.methods && rule.pathPrefix === undefined);
  if (network.length > 0) problems.push(`network grants (the Wasmer engine runs with networking off): ${network.map((i) => `network[${i}] ${JSON.stringify(networkRuleLabel(policy.network[i]!))}`).join(", ")}`);
  const tools = grantsOf(policy.tools, (rule) => rule.name === "*");
  if (tools.length > 0) problems.push(`host tools: ${tools.map((i) => `tools[${i}] ${JSON.stringify(policy.tools[i]!.name)}`).join(", ")}`);
  if (policy.clock.resolutionMs > 0) problems.push("a coarsened clock");
  if (policy.random.seed !== null) problems.push("seeded randomness");
  const { decoys } = policy;
  if (decoys.files.length + decoys.env.length + decoys.secrets.length > 0) problems.push("decoys (the Wasmer engine cannot see a decoy being touched)");
  return problems;
}

/** Indexes of the allow/ask rules, unless a deny rule `everything` overrules them all. */
function grantsOf<R extends { decision?: RuleDecision | undefined }>(rules: readonly R[], everything: (rule: R) => boolean): number[] {
  if (rules.some((rule) => rule.decision === "deny" && everything(rule))) return [];
  return rules.flatMap((rule, i) => (rule.decision === "deny" ? [] : [i]));
}

/** Each file rule that makes the gated engine decide other than "all of /workspace read-write, nothing else". */
function fileProblems(rules: readonly FileRule[]): string[] {
  const problems: string[] = [];
  const name = (i: number) => `files[${i}] ${JSON.stringify(rules[i]!.path)} ${rules[i]!.access}${rules[i]!.decision && rules[i]!.access !== "none" ? ` (${rules[i]!.decision})` : ""}`;
  const grantsAll = rules.some((rule) => rule.access === "write" && (rule.decision ?? "allow") === "allow" && coversWorkspace(rule.path));
  rules.forEach((rule, i) => {
    const { inside, outside } = reach(rule.path);
    const denies = rule.access === "none" || rule.decision === "deny";
    if (denies && inside) problems.push(`${name(i)} denies part of /workspace (no per-path rules)`);
    if (denies && outside) problems.push(`${name(i)} denies paths outside /workspace (the guest's own scratch folders there, /tmp and the like, are beyond any rule)`);
    if (!denies && outside) problems.push(`${name(i)} ${rule.decision === "ask" ? "asks about" : "grants"} paths outside /workspace (the guest sees only /workspace)`);
    else if (!denies && inside && !grantsAll) {
      problems.push(`${name(i)} ${rule.decision === "ask" ? "asks (the engine cannot ask)" : rule.access === "read" ? "is read-only (the guest can write all of /workspace)" : "grants only part of /workspace (the guest reads and writes all of it)"}`);
    }
  });
  if (!grantsAll && !problems.some((p) => p.includes("only part") || p.includes("read-only") || p.includes("asks ("))) {
    problems.push("no rule grants all of /workspace read-write (the guest reads and writes all of it): add /workspace/** write");
  }
  return problems;
}

/** Whether a path glob can match a path in /workspace (itself included), and one elsewhere (runtime files aside). */
function reach(glob: string): { inside: boolean; outside: boolean } {
  const first = glob === "/" ? undefined : glob.slice(1).split("/")[0]!;
  if (first === undefined) return { inside: false, outside: true };
  const inside = compilePathGlob(`/${first}`)(WORKSPACE_ROOT);
  // A wildcard in the first segment matches other names too.
  const outside = /[*?]/.test(first) || (first !== WORKSPACE_ROOT.slice(1) && `/${first}` !== RUNTIME_ROOT);
  return { inside, outside };
}

/** Whether a glob matches every path in /workspace, /workspace itself included: `/workspace/**`, or a wildcard first segment then only `**`. */
function coversWorkspace(glob: string): boolean {
  const units = glob.slice(1).split("/");
  if (units.every((unit) => unit === "**")) return true;
  return units.length >= 2 && compilePathGlob(`/${units[0]}`)(WORKSPACE_ROOT) && units.slice(1).every((unit) => unit === "**");
}
