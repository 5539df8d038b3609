/**
 * The one way a guest's connection is decided, for the `http` tool and for
 * ordinary code's sockets alike: the destination's text first, then — where
 * the platform can resolve names — every address the name resolves to, and
 * the connection goes to an address that was decided on (no second lookup).
 */
import type { AccessRequest } from "../capabilities.ts";
import { isIpAddress } from "../policy/hosts.ts";
import type { BuiltinContext } from "./tool.ts";

export type NetworkRequest = AccessRequest & { capability: "network" };

/** A destination the policy refused: its message names the rule and the fix (policy/denial.ts). */
export class NetworkDenied extends Error {
  override readonly name = "NetworkDenied";
}

/**
 * Decides a destination (audited, asking when a rule says so) and returns the
 * addresses it may be reached at; undefined when the platform connects by name
 * (the browser). A name is resolved only once its text is not denied already (a
 * lookup of `<secret>.attacker.example` would leak the secret to a DNS server).
 * Throws NetworkDenied when refused, Error when the name cannot be resolved.
 */
export async function permittedAddresses(
  destination: NetworkRequest,
  context: Pick<BuiltinContext, "permits" | "verdict" | "transport">,
  signal: AbortSignal,
  refusedPrefix = "",
  timeoutMs?: number,
): Promise<string[] | undefined> {
  const { host } = destination;
  let addresses: string[] | undefined = isIpAddress(host) ? [host] : undefined;
  if (!addresses && context.verdict(destination).decision !== "deny") {
    try {
      addresses = await untilAborted(context.transport.resolve(host, signal), signal);
    } catch (error) {
      throw new Error(`cannot resolve ${host}: ${reasonOf(error, signal, timeoutMs)}`, { cause: error });
    }
    if (addresses?.length === 0) throw new Error(`cannot resolve ${host}: no address`);
  }
  const decided = addresses && !isIpAddress(host) ? { ...destination, addresses } : destination;
  const { allowed, explanation } = await context.permits(decided);
  if (!allowed) throw new NetworkDenied(`${refusedPrefix}${explanation}`);
  return addresses;
}

/** A lookup cannot be cancelled (dns.lookup): stop waiting for it when the run ends or the time is up. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener("abort", abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/** Why a network operation failed, for the guest: the cause where the error hides it; the signal tells a timeout from the run's end. */
export function reasonOf(error: unknown, signal: AbortSignal, timeoutMs?: number): string {
  if (signal.aborted) return signal.reason instanceof Error && signal.reason.name === "TimeoutError" ? timeoutMs === undefined ? "no answer in time" : `no answer within ${timeoutMs / 1000} s` : "the run ended";
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}
