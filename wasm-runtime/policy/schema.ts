/**
 * The policy document: what one run may touch. This file is the single
 * definition of its shape and of what every field means; `decide.ts` enforces
 * exactly what is written here.
 *
 * Rules everywhere:
 * - Every list of rules, omitted or empty, grants nothing: the capability is
 *   denied (rule `default (not granted)`). Nothing is implied by the engine:
 *   no file outside `/playpen/`, no variable, no host, no secret, no tool.
 * - A rule's `decision` is `allow` when omitted. `deny` beats `allow` and `ask`
 *   whatever the order of the rules; `allow` beats `ask`. Order never matters.
 * - Unknown fields are errors (a typo must not silently drop a restriction).
 */
import { z } from "zod";
import { DEFAULT_OUTPUT_BYTES, DEFAULT_TIMEOUT_MS } from "../types.ts";
import { parseHostPattern } from "./hosts.ts";
import { parseStrictJson, type StrictJson } from "./strict-json.ts";

/** Where Playpen mounts the runtime's own files: always readable, never writable. */
export const RUNTIME_ROOT = "/playpen";
/** The user's files; relative paths in CLI flags resolve against it. */
export const WORKSPACE_ROOT = "/workspace";

const MAX_RULES = 1000;
const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------
// Field checks: each returns the problem in words, or undefined when fine.

/**
 * Path globs are absolute and already resolved, like the paths they match.
 * Only `*`, `**` and `?` are special; every other character matches itself.
 */
function pathGlobProblem(glob: string): string | undefined {
  if (!glob.startsWith("/")) return "must be an absolute path starting with / (relative paths are accepted only in CLI flags)";
  if (glob === "/") return undefined;
  if (glob.endsWith("/")) return "must not end with /: write /dir/** for a directory and everything in it";
  const segments = glob.slice(1).split("/");
  if (segments.includes("")) return "must not contain an empty segment (//)";
  if (segments.some((s) => s === "." || s === "..")) return "must not contain . or .. segments: write the resolved path";
  if (segments.some((s) => s.includes("**") && s !== "**")) return "** must be a whole segment, as in /a/**/b";
  return undefined;
}

function hostProblem(host: string): string | undefined {
  const pattern = parseHostPattern(host);
  return typeof pattern === "string" ? pattern : undefined;
}

/** Variable, secret and tool names: `*` matches any run of characters, `?` one character. */
function nameGlobProblem(name: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\s=\u0000-\u001f]/.test(name)) return "must not contain whitespace, = or control characters";
  return undefined;
}

function pathPrefixProblem(prefix: string): string | undefined {
  if (!prefix.startsWith("/")) return "must start with /";
  if (/[?#\s]/.test(prefix)) return "must be a path only: no query, fragment or whitespace";
  return undefined;
}

function checked(schema: z.ZodString, problem: (value: string) => string | undefined) {
  return schema.superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message });
  });
}

const positiveInt = (max: number) => z.int().min(1).max(max);

// ---------------------------------------------------------------------------
// Rules

/**
 * Why a rule (or the limits, or the document) is there, in words: a learned
 * policy says which calls needed each rule. No effect on any decision.
 */
const noteSchema = z.string().max(2000).optional();

/** `allow` (the default), `ask` (the user is asked) or `deny`. */
const ruleDecisionSchema = z.enum(["allow", "ask", "deny"]);
export type RuleDecision = z.output<typeof ruleDecisionSchema>;

/**
 * A rule over the user's files. Runtime files under `/playpen/` are outside
 * these rules: always readable, never writable.
 *
 * | access  | with allow/ask covers | with deny covers |
 * |---------|-----------------------|------------------|
 * | `read`  | read                  | read             |
 * | `write` | read and write        | write only       |
 * | `none`  | — (decision must be omitted or `deny`) | read and write |
 *
 * `write` implies read (unlike Deno): a program that can create a file can
 * put anything in it, so hiding it from reads protects nothing, and WASI opens
 * read-write far more often than write-only. For a write-only drop box, pair
 * a `write` allow with a `read` deny on the same path.
 */
