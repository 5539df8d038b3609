import { permittedAddresses, reasonOf } from "./network-decision.ts";
import type { HttpResponse } from "./http-transport.ts";
import { fieldsOf, stringField, type BuiltinContext } from "./tool.ts";

/** Response bytes kept; the rest is dropped and the reply marked `truncated`. */
export const MAX_HTTP_BODY_BYTES = 1024 * 1024;
/** A request that has not finished by then fails (the run's time limit may end it sooner). */
export const HTTP_TIMEOUT_MS = 30_000;

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  /** The body as text (UTF-8; invalid bytes become U+FFFD). */
  body: string;
  truncated: boolean;
}

/** Redirects followed at most, each one decided and audited as a request of its own. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that carry credentials: never sent on to another origin by a redirect. */
const CREDENTIAL_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);

/**
 * The `http` tool: `{url, method?, headers?, body?, redirect?}` → `{status, headers, body, truncated}`.
 * Each destination is a network decision (host, port, method, path, and the
 * addresses a name resolves to where the platform can resolve) made before
 * anything is sent, and the connection goes to the address decided on.
 * Redirects (`redirect: "follow"`, the default) are followed only to
 * destinations that are allowed themselves, each hop decided and audited;
 * with `redirect: "manual"` the guest gets the 3xx. No cookies or
 * credentials of the page are sent.
 */
export async function http(request: unknown, context: BuiltinContext): Promise<HttpReply> {
  const fields = fieldsOf(request);
  let url = parseUrl(stringField(fields, "url", true));
  let method = (stringField(fields, "method") ?? "GET").toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new Error(`"method" must be an HTTP method such as GET`);
  let headers = headersOf(fields.headers);
  let body = fields.body === undefined || typeof fields.body === "string" ? fields.body : JSON.stringify(fields.body);
  const redirect = stringField(fields, "redirect") ?? "follow";
  if (redirect !== "follow" && redirect !== "manual") throw new Error(`"redirect" must be "follow" or "manual"`);
  const timeout = AbortSignal.timeout(HTTP_TIMEOUT_MS);
  const signal = AbortSignal.any([context.signal, timeout]);

  for (let hop = 0; ; hop++) {
    const address = await permittedAddress(url, method, context, signal, hop > 0);
    let response: HttpResponse;
    try {
      response = await context.transport.send(url, { method, headers, body, signal }, address);
    } catch (error) {
      throw new Error(`${method} ${url.href} failed: ${reasonOf(error, signal, HTTP_TIMEOUT_MS)}`, { cause: error });
    }
    if (response.location === null) throw new Error(`${url.href} redirects, and the browser does not reveal where to`);
    if (redirect === "manual" || !REDIRECT_STATUSES.has(response.status) || response.location === undefined) return read(response, signal);
    await response.body?.cancel();
    if (hop === MAX_REDIRECTS) throw new Error(`${url.href} redirects again after ${MAX_REDIRECTS} redirects: not followed further`);
    const next = parseUrl(new URL(response.location, url).href, `the redirect from ${url.href}`);
    // As fetch does: 303 (and 301/302 after a POST) turns into a GET without a body.
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
    }
    if (next.origin !== url.origin && headers) headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));
    url = next;
  }
}

/** Decides a destination (tools/network-decision.ts) and returns the address to connect to (undefined: the platform connects by name). */
async function permittedAddress(url: URL, method: string, context: BuiltinContext, signal: AbortSignal, redirected: boolean): Promise<string | undefined> {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const destination = { capability: "network" as const, host, port: Number(url.port) || (url.protocol === "https:" ? 443 : 80), method, path: url.pathname };
  return (await permittedAddresses(destination, context, signal, redirected ? "redirect refused: " : "", HTTP_TIMEOUT_MS))?.[0];
}

async function read(response: HttpResponse, signal: AbortSignal): Promise<HttpReply> {
  const { bytes, truncated } = await readCapped(response.body, MAX_HTTP_BODY_BYTES, signal);
  return { status: response.status, headers: response.headers, body: new TextDecoder().decode(bytes), truncated };
}

function parseUrl(text: string, what = '"url"'): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new Error(`${what} is not a valid absolute URL: ${text}`, { cause: error });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`${what} must be http:// or https://, not ${url.protocol}`);
  return url;
}

function headersOf(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const fields = typeof value === "object" && value !== null && !Array.isArray(value) ? Object.entries(value) : undefined;
  if (!fields || fields.some(([, v]) => typeof v !== "string")) throw new Error(`"headers" must be an object of strings`);
  // The decision is on the URL's host; a Host header could make the server route the request to another site.
  if (fields.some(([name]) => name.toLowerCase() === "host")) throw new Error(`"headers" must not set Host: it comes from the URL, which the policy decides on`);
  return Object.fromEntries(fields) as Record<string, string>;
}

/** Reads at most `cap` bytes of the body, then stops the download. */
async function readCapped(body: ReadableStream<Uint8Array> | null, cap: number, signal: AbortSignal): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = cap - size;
      chunks.push(value.length > room ? value.subarray(0, room) : value);
      size += Math.min(value.length, room);
      if (value.length > room) {
        truncated = true;
        await reader.cancel();
        break;
      }
    }
  } catch (error) {
    throw new Error(`reading the response failed: ${reasonOf(error, signal, HTTP_TIMEOUT_MS)}`, { cause: error });
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { bytes, truncated };
}
