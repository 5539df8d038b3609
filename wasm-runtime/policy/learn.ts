/**
 * Learn mode: from a run made with everything granted (the Open preset) and
 * recorded, the narrowest policy that would have allowed exactly what it did.
 * Pure, like decide(): the CLI and the page gather the record, this turns it
 * into a policy, and checks the result against every recorded request with
 * the one decider before handing it back.
 */
import type { AccessRequest, AuditEvent, FileAccess } from "../capabilities.ts";
import { compilePolicy, RUNTIME_RULE } from "./decide.ts";
import { compilePathGlob } from "./glob.ts";
import { canonicalHost } from "./hosts.ts";
import { PRESETS } from "./presets.ts";
import { parsePolicy, type FileRule, type Limits, type NetworkRule, type Policy, type PolicyInput, type ToolRule } from "./schema.ts";

/** What a learning run did, besides its audit events. */
export interface LearnRecord {
  /** Every decision of the run, in order (RunResult.audit). */
  audit: readonly AuditEvent[];
  /**
   * Every file and folder that existed before or after the run (absolute
   * paths): a folder is turned into `folder/**` only when the run touched
   * everything that was in it.
   */
  existing: Iterable<string>;
  /** The limits of the learning run: a learned limit never exceeds them. */
  limits: Limits;
  durationMs: number;
  /** Peak linear memory (RunResult.memoryBytes); unknown keeps the run's memory limit. */
  memoryBytes: number | undefined;
  stdoutBytes: number;
  stderrBytes: number;
  /** The most bytes /workspace held during the run (RunResult.workspacePeakBytes), or after it when that is unknown. */
  workspaceBytes: number;
  /** Names the document, e.g. the program's file. */
  program: string;
}

/** The margins learned limits get over what the run used; stated in the limits' note. */
export const LEARN_MARGINS = {
  wall: { factor: 3, plusMs: 5000 },
  memory: { factor: 1.5, atLeastMiBMore: 16 },
  output: { factor: 2, atLeastBytes: 64 * 1024 },
  workspace: { factor: 2, atLeastBytes: 1024 * 1024 },
  toolCalls: { factor: 2, atLeastPerSecond: 10 },
} as const;

const MiB = 1024 * 1024;

/** What a learning run gets: the Open preset's grants, with the limits it would otherwise have. */
export function learningPolicy(limitsFrom: Policy): Policy {
  const open = PRESETS.find((preset) => preset.id === "open")!.policy;
  return parsePolicy({ ...open, name: "Learning (everything granted)", limits: limitsFrom.limits });
}

/** The narrowest policy allowing every request the run was allowed, with a note per rule naming the calls that needed it. */
export function learnPolicy(record: LearnRecord): Policy {
  const allowed = record.audit.filter((e) => e.decision === "allow");
  const input: PolicyInput = {
    version: 1,
    name: `Learned from ${record.program}`.slice(0, 100),
    note: "Written by learn mode from one run with everything granted: each rule says which calls needed it.",
    // Moves are decided from the reads and writes of both ends, which are recorded on their own.
    files: learnFiles(allowed.filter((e) => e.capability === "file" && e.rule !== RUNTIME_RULE && (e.access === "read" || e.access === "write")), record.existing),
    network: learnNetwork(allowed.filter((e) => e.capability === "network")),
    env: learnNames(allowed, "env"),
    secrets: learnNames(allowed, "secret"),
    tools: learnNames(allowed, "tool") as ToolRule[],
    commands: learnNames(allowed, "command"),
    limits: learnLimits(record, allowed),
  };
  const policy = parsePolicy(input);
  const decider = compilePolicy(policy);
  for (const event of allowed) {
    const request = requestOf(event);
    if (request && decider.decide(request).decision !== "allow") throw new Error(`learned policy does not allow ${event.capability} ${event.resource}: this is a bug in learn mode`);
  }
  return policy;
}

/** The request behind an audit event, for the capabilities a policy grants by rule. */
export function requestOf(event: AuditEvent): AccessRequest | undefined {
  switch (event.capability) {
    case "file":
      return event.access === "read" || event.access === "write" ? { capability: "file", path: event.resource, access: event.access } : undefined;
    case "network": {
      const parsed = parseNetworkResource(event.resource);
      return parsed && { capability: "network", ...parsed };
    }
    case "env":
    case "secret":
    case "tool":
    case "command":
      return { capability: event.capability, name: event.resource };
    default:
      return undefined;
  }
}

/** `host:port[ METHOD][/path][ (addresses)]`, as describeResource writes it; the addresses are left out (a rule names hosts). */
function parseNetworkResource(resource: string): { host: string; port: number; method?: string; path?: string } | undefined {
  const match = /^(.*?):(\d+)(?: ([A-Za-z]+))?(\/[^ ]*)?(?: \([^)]*\))?$/s.exec(resource);
  if (!match) return undefined;
  return { host: match[1]!, port: Number(match[2]), ...(match[3] !== undefined && { method: match[3] }), ...(match[4] !== undefined && { path: match[4] }) };
}