const fileRuleSchema = z
  .strictObject({
    /**
     * Absolute glob over resolved paths. `*` matches within one segment
     * (including names starting with a dot), `?` one character of a segment,
     * `**` any number of whole segments, zero included; so `/workspace/**`
     * matches `/workspace` itself and everything below it. A path without
     * wildcards matches that path only (not what is below it). `/**` is
     * every file.
     */
    path: checked(z.string().max(4096), pathGlobProblem),
    access: z.enum(["read", "write", "none"]),
    decision: ruleDecisionSchema.optional(),
    note: noteSchema,
  })
  .refine((rule) => rule.decision === undefined || rule.decision === "deny", {
    path: ["decision"],
    message: 'access "none" always denies: omit decision or set it to "deny"',
    when: (payload) => isRecord(payload.value) && payload.value.access === "none",
  });
export type FileRule = z.output<typeof fileRuleSchema>;

/**
 * A rule over outgoing connections. Each omitted field matches anything;
 * a present field must match too.
 */
const networkRuleSchema = z.strictObject({
  /**
   * Compared in one canonical spelling: lower case, no trailing dot,
   * international names as punycode (`bücher.de` = `xn--bcher-kva.de`), IPv4
   * in any spelling (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1` are all
   * `127.0.0.1`), IPv4-mapped IPv6 as IPv4 (`::ffff:7f00:1` = `127.0.0.1`),
   * IPv6 with or without brackets.
   *
   * - `api.example.com`: that host only. `*.example.com`: every subdomain at
   *   any depth, not `example.com` itself. `*`: every host name and every
   *   public address.
   * - An IP address (`10.0.0.5`, `::1`) or a CIDR range (`10.0.0.0/8`,
   *   `fd00::/8`, `127.0.0.0/8`): those addresses, whether written in the URL
   *   or resolved from a name.
   *
   * Addresses outside the public internet — loopback (127.0.0.0/8, ::1),
   * unspecified (0.0.0.0/8, ::), private (10/8, 172.16/12, 192.168/16,
   * 100.64/10, fc00::/7), link-local (169.254/16, fe80::/10), multicast and
   * reserved — are reached only through an allow/ask rule that writes the
   * address or a range containing it (or `localhost`, for the loopback addresses that
   * name resolves to):
   * `*` or a name allowed by text is not enough, since DNS can point any
   * name there. Where names are resolved (the CLI, Node), the request is
   * decided on the name and on every address it resolves to, and the
   * connection goes to the address decided on. Where they are not (the
   * browser), a name is decided on its text; local-network names (`.local`,
   * `home.arpa`, `.internal`, `.lan`, `.localdomain`) then count as private:
   * `*` does not grant them. A deny rule with an address or range also stops
   * names resolving into it.
   */
  host: checked(z.string().min(1).max(253), hostProblem),
  /** Omitted: any port. */
  port: z.int().min(1).max(65535).optional(),
  /**
   * HTTP methods, any case. Omitted: any method. Must not be empty. An allow
   * or ask rule with methods never matches a request without one (a raw
   * socket); a deny rule with methods does, since what will be sent is unknown.
   */
  methods: z.array(z.string().regex(/^[A-Za-z]+$/, "must be an HTTP method such as GET")).min(1).max(16).optional(),
  /**
   * URL path prefix, matched on whole segments against the request's path
   * without query: `/v1` matches `/v1` and `/v1/x`, not `/v10`; `/v1/`
   * matches `/v1/x` only. The path is checked as sent and as a server may
   * read it (percent-decoded, `\` as `/`, `.`/`..`/empty segments resolved):
   * an allow/ask rule matches only if both readings are inside the prefix
   * (`/v1/..%2fadmin` is `/admin`, outside `/v1`), a deny rule if either is.
   * Omitted: any path. Requests without a path follow the same rule as
   * methods: allow/ask rules do not match, deny rules do.
   */
  pathPrefix: checked(z.string().max(2048), pathPrefixProblem).optional(),
  decision: ruleDecisionSchema.optional(),
  note: noteSchema,
});
export type NetworkRule = z.output<typeof networkRuleSchema>;

/** `name`: exact or glob (`*` any run of characters, `?` one); case-sensitive; `*` alone is every name. */
const nameRule = z.strictObject({
  name: checked(z.string().min(1).max(256), nameGlobProblem),
  decision: ruleDecisionSchema.optional(),
  note: noteSchema,
});

/** Which of the run's environment variables the guest sees; the others are absent, not empty. */
const envRuleSchema = nameRule;
export type EnvRule = z.output<typeof envRuleSchema>;

