/**
 * Reads the bytes a guest sends on a connection as an HTTP/1.x client's
 * stream, so each request's method and path can be decided before any of its
 * bytes leave. A request's head is held back until complete; its body (by
 * Content-Length, or chunked) passes through; then the next request's head.
 * A stream whose first bytes are not a request line is `raw` from then on.
 */

/** A head longer than this is refused (no server needs one; holding more would be the guest's memory on the host). */
export const MAX_HEAD_BYTES = 64 * 1024;

export interface RequestHead {
  method: string;
  /** The path as sent (origin-form, or the path of an absolute-form target). */
  path: string;
  /** The host an absolute-form target or the Host header names, lower-cased, port cut off; undefined when neither does. */
  host: string | undefined;
}

/** A piece of the stream, in order: bytes to send, with the head they carry (a request's first piece) when there is one. */
export type Segment = { bytes: Uint8Array; head?: RequestHead | "raw" };

type State =
  | { kind: "head"; held: Uint8Array[] }
  | { kind: "body"; remaining: number }
  | { kind: "chunk-size"; line: string }
  | { kind: "chunk-data"; remaining: number }
  | { kind: "trailer"; line: string }
  | { kind: "raw" };

/** Thrown for a stream that starts like HTTP and then breaks its rules: refused rather than guessed at. */
export class MalformedRequest extends Error {}

const REQUEST_LINE = /^([A-Z]{1,20}) (\S+) HTTP\/1\.[01]$/;
const METHOD_START = /^[A-Z]{1,20}( |$)/;
const decoder = new TextDecoder("latin1");

export class HttpRequestHeads {
  #state: State = { kind: "head", held: [] };
  #started = false;

  /** Whether bytes are held back waiting for the rest of a head. */
  get holding(): boolean {
    return this.#state.kind === "head" && this.#state.held.length > 0;
  }

  feed(bytes: Uint8Array): Segment[] {
    const out: Segment[] = [];
    let at = 0;
    while (at < bytes.length) {
      const state = this.#state;
      switch (state.kind) {
        case "raw":
          out.push({ bytes: bytes.subarray(at) });
          return out;
        case "head": {
          // The rest of this feed joins the held head; whatever follows the head is fed again below.
          state.held.push(bytes.subarray(at));
          const held = concat(state.held);
          const text = decoder.decode(held);
          if (!this.#started && !METHOD_START.test(text.slice(0, 21))) {
            this.#state = { kind: "raw" };
            out.push({ bytes: held, head: "raw" });
            return out;
          }
          const end = text.indexOf("\r\n\r\n");
          if (end < 0) {
            if (held.length > MAX_HEAD_BYTES) throw new MalformedRequest(`an HTTP request head longer than ${MAX_HEAD_BYTES} bytes`);
            state.held = [held];
            return out;
          }
          this.#started = true;
          const { head, length, chunked } = parseHead(text.slice(0, end));
          out.push({ bytes: held.subarray(0, end + 4), head });
          this.#state = chunked ? { kind: "chunk-size", line: "" } : length > 0 ? { kind: "body", remaining: length } : { kind: "head", held: [] };
          const rest = held.subarray(end + 4);
          if (rest.length > 0) out.push(...this.feed(rest));
          return out;
        }
        case "body":
        case "chunk-data": {
          const take = Math.min(state.remaining, bytes.length - at);
          out.push({ bytes: bytes.subarray(at, at + take) });
          at += take;
          state.remaining -= take;
          if (state.remaining === 0) this.#state = state.kind === "body" ? { kind: "head", held: [] } : { kind: "chunk-size", line: "" };
          break;
        }
        case "chunk-size":
        case "trailer": {
          const newline = bytes.indexOf(10, at);
          const stop = newline < 0 ? bytes.length : newline + 1;
          out.push({ bytes: bytes.subarray(at, stop) });
          state.line += decoder.decode(bytes.subarray(at, stop));
          at = stop;
          if (state.line.length > 1024) throw new MalformedRequest("a chunk-size or trailer line longer than 1024 bytes");
          if (newline < 0) break;
          const line = state.line.replace(/\r?\n$/, "");
          if (state.kind === "trailer") {
            this.#state = line === "" ? { kind: "head", held: [] } : { kind: "trailer", line: "" };
          } else {
            const size = /^([0-9a-fA-F]{1,8})(;.*)?$/.exec(line);
            if (!size) throw new MalformedRequest(`a chunk size that is not hexadecimal: ${JSON.stringify(line.slice(0, 40))}`);
            const n = parseInt(size[1]!, 16);
            // The chunk's data is followed by CRLF, passed through with it.
            this.#state = n === 0 ? { kind: "trailer", line: "" } : { kind: "chunk-data", remaining: n + 2 };
          }
          break;
        }
      }
    }
    return out;
  }
}

function parseHead(text: string): { head: RequestHead; length: number; chunked: boolean } {
  const [requestLine, ...lines] = text.split("\r\n");
  const match = REQUEST_LINE.exec(requestLine!);
  if (!match) throw new MalformedRequest(`not an HTTP/1.x request line: ${JSON.stringify(requestLine!.slice(0, 80))}`);
  const [, method, target] = match as unknown as [string, string, string];
  let path = target;
  let host: string | undefined;
  if (!target.startsWith("/")) {
    // Absolute-form (what a proxy is sent) names a host of its own; authority-form (CONNECT) and `*` too.
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new MalformedRequest(`a request target that is neither a path nor a URL: ${JSON.stringify(target.slice(0, 80))}`);
    }
    path = url.pathname + url.search;
    host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  }
  let length = 0;
  let chunked = false;
  const hosts: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new MalformedRequest(`a header line without a name: ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-length") {
      if (!/^\d{1,15}$/.test(value) || (length !== 0 && Number(value) !== length)) throw new MalformedRequest(`a Content-Length that is not one number: ${JSON.stringify(value)}`);
      length = Number(value);
    } else if (name === "transfer-encoding") {
      // Only plain chunked is followed; anything else could hide where the next request starts.
      if (value.toLowerCase() !== "chunked") throw new MalformedRequest(`Transfer-Encoding ${JSON.stringify(value)} (only chunked is supported)`);
      chunked = true;
    } else if (name === "host") {
      hosts.push(value);
    }
  }
  if (chunked && length !== 0) throw new MalformedRequest("both Content-Length and Transfer-Encoding");
  if (hosts.length > 1) throw new MalformedRequest("more than one Host header");
  if (host === undefined && hosts[0] !== undefined) host = hostOfAuthority(hosts[0]);
  return { head: { method, path, host }, length, chunked };
}

/** `example.com:8080` → `example.com`; `[::1]:80` → `::1`. */
function hostOfAuthority(authority: string): string {
  const bracketed = /^\[([^\]]*)\]/.exec(authority);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return authority.replace(/:\d*$/, "").toLowerCase();
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
