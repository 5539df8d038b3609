import type { AccessRequest, AuditEvent, SecretDestination } from "../capabilities.ts";
import { compilePolicy, type Policy, type PolicyDecider } from "../policy/index.ts";
import { BUILTIN_TOOLS } from "./builtins.ts";
import { ToolDecisions, type Ask } from "./decisions.ts";
import { httpTransport } from "./http-transport.ts";
import type { KvStore } from "./kv.ts";
import type { RateLimits } from "./rate-limit.ts";
import type { BuiltinContext } from "./tool.ts";
import type { UserTool } from "./user-tools.ts";
import { SocketCalls } from "./socket-calls.ts";
import { messageOf } from "../engine/shared.ts";
import type { RunGuard } from "../egress/index.ts";

/** Every string in a parsed JSON value, object keys included, numbers as written. */
function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value === "number") return [String(value)];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([key, v]) => [key, ...stringsOf(v)]);
  return [];
}

/** Where a tool request goes: the http tool's host when its URL says, else the tool itself. */
function destinationOf(name: string, args: unknown): SecretDestination {
  if (name === "http" && typeof args === "object" && args !== null && typeof (args as { url?: unknown }).url === "string") {
    try {
      return { host: new URL((args as { url: string }).url).hostname };
    } catch {
      // Not a URL: the http tool refuses it itself; the request stays bound to the tool.
    }
  }
  return { tool: name };
}

export interface ToolCallsOptions {
  runId: string;
  policy: Policy;
  /** The run's own tools (compileUserTools). */
  userTools: ReadonlyMap<string, UserTool>;
  /** Kept by the sandbox across runs. */
  kv: KvStore;
  rates: RateLimits;
  secrets: Readonly<Record<string, string>>;
  /** The run's exfiltration filter and alerts: a request carrying a secret goes only where a rule binds it. */
  guard?: RunGuard;
  /** Asks the person; absent means every `ask` is a deny. */
  ask: Ask | undefined;
  audit: (event: AuditEvent) => void;
  /** Aborted when the run ends: pending fetches stop. */
  signal: AbortSignal;
}

/**
 * One run's tool calls, on the controller side. Each call: the request is
 * parsed, the call is decided (`{capability:"tool", name, args}` against the
 * tools rules, then the rate limits), asked for if a rule says so, audited,
 * and only then performed. Every outcome is a JSON reply; failures and
 * denials are `{"error": "…"}`, and the guest keeps running.
 */
export class ToolCalls {
  /** What the guest sees under /host: the built-ins, then the run's own tools. */
  readonly names: string[];
  readonly #options: ToolCallsOptions;
  readonly #decider: PolicyDecider;
  readonly #decisions: ToolDecisions;
  /** The guest's own sockets: decided by the same network rules, their data through the same filter. */
  readonly sockets: SocketCalls;

  constructor(options: ToolCallsOptions) {
    this.#options = options;
    this.#decider = compilePolicy(options.policy);
    this.#decisions = new ToolDecisions(options.runId, options.ask, options.audit);
    this.names = [...Object.keys(BUILTIN_TOOLS), ...options.userTools.keys()];
    this.sockets = new SocketCalls({
      context: (syscall) => this.#builtinContext(syscall),
      secretRefusal: (host, text, syscall) => this.#carriedSecretRefusal({ host }, text, syscall),
      requestRules: options.policy.network.some((rule) => rule.methods !== undefined || rule.pathPrefix !== undefined),
      signal: options.signal,
    });
  }

  /** The reply to one call, as JSON text. Never throws. */
  async call(name: string, requestText: string): Promise<string> {
    const reply = await this.#reply(name, requestText);
    try {
      return JSON.stringify(reply === undefined ? null : reply);
    } catch (error) {
      return JSON.stringify({ error: `tool "${name}" returned something that is not JSON: ${messageOf(error)}` });
    }
  }

  async #reply(name: string, requestText: string): Promise<unknown> {
    const builtin = Object.hasOwn(BUILTIN_TOOLS, name) ? BUILTIN_TOOLS[name] : undefined;
    const user = this.#options.userTools.get(name);
    if (!builtin && !user) return { error: `there is no tool named "${name}"` };
    let args: unknown;
    try {
      // An empty request (a read without a write, as in `cat /host/tool`) means no arguments.
      args = requestText.trim() === "" ? {} : JSON.parse(requestText);
    } catch (error) {
      return { error: `the request is not JSON: ${messageOf(error)}` };
    }

    const syscall = `tool:${name}`;
    const { allowed, explanation } = await this.#decideCall({ capability: "tool", name, args }, syscall);
    if (!allowed) return { error: explanation };
    const carried = await this.#carriedSecretRefusal(destinationOf(name, args), stringsOf(args).join("\n"), syscall);
    if (carried) return { error: carried };
    try {
      if (builtin) return await builtin(args, this.#builtinContext(syscall));
      return await user!(args, { runId: this.#options.runId, signal: this.#options.signal });
    } catch (error) {
      return { error: messageOf(error) };
    }
  }

  /**
   * Every watched value the request carries, in any spelling, must be bound to
   * where the request goes (the http tool's host, another tool's name) by a
   * secrets rule; the first that is not refuses the call. Decoys never are.
   */
  async #carriedSecretRefusal(destination: SecretDestination, text: string, syscall: string): Promise<string | undefined> {
    const guard = this.#options.guard;
    if (!guard) return undefined;
    const where = "host" in destination ? destination.host : `tool ${destination.tool}`;
    // The request's strings as the tool will see them (JSON escapes undone once), keys and values alike.
    guard.requestCarries(text, where, "host" in destination ? "network" : "tool", syscall);
    if (!guard.filter.active) return undefined;
    const seen = new Set<string>();
    for (const finding of guard.filter.findings(text)) {
      if (seen.has(finding.name)) continue;
      seen.add(finding.name);
      const request = { capability: "secret", name: finding.name, destination } as const;
      const verdict = finding.decoy ? { decision: "deny" as const, rule: "decoy (never sent)" } : this.#decider.decide(request);
      const { allowed, rule } = await this.#decisions.settle(request, verdict, syscall);
      if (allowed) continue;
      guard.found(finding, `request to ${where}`, "host" in destination ? "network" : "tool", syscall);
      const kind = finding.decoy ? "decoy" : "secret";
      return `the request carries the ${kind} ${finding.name}, which may not be sent to ${where} (denied by ${rule}; a secrets rule binds a secret to destinations with "hosts" or "tools")`;
    }
    return undefined;
  }

  /** The tools rules first; a call they allow or ask about is then held to the rate limits. */
  async #decideCall(request: AccessRequest & { capability: "tool" }, syscall: string) {
    const { rates, policy } = this.#options;
    const perMinute = this.#decider.toolPerMinute(request.name);
    let verdict = this.#decider.decide(request);
    if (verdict.decision !== "deny") {
      const refusal = rates.refusal(request.name, perMinute, policy.limits.hostCallsPerSecond, performance.now());
      if (refusal) verdict = { decision: "deny", rule: refusal };
    }
    const permission = await this.#decisions.settle(request, verdict, syscall);
    if (permission.allowed) rates.record(request.name, perMinute, performance.now());
    return permission;
  }

  #builtinContext(syscall: string): BuiltinContext {
    const { secrets, kv, signal } = this.#options;
    return {
      permits: (request) => this.#decisions.settle(request, this.#decider.decide(request), syscall),
      verdict: (request) => this.#decider.decide(request),
      transport: httpTransport(),
      secrets,
      kv,
      signal,
    };
  }
}