// ---------------------------------------------------------------------------
// Files

interface Need {
  access: FileAccess;
  calls: Map<string, number>;
}

const RANK: Record<FileAccess, number> = { read: 0, write: 1 };

function learnFiles(events: readonly AuditEvent[], existing: Iterable<string>): FileRule[] {
  const needs = new Map<string, Need>();
  for (const event of events) {
    const need = needs.get(event.resource) ?? { access: "read" as FileAccess, calls: new Map<string, number>() };
    const access = event.access as FileAccess;
    if (RANK[access] > RANK[need.access]) need.access = access;
    need.calls.set(event.syscall, (need.calls.get(event.syscall) ?? 0) + (event.count ?? 1));
    needs.set(event.resource, need);
  }
  const children = childrenOf([...existing, ...needs.keys()]);
  const rules: FileRule[] = [];
  // Writes first: a write rule also grants reading, so reads it covers need no rule of their own.
  for (const access of ["write", "read"] as const) {
    const enough = [...needs].filter(([, need]) => RANK[need.access] >= RANK[access]);
    const wanted = enough.filter(([path]) => !rules.some((r) => covers(r, path, access)));
    const globs = foldersTouchedWhole(wanted.map(([path]) => path), new Set(enough.map(([path]) => path)), children);
    for (const folder of globs) {
      const inside = wanted.filter(([path]) => isWithin(path, folder));
      rules.push({ path: folder === "/" ? "/**" : `${folder}/**`, access, note: `${inside.length} paths, everything that was in ${folder}: ${callsOf(inside.map(([, n]) => n), access)}` });
    }
    for (const [path, need] of wanted) {
      if (globs.some((folder) => isWithin(path, folder)) || need.access !== access) continue;
      rules.push({ path, access, note: callsOf([need], access) });
    }
  }
  return rules;
}

/**
 * The outermost folders every one of whose existing descendants was
 * `touched` (enough), holding at least two of `paths` (one path alone is
 * named exactly: a glob would only be wider).
 */
function foldersTouchedWhole(paths: readonly string[], touched: ReadonlySet<string>, children: Map<string, Set<string>>): string[] {
  const whole = new Map<string, boolean>();
  const isWhole = (folder: string): boolean => {
    let known = whole.get(folder);
    if (known === undefined) {
      // A sub-folder counts by what is in it (opening a/b/c does not touch a/b); a file or an empty folder, by itself.
      known = [...(children.get(folder) ?? [])].every((child) => (children.has(child) ? isWhole(child) : touched.has(child)));
      whole.set(folder, known);
    }
    return known;
  };
  const candidates = new Set<string>();
  for (const path of paths) for (let p = parentOf(path); p !== undefined; p = parentOf(p)) candidates.add(p);
  const chosen: string[] = [];
  for (const folder of [...candidates].sort((a, b) => depth(a) - depth(b))) {
    if (folder === "/" || chosen.some((c) => isWithin(folder, c))) continue;
    const inside = paths.filter((p) => isWithin(p, folder));
    if (inside.length >= 2 && isWhole(folder)) chosen.push(folder);
  }
  return chosen;
}

function childrenOf(paths: Iterable<string>): Map<string, Set<string>> {
  const children = new Map<string, Set<string>>();
  for (const path of paths) {
    for (let child = path, parent = parentOf(path); parent !== undefined; child = parent, parent = parentOf(parent)) {
      let set = children.get(parent);
      if (!set) children.set(parent, (set = new Set()));
      if (set.has(child)) break;
      set.add(child);
    }
  }
  return children;
}

function covers(rule: FileRule, path: string, access: FileAccess): boolean {
  return RANK[rule.access as FileAccess] >= RANK[access] && compilePathGlob(rule.path)(path);
}

function parentOf(path: string): string | undefined {
  if (path === "/") return undefined;
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}

function isWithin(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder === "/" ? "/" : `${folder}/`);
}

function depth(path: string): number {
  return path === "/" ? 0 : path.split("/").length - 1;
}

/** "written by path_open ×2; read by fd_readdir ×1"-style counts of the calls behind a rule. */
function callsOf(needs: readonly Need[], access: FileAccess): string {
  const counts = new Map<string, number>();
  for (const need of needs) for (const [call, n] of need.calls) counts.set(call, (counts.get(call) ?? 0) + n);
  return `${access === "write" ? "written or read" : "read"} by ${countList(counts)}`;
}

function countList(counts: Map<string, number>): string {
  return [...counts].map(([what, n]) => `${what} ×${n}`).join(", ");
}

// ---------------------------------------------------------------------------
// Network, names, limits

