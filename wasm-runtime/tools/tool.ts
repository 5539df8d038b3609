import type { AccessRequest, Verdict } from "../capabilities.ts";
import type { HttpTransport } from "./http-transport.ts";
import type { KvStore } from "./kv.ts";

/** The final decision on a request a tool makes for the guest, and the rule that made it. */
export interface Permission {
  allowed: boolean;
  rule: string;
  /** Denials: what was denied, by which rule, and the grant that would allow it (policy/denial.ts). */
  explanation?: string;
}

/** What a built-in tool works with besides the guest's request. */
export interface BuiltinContext {
  /** Decides a request the tool makes for the guest (network, secret), asking when a rule says so; audited. */
  permits(request: AccessRequest): Promise<Permission>;
  /** The policy's verdict alone: no ask, no audit. For skipping work a denial makes pointless (a DNS lookup). */
  verdict(request: AccessRequest): Verdict;
  /** How this platform reaches the network. */
  readonly transport: HttpTransport;
  readonly secrets: Readonly<Record<string, string>>;
  /** The sandbox's key–value store. */
  readonly kv: KvStore;
  /** Aborted when the run ends (exit, time limit, Stop). */
  readonly signal: AbortSignal;
}

/**
 * A built-in tool: the guest's parsed JSON request in, a JSON-serializable
 * reply out. A thrown error becomes the reply `{ "error": message }`.
 */
export type BuiltinTool = (request: unknown, context: BuiltinContext) => Promise<unknown>;

/** The request as an object of fields, or an error a guest can act on. */
export function fieldsOf(request: unknown): Record<string, unknown> {
  if (typeof request !== "object" || request === null || Array.isArray(request)) throw new Error("the request must be a JSON object");
  return request as Record<string, unknown>;
}

/** A string field of the request; `required` ones must be present and non-empty. */
export function stringField(fields: Record<string, unknown>, name: string, required: true): string;
export function stringField(fields: Record<string, unknown>, name: string, required?: false): string | undefined;
export function stringField(fields: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = fields[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || (required && value === "")) throw new Error(`"${name}" must be a${required ? " non-empty" : ""} string`);
  return value;
}