/**
 * Which secrets the guest may read, and where it may send them. Secrets are
 * named values supplied beside the policy (never inside it) and never shown
 * in clear in the page. A tool request that carries a secret's value, in any
 * spelling the exfiltration filter knows (wasm-runtime/egress/), is refused
 * unless an allow rule matching the secret binds it to that destination:
 * `hosts` for the `http` tool (the URL's host), `tools` for any other tool.
 * Without them a granted secret may be read, never sent (like Deno Sandbox's
 * and srt's credential injection, which tie a credential to its hosts).
 */
const secretRuleSchema = z.strictObject({
  ...nameRule.shape,
  /** Hosts the value may be sent to through the `http` tool, in the network rules' host syntax (`api.example.com`, `*.example.com`, `*`). */
  hosts: z.array(checked(z.string().min(1).max(253), hostProblem)).max(MAX_RULES).optional(),
  /** Tools (names or globs) whose requests may carry the value, other than `http`. */
  tools: z.array(checked(z.string().min(1).max(256), nameGlobProblem)).max(MAX_RULES).optional(),
});
export type SecretRule = z.output<typeof secretRuleSchema>;

/**
 * Which commands may start (the shell's, and a program's subprocesses: `subprocess.run`, `os.system`),
 * by name: `sh`, `wc`, `python`… Every command runs in the same sandbox under the same policy.
 */
const commandRuleSchema = nameRule;
export type CommandRule = z.output<typeof commandRuleSchema>;

/** Which host functions (tools) the guest may call. */
const toolRuleSchema = z
  .strictObject({
    ...nameRule.shape,
    /**
     * Calls per minute through this rule. Omitted: no per-tool limit, only
     * `limits.hostCallsPerSecond`. When several allow/ask rules match a tool,
     * the lowest limit among them applies.
     */
    perMinute: positiveInt(100_000).optional(),
  })
  .refine((rule) => rule.perMinute === undefined, {
    path: ["perMinute"],
    message: "a deny rule takes no perMinute",
    when: (payload) => isRecord(payload.value) && payload.value.decision === "deny",
  });
export type ToolRule = z.output<typeof toolRuleSchema>;

// ---------------------------------------------------------------------------
// Clocks, randomness, limits

/** Omitted: `{ resolutionMs: 0 }`, the real clock. */
const clockSchema = z.strictObject({
  /**
   * Every clock the guest reads is rounded down to a multiple of this many
   * milliseconds (fractions allowed: 0.1 = 100 µs). 0 or omitted: real resolution.
   */
  resolutionMs: z.number().min(0).max(60_000).default(0),
});

/** Omitted: `{ seed: null }`, real randomness. */
const randomSchema = z.strictObject({
  /** null or omitted: real random bytes. A number (uint32): a deterministic stream from that seed, the same on every run. */
  seed: z.int().min(0).max(0xffff_ffff).nullable().default(null),
});

/** The wasm32 address space: no policy may grant more memory. */
export const MAX_MEMORY_MIB = 4096;

/** Default of each limit, used when the field is omitted. */
export const DEFAULT_LIMITS = {
  wallMs: DEFAULT_TIMEOUT_MS,
  memoryMiB: 512,
  stdoutBytes: DEFAULT_OUTPUT_BYTES,
  stderrBytes: DEFAULT_OUTPUT_BYTES,
  workspaceBytes: 64 * MiB,
  hostCallsPerSecond: 100,
} as const;

/** Every limit is a positive whole number with a cap; each omitted one takes its value from DEFAULT_LIMITS. */
const limitsSchema = z.strictObject({
  /** Wall-clock time before the guest is killed. At most one hour. */
  wallMs: positiveInt(3_600_000).default(DEFAULT_LIMITS.wallMs),
  /** Linear memory of the guest, in MiB. At most 4096 (the wasm32 address space). */
  memoryMiB: positiveInt(MAX_MEMORY_MIB).default(DEFAULT_LIMITS.memoryMiB),
  /** Bytes kept per stream; the rest is discarded and the stream marked truncated. At most 256 MiB. */
  stdoutBytes: positiveInt(256 * MiB).default(DEFAULT_LIMITS.stdoutBytes),
  stderrBytes: positiveInt(256 * MiB).default(DEFAULT_LIMITS.stderrBytes),
  /** Total size of the files in /workspace. At most 4 GiB. */
  workspaceBytes: positiveInt(4096 * MiB).default(DEFAULT_LIMITS.workspaceBytes),
  /** Tool calls per second, all tools together (WASI file and clock calls do not count). At most 100 000. */
  hostCallsPerSecond: positiveInt(100_000).default(DEFAULT_LIMITS.hostCallsPerSecond),
  note: noteSchema,
});
export type Limits = z.output<typeof limitsSchema>;

