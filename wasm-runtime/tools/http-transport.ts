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
