/**
 * How the `http` tool reaches the network on this platform. The browser can
 * only fetch by name (it resolves and connects itself, so a name is decided
 * on its text); Node registers a transport that resolves names first and then
 * connects to the very address that was decided (`cli/src/node-http-transport.ts`).
 */

export interface HttpInit {
  method: string;
  headers: Record<string, string> | undefined;
  body: string | undefined;
  signal: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** A redirect's target: undefined when there is none, null when the platform hides it (the browser). */
  location: string | null | undefined;
  body: ReadableStream<Uint8Array> | null;
}

export interface HttpTransport {
  /** Every address a host name resolves to; undefined where names cannot be resolved before connecting. */
  resolve(name: string, signal: AbortSignal): Promise<string[] | undefined>;
  /** One exchange with `address` (by name when undefined); never follows a redirect. */
  send(url: URL, init: HttpInit, address: string | undefined): Promise<HttpResponse>;
  /**
   * A TCP connection to an address already decided on, for the guest's own sockets
   * (tools/socket-calls.ts); absent where the platform has none (the browser).
   * Rejects with the platform's error (`code` ECONNREFUSED, ETIMEDOUT…).
   */
  connect?(address: string, port: number, signal: AbortSignal): Promise<StreamConnection>;
}

/** A connection the host holds for a guest's socket. Every method but `close` may reject with the platform's error. */
export interface StreamConnection {
  /** Sends all of `bytes` (or fails). */
  write(bytes: Uint8Array): Promise<void>;
  /** Up to `max` bytes as they come: empty at the end of the stream, "timeout" when nothing came within `timeoutMs`. */
  read(max: number, timeoutMs: number | undefined): Promise<Uint8Array | "timeout">;
  /** Turns the connection into TLS, the certificate checked for `serverName` unless `verify` is false; `ca`: PEM certificates to trust instead of the platform's. */
  startTls(serverName: string, options: { ca?: string; verify: boolean }): Promise<void>;
  /** No more writes (the peer reads end of stream). */
  shutdownWrite(): void;
  close(): void;
}

/** The browser's way (and any platform's without a transport of its own): fetch by name, redirects left to the caller. */
export const fetchTransport: HttpTransport = {
  resolve: () => Promise.resolve(undefined),
  async send(url, { method, headers, body, signal }) {
    const response = await fetch(url, { method, headers, body, redirect: "manual", credentials: "omit", signal });
    // A browser hides where a redirect leads ("opaqueredirect"); Node shows it.
    const location = response.type === "opaqueredirect" ? null : (response.headers.get("location") ?? undefined);
    return { status: response.status, headers: Object.fromEntries(response.headers), location, body: response.body };
  },
};

let current: HttpTransport = fetchTransport;

/** Set once by a platform's entry point (the CLI's engine factory for Node). */
export function setHttpTransport(transport: HttpTransport): void {
  current = transport;
}

export function httpTransport(): HttpTransport {
  return current;
}