// ---------------------------------------------------------------------------
// The document

// ---------------------------------------------------------------------------
// Decoys and alerts

/** A decoy's value: given, or (omitted) a random one shaped like a real credential, new each run. */
const decoyValue = z.string().min(8).max(4096).optional();

/**
 * Decoys (canaries): secrets, variables and files planted in the run that a
 * legitimate program never touches. Touching one (opening the file, asking
 * the `secrets` tool for the secret) or its value leaving the run in any
 * spelling is an alert of severity high. Decoys are planted whatever the
 * other rules say (a decoy file still obeys the file rules: a denied read is
 * an alert too) and never handed back with the run's files. Gated engine only.
 */
const decoysSchema = z.strictObject({
  /** Absolute canonical paths, e.g. `/workspace/.aws/credentials`; `content` omitted: credentials-looking text holding a decoy value. */
  files: z.array(z.strictObject({ path: checked(z.string().max(4096), pathGlobProblem), content: z.string().max(65536).optional() })).max(100).default(() => []),
  /** Variables set in the guest's environment. */
  env: z.array(z.strictObject({ name: checked(z.string().min(1).max(256), nameGlobProblem), value: decoyValue })).max(100).default(() => []),
  /** Secrets the `secrets` tool hands out (and alerts on). */
  secrets: z.array(z.strictObject({ name: checked(z.string().min(1).max(256), nameGlobProblem), value: decoyValue })).max(100).default(() => []),
});
export type Decoys = z.output<typeof decoysSchema>;

/** Paths whose writing is an alert by default: the runtime, version control, shell start-up files and keys. */
export const DEFAULT_PROTECTED_PATHS = ["/playpen/**", "/**/.git/**", "/**/.ssh/**", "/**/.bashrc", "/**/.profile", "/**/.zshrc"];

/**
 * Thresholds of the alert rules over the run's events (wasm-runtime/alerts/).
 * The rules themselves are always on: decoy touched, a watched value in an
 * output or a request, probing (denials in a row or per second), a rate limit
 * hit, a write to a protected path (allowed or not), "Allow always" widening
 * the policy during the run.
 */
const alertsSchema = z.strictObject({
  /** This many denials with no allowed access between them is probing (Python's start-up alone makes 9 harmless ones). */
  denialsInARow: positiveInt(100_000).default(25),
  /** This many denials within one second is probing. */
  denialsPerSecond: positiveInt(100_000).default(50),
  /** Path globs whose writing (or an attempt at it) is an alert. */
  protectedPaths: z.array(checked(z.string().max(4096), pathGlobProblem)).max(MAX_RULES).default(() => [...DEFAULT_PROTECTED_PATHS]),
});
export type AlertThresholds = z.output<typeof alertsSchema>;

// ---------------------------------------------------------------------------
// The document

export const policySchema = z.strictObject({
  /** Required; this Playpen reads version 1 only. */
  version: z.literal(1),
  /** Shown in the page and the CLI; no effect on decisions. */
  name: z.string().min(1).max(100).optional(),
  /** Omitted or empty: no user file is readable or writable (runtime files stay readable). */
  files: z.array(fileRuleSchema).max(MAX_RULES).default(() => []),
  /** Omitted or empty: no network. */
  network: z.array(networkRuleSchema).max(MAX_RULES).default(() => []),
  /** Omitted or empty: the guest sees no environment variable at all. */
  env: z.array(envRuleSchema).max(MAX_RULES).default(() => []),
  /** Omitted or empty: no secret is readable. */
  secrets: z.array(secretRuleSchema).max(MAX_RULES).default(() => []),
  clock: clockSchema.prefault({}),
  random: randomSchema.prefault({}),
  /** Omitted or empty: no tool can be called. */
  tools: z.array(toolRuleSchema).max(MAX_RULES).default(() => []),
  /** Omitted: every command may start (each runs in the sandbox under this same policy). Listed: only what they allow. */
  commands: z.array(commandRuleSchema).max(MAX_RULES).default(() => [{ name: "*" }]),
  limits: limitsSchema.prefault({}),
  /** Omitted: no decoys. */
  decoys: decoysSchema.prefault({}),
  /** Omitted: the default thresholds. */
  alerts: alertsSchema.prefault({}),
  note: noteSchema,
});