function learnNetwork(events: readonly AuditEvent[]): NetworkRule[] {
  const groups = new Map<string, { host: string; port: number; methods: Set<string> | undefined; paths: string[] | undefined; calls: Map<string, number> }>();
  for (const event of events) {
    const request = parseNetworkResource(event.resource);
    if (!request) continue;
    const host = canonicalHost(request.host) ?? request.host;
    const key = `${host} ${request.port}`;
    const group = groups.get(key) ?? { host, port: request.port, methods: new Set<string>(), paths: [], calls: new Map<string, number>() };
    // A request without a method or a path matches no rule that names them: the rule then names none.
    if (request.method === undefined) group.methods = undefined;
    else group.methods?.add(request.method.toUpperCase());
    if (request.path === undefined) group.paths = undefined;
    else group.paths?.push(request.path);
    const call = `${request.method ?? "connect"} ${request.path ?? ""}`.trim();
    group.calls.set(call, (group.calls.get(call) ?? 0) + 1);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => {
    const prefix = g.paths && commonPathPrefix(g.paths);
    return {
      host: g.host,
      port: g.port,
      ...(g.methods && { methods: [...g.methods].sort() }),
      ...(prefix && { pathPrefix: prefix }),
      note: `requested ${countList(g.calls)}`,
    };
  });
}

/** The longest run of whole segments every path starts with; undefined when it is only `/`. */
function commonPathPrefix(paths: readonly string[]): string | undefined {
  const split = paths.map((p) => p.split("/").slice(1));
  const first = split[0] ?? [];
  let n = 0;
  while (n < first.length && split.every((s) => s.length > n && s[n] === first[n])) n++;
  const prefix = `/${first.slice(0, n).join("/")}`;
  return prefix === "/" || first.slice(0, n).some((s) => s === "") ? undefined : prefix;
}

function learnNames(events: readonly AuditEvent[], capability: "env" | "secret" | "tool" | "command"): { name: string; note: string }[] {
  const calls = new Map<string, Map<string, number>>();
  for (const event of events) {
    if (event.capability !== capability) continue;
    const byCall = calls.get(event.resource) ?? new Map<string, number>();
    byCall.set(event.syscall, (byCall.get(event.syscall) ?? 0) + (event.count ?? 1));
    calls.set(event.resource, byCall);
  }
  return [...calls].map(([name, byCall]) => ({
    name,
    note: byCall.has("environ_get") && capability !== "tool"
      ? `offered at the start (environ_get): WASI hands the environment over whole, so whether the program read it cannot be seen${byCall.size > 1 ? `; also ${countList(new Map([...byCall].filter(([c]) => c !== "environ_get")))}` : ""}`
      : `${capability === "tool" ? "called" : capability === "command" ? "started" : "read"} by ${countList(byCall)}`,
  }));
}

function learnLimits(record: LearnRecord, allowed: readonly AuditEvent[]): Limits {
  const { limits } = record;
  const m = LEARN_MARGINS;
  const memoryMiB = record.memoryBytes === undefined ? undefined : record.memoryBytes / MiB;
  const toolRate = peakPerSecond(allowed.filter((e) => e.capability === "tool").map((e) => e.time));
  const learned = {
    wallMs: Math.min(limits.wallMs, Math.ceil(record.durationMs * m.wall.factor) + m.wall.plusMs),
    memoryMiB: memoryMiB === undefined ? limits.memoryMiB : Math.min(limits.memoryMiB, Math.ceil(Math.max(memoryMiB * m.memory.factor, memoryMiB + m.memory.atLeastMiBMore))),
    stdoutBytes: Math.min(limits.stdoutBytes, Math.max(m.output.atLeastBytes, record.stdoutBytes * m.output.factor)),
    stderrBytes: Math.min(limits.stderrBytes, Math.max(m.output.atLeastBytes, record.stderrBytes * m.output.factor)),
    workspaceBytes: Math.min(limits.workspaceBytes, Math.max(m.workspace.atLeastBytes, record.workspaceBytes * m.workspace.factor)),
    hostCallsPerSecond: Math.min(limits.hostCallsPerSecond, Math.max(m.toolCalls.atLeastPerSecond, toolRate * m.toolCalls.factor)),
  };
  const used = [
    `${Math.round(record.durationMs)} ms`,
    memoryMiB === undefined ? "memory unknown" : `${memoryMiB.toFixed(1)} MiB of memory`,
    `${record.stdoutBytes} + ${record.stderrBytes} bytes of output`,
    `${record.workspaceBytes} bytes in /workspace at most`,
    `${toolRate} tool calls in its busiest second`,
  ].join(", ");
  const margins = `wall time ×${m.wall.factor} + ${m.wall.plusMs} ms, memory ×${m.memory.factor} (at least +${m.memory.atLeastMiBMore} MiB), output ×${m.output.factor} (at least ${m.output.atLeastBytes / 1024} KiB), workspace ×${m.workspace.factor} (at least ${m.workspace.atLeastBytes / MiB} MiB), tool calls ×${m.toolCalls.factor} (at least ${m.toolCalls.atLeastPerSecond}/s), none above the learning run's own limits`;
  return { ...learned, note: `the run used ${used}; margins: ${margins}` };
}

/** The most events within any one second. */
function peakPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
