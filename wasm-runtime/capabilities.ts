/**
 * What a guest can ask the host for. Every host call of the gated engine that
 * touches one of these is described as an AccessRequest and decided by the
 * policy before it happens; the decision is recorded as an AuditEvent.
 */

import type { DenialFix } from "./policy/denial.ts";

export type Capability = "file" | "network" | "env" | "secret" | "tool" | "command" | "clock" | "random";

export type FileAccess = "read" | "write";

export type AccessRequest =
  /** `path` is absolute and fully resolved (no `.`, `..` or symlinks left). */
  | { capability: "file"; path: string; access: FileAccess }
  /**
   * A rename, hard link or symlink: the node at `path` (for a symlink, its
   * resolved target) also or instead becomes reachable as `to`, with everything
   * below it (`below`: paths relative to it, e.g. `/sub/a.txt`). Both absolute
   * and fully resolved. Decided allow or deny, never ask: see `decideMove`.
   */
  | { capability: "file"; path: string; access: "move"; to: string; below: readonly string[] }
  /**
   * `host` as written (any spelling: decide canonicalises it). `addresses`: every IP address the
   * caller resolved `host` to, the one it will connect to among them; omitted where names cannot be
   * resolved (the browser), and then the name is decided on its text alone.
   */
  | { capability: "network"; host: string; port: number; method?: string; path?: string; addresses?: readonly string[] }
  | { capability: "env"; name: string }
  /**
   * Reading a secret; with `destination`, sending its value there in a tool
   * request (the `http` tool's host, or another tool's name).
   */
  | { capability: "secret"; name: string; destination?: SecretDestination }
  | { capability: "tool"; name: string; args?: unknown }
  /** Starting a command (a shell's, or a program's subprocess), by name: `sh`, `wc`, `python`. */
  | { capability: "command"; name: string }
  | { capability: "clock"; clock: "realtime" | "monotonic" | "process" | "thread" }
  | { capability: "random"; bytes: number };

export type SecretDestination = { host: string } | { tool: string };

export type Decision = "allow" | "deny" | "ask";

/** The outcome of checking a request against the policy, and which rule decided it. */
export interface Verdict {
  decision: Decision;
  /** Human-readable name of the deciding rule, e.g. `files[0] "/workspace/**" write`, or `default`. */
  rule: string;
}

/** One decision, as shown in the audit timeline and exported as JSON Lines. */
export interface AuditEvent {
  /** Milliseconds since the Unix epoch. */
  time: number;
  runId: string;
  capability: Capability;
  /** The exact resource: a path, host:port, variable name, tool name… */
  resource: string;
  /** File events: whether the guest read, wrote, or moved (renamed, linked) a path. */
  access?: FileAccess | "move";
  /** Final decision after any ask was answered. */
  decision: "allow" | "deny";
  rule: string;
  /** The host call that asked, e.g. `path_open`, `environ_get`. */
  syscall: string;
  /** Set on an alert: an event a person should look at, raised by the alert rules (wasm-runtime/alerts/). */
  alert?: Alert;
  /** Denials only: the smallest grant that would allow it, or why none can (policy/denial.ts). */
  fix?: DenialFix;
  /** How many identical consecutive decisions this event stands for, when more than one (policy/audit-fold.ts). */
  count?: number;
  /** The runtime reading its own files (start-up, its library): always allowed; such reads fold into one event named by the folder they share. */
  runtime?: true;
}

export type AlertKind = "decoy" | "secret-in-output" | "secret-in-request" | "secret-shaped" | "probing" | "rate-limit" | "protected-path" | "policy-widened";
export type Severity = "low" | "medium" | "high";

export interface Alert {
  kind: AlertKind;
  severity: Severity;
  /** What happened, for a person: never a secret's value. */
  message: string;
}

/** Short text naming a request's resource, the same way everywhere it is shown. */
export function describeResource(request: AccessRequest): string {
  switch (request.capability) {
    case "file":
      return request.access === "move" ? `${request.path} → ${request.to}` : request.path;
    case "network":
      return `${request.host}:${request.port}${request.method ? ` ${request.method}` : ""}${request.path ?? ""}${request.addresses ? ` (${request.addresses.join(", ")})` : ""}`;
    case "secret":
      return request.destination ? `${request.name} → ${"host" in request.destination ? request.destination.host : `tool ${request.destination.tool}`}` : request.name;
    case "env":
    case "tool":
    case "command":
      return request.name;
    case "clock":
      return request.clock;
    case "random":
      return `${request.bytes} bytes`;
  }
}