/** A validated policy with every default filled in. Objects from parsePolicy are frozen: derive new ones, never mutate. */
export type Policy = z.output<typeof policySchema>;
/** What a policy author writes: optional fields may be left out. */
export type PolicyInput = z.input<typeof policySchema>;

// ---------------------------------------------------------------------------
// Parsing and errors

export interface PolicyIssue {
  /** Where the bad field is, e.g. `files[2].access`; "" for the document itself. */
  path: string;
  message: string;
}

/** An invalid policy: every bad field at once. Nothing of such a policy is ever applied. */
export class PolicyError extends Error {
  override name = "PolicyError";
  constructor(readonly issues: PolicyIssue[]) {
    super(`invalid policy:\n${issues.map((i) => `  ${i.path || "(document)"}: ${i.message}`).join("\n")}`);
  }
}

/** Validates a parsed JSON value and returns the frozen policy with defaults filled in; throws PolicyError. */
export function parsePolicy(json: unknown): Policy {
  return validated(json, []);
}

/** The policy, or a PolicyError with the `earlier` issues and every field the schema rejects. */
function validated(json: unknown, earlier: PolicyIssue[]): Policy {
  const result = policySchema.safeParse(json, { reportInput: true });
  const issues = result.success ? earlier : [...earlier, ...result.error.issues.flatMap(toPolicyIssues)];
  if (issues.length > 0 || !result.success) throw new PolicyError(issues);
  return deepFreeze(result.data);
}

/**
 * parsePolicy for JSON text, e.g. the file of `--policy FILE`. Stricter than
 * JSON.parse: a field written twice in one object is an error at its path
 * (JSON.parse would keep the last silently), reported with every other bad field.
 */
export function parsePolicyJson(text: string): Policy {
  let parsed: StrictJson;
  try {
    parsed = parseStrictJson(text);
  } catch (error) {
    throw new PolicyError([{ path: "", message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  const duplicates = parsed.duplicates.map(({ path }) => ({ path: formatPath(path), message: "duplicate field: written more than once in the same object" }));
  return validated(parsed.value, duplicates);
}

type Issue = z.core.$ZodIssue & { input?: unknown };

function toPolicyIssues(issue: Issue): PolicyIssue[] {
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(issue.path);
    return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: unknownFieldMessage(key, known) }));
  }
  return [{ path: formatPath(issue.path), message: messageOf(issue) }];
}

function messageOf(issue: Issue): string {
  if ((issue.code === "invalid_type" || issue.code === "invalid_value") && issue.input === undefined) return "is required";
  switch (issue.code) {
    case "invalid_type":
      return `must be ${article(issue.expected)}, not ${kindOf(issue.input)}`;
    case "invalid_value":
      return `must be ${issue.values.length > 1 ? "one of " : ""}${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      if (issue.origin === "array" || issue.origin === "string") return "must not be empty";
      return `must be at least ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "array") return `must have at most ${issue.maximum} items`;
      if (issue.origin === "string") return `must be at most ${issue.maximum} characters`;
      return `must be at most ${issue.maximum}`;
    default:
      return issue.message;
  }
}

const ARTICLES: Record<string, string> = { int: "a whole number", number: "a number", string: "a string", array: "a list", object: "an object", boolean: "true or false" };

function article(expected: string): string {
  return ARTICLES[expected] ?? expected;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "number") return Number.isInteger(value) ? `the number ${value}` : `${value}`;
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === "object" ? "an object" : String(value);
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

function unknownFieldMessage(key: string, known: string[]): string {
  const [best] = known
    .map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) }))
    .filter(({ d }) => d <= Math.max(1, Math.floor(key.length / 3)))
    .sort((a, b) => a.d - b.d);
  return best ? `unknown field: did you mean "${best.k}"?` : `unknown field: expected one of ${known.join(", ")}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** The field names of the object schema at `path`, for "did you mean" hints. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = policySchema;
  for (const key of path) {
    const inner = unwrap(schema);
    schema = inner instanceof z.ZodArray ? (inner.element as z.ZodType) : inner instanceof z.ZodObject ? (inner.shape[String(key)] as z.ZodType | undefined) : undefined;
  }
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
  return s;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function deepFreeze<T>(value: T): T {
  if (isRecord(value) && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
