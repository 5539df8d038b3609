import { describeResource, type AccessRequest } from "../capabilities.ts";
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

/**
 * The `http` tool: `{url, method?, headers?, body?}` → `{status, headers, body, truncated}`.
 * The destination is a network decision (host, port, method, path) against the
 * policy's network rules, made before anything is sent. Redirects are not
 * followed: each hop would be a destination of its own, so the guest gets the
 * 3xx and may ask for the `location` in a new call. No cookies or credentials
 * of the page are sent.
 */
export async function http(request: unknown, context: BuiltinContext): Promise<HttpReply> {
  const fields = fieldsOf(request);
  const url = parseUrl(stringField(fields, "url", true));
  const method = (stringField(fields, "method") ?? "GET").toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new Error(`"method" must be an HTTP method such as GET`);
  const headers = headersOf(fields.headers);
  const body = fields.body === undefined || typeof fields.body === "string" ? fields.body : JSON.stringify(fields.body);

  const destination: AccessRequest = {
    capability: "network",
    host: url.hostname,
    port: Number(url.port) || (url.protocol === "https:" ? 443 : 80),
    method,
    path: url.pathname,
  };
  const { allowed, rule } = await context.permits(destination);
  if (!allowed) throw new Error(`network access to ${describeResource(destination)} is denied by ${rule}`);

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body,
      redirect: "manual",
      credentials: "omit",
      signal: AbortSignal.any([context.signal, AbortSignal.timeout(HTTP_TIMEOUT_MS)]),
    });
  } catch (error) {
    throw new Error(`${method} ${url.href} failed: ${reasonOf(error)}`, { cause: error });
  }
  // A browser hides where a redirect leads ("opaqueredirect"); Node shows it.
  if (response.type === "opaqueredirect") throw new Error(`${url.href} redirects, and the browser does not reveal where to`);
  const { bytes, truncated } = await readCapped(response, MAX_HTTP_BODY_BYTES);
  return { status: response.status, headers: Object.fromEntries(response.headers), body: new TextDecoder().decode(bytes), truncated };
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new Error(`"url" is not a valid absolute URL: ${text}`, { cause: error });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`"url" must be http:// or https://, not ${url.protocol}`);
  return url;
}

function headersOf(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const fields = typeof value === "object" && value !== null && !Array.isArray(value) ? Object.entries(value) : undefined;
  if (!fields || fields.some(([, v]) => typeof v !== "string")) throw new Error(`"headers" must be an object of strings`);
  return Object.fromEntries(fields) as Record<string, string>;
}

/** Reads at most `cap` bytes of the body, then stops the download. */
async function readCapped(response: Response, cap: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = response.body.getReader();
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
    throw new Error(`reading the response failed: ${reasonOf(error)}`, { cause: error });
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { bytes, truncated };
}

/** fetch's errors say little ("fetch failed"); the cause says what went wrong. */
function reasonOf(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return `no answer within ${HTTP_TIMEOUT_MS / 1000} s`;
  if (error instanceof Error && error.name === "AbortError") return "the run ended";
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}
