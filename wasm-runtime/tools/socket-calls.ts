/**
 * Ordinary code's sockets (Python's `socket`, and so `http.client`, `urllib`
 * and the libraries on them), on the controller's side. The guest's socket
 * shim (languages/python-socket.ts) sends one JSON request per operation
 * through the hidden channel `/host/.socket`; each is decided here by the
 * network rules through the same function as the `http` tool
 * (network-decision.ts), audited, and performed over the platform's
 * transport. What the guest sends passes the exfiltration filter as the
 * `http` tool's requests do, and on a plaintext HTTP stream (or one the host
 * encrypts itself: TLS is done here) every request's method and path is
 * decided before its bytes leave.
 */
import { isIpAddress } from "../policy/hosts.ts";
import { HttpRequestHeads, MalformedRequest, type RequestHead } from "./http-heads.ts";
import type { StreamConnection } from "./http-transport.ts";
import { NetworkDenied, permittedAddresses, reasonOf, type NetworkRequest } from "./network-decision.ts";
import type { BuiltinContext } from "./tool.ts";
import { fromBase64, toBase64 } from "../engine/shared.ts";

/** The hidden file under /host the guest's socket shim calls through (not listed, not a tool). */
export const SOCKET_CHANNEL = ".socket";
/** Connections a run may hold open at once. */
export const MAX_SOCKETS = 64;
/** Largest read handed back at once (the reply is base64 in JSON, under the tool cell's 4 MiB). */
export const MAX_RECV_BYTES = 1024 * 1024;
/** A connection attempt that has not succeeded by then fails (the run's time limit may end it sooner). */
export const CONNECT_TIMEOUT_MS = 30_000;
/** Sent bytes kept per connection to find a secret split across two sends. */
const SCAN_OVERLAP = 4096;

/** What the guest's shim turns into an exception: denied → PermissionError, refused → ConnectionRefusedError… */
export type SocketErrorKind = "denied" | "refused" | "reset" | "timeout" | "unreachable" | "gaierror" | "tls" | "invalid" | "unsupported";

class SocketError extends Error {
  constructor(
    readonly kind: SocketErrorKind,
    message: string,
  ) {
    super(message);
  }
}

interface TlsRequest {
  serverName: string;
  ca?: string;
  verify: boolean;
}

interface Connection {
  /** The name the address was resolved from (the host decided on), or the address itself. */
  host: string;
  address: string;
  port: number;
  /** Undefined while the decision waits for the first request's head (see `connect`). */
  stream: StreamConnection | undefined;
  tls: TlsRequest | undefined;
  heads: HttpRequestHeads;
  /** The end of what was sent, for the exfiltration filter. */
  sentTail: string;
}

export interface SocketCallsOptions {
  /** The decision context of the run's tool calls, for the host call named `syscall` (audited as such). */
  context: (syscall: string) => Pick<BuiltinContext, "permits" | "verdict" | "transport">;
  /** Why sending `text` to `host` is refused (a secret not bound to it), or undefined. Audited and alerted by the caller. */
  secretRefusal: (host: string, text: string, syscall: string) => Promise<string | undefined>;
  /** Whether any network rule has methods or a path prefix: then a denied connection may still be allowed for a request it carries. */
  requestRules: boolean;
  signal: AbortSignal;
}

export class SocketCalls {
  readonly #options: SocketCallsOptions;
  readonly #connections = new Map<number, Connection>();
  /** Addresses this run resolved, and the name each came from: a connection to one is decided as that name (DNS pinning). */
  readonly #names = new Map<string, string>();
  #nextId = 1;

  constructor(options: SocketCallsOptions) {
    this.#options = options;
    options.signal.addEventListener("abort", () => this.#closeAll(), { once: true });
  }

  /** One operation; the reply as JSON text (`{error, kind}` on failure). Never throws. */
  async call(requestText: string): Promise<string> {
    try {
      return JSON.stringify(await this.#perform(JSON.parse(requestText) as Record<string, unknown>));
    } catch (error) {
      const kind: SocketErrorKind = error instanceof SocketError ? error.kind : error instanceof NetworkDenied ? "denied" : error instanceof SyntaxError ? "invalid" : "unreachable";
      return JSON.stringify({ error: error instanceof Error ? error.message : String(error), kind });
    }
  }

  async #perform(request: Record<string, unknown>): Promise<unknown> {
    switch (request.op) {
      case "resolve":
        return { addresses: await this.#resolve(hostOf(request), portOf(request)) };
      case "connect":
        return { id: await this.#connect(hostOf(request), portOf(request)) };
      case "send":
        return { sent: await this.#send(this.#connection(request), base64Of(request.data)) };
      case "recv":
        return { data: toBase64(await this.#recv(this.#connection(request), request)) };
      case "starttls":
        await this.#startTls(this.#connection(request), request);
        return {};
      case "shutdown":
        this.#connection(request).stream?.shutdownWrite();
        return {};
      case "close":
        await this.#close(request.id);
        return {};
      case "listen":
        throw new SocketError("unsupported", "playpen: a sandboxed program cannot accept connections (bind/listen): only outgoing connections, decided by the network rules");
      default:
        throw new SocketError("invalid", `unknown socket operation ${JSON.stringify(request.op)}`);
    }
  }

  async #resolve(host: string, port: number): Promise<string[]> {
    const addresses = await this.#decided({ capability: "network", host, port }, "socket:getaddrinfo", "gaierror");
    for (const address of addresses) if (!isIpAddress(host)) this.#names.set(address, host);
    return addresses;
  }

  async #connect(target: string, port: number): Promise<number> {
    if (this.#connections.size >= MAX_SOCKETS) throw new SocketError("unreachable", `playpen: a run may hold at most ${MAX_SOCKETS} connections open`);
    const syscall = "socket:connect";
    let host = target;
    let address: string;
    if (isIpAddress(target)) {
      address = target;
      host = this.#names.get(target) ?? target;
    } else {
      // connect() with a name: resolved and decided as getaddrinfo would be.
      address = (await this.#resolve(target, port))[0]!;
    }
    const request: NetworkRequest = { capability: "network", host, port, ...(host !== address && { addresses: [address] }) };
    const context = this.#options.context(syscall);
    const id = this.#nextId++;
    const connection: Connection = { host, address, port, stream: undefined, tls: undefined, heads: new HttpRequestHeads(), sentTail: "" };
    // A rule may allow this destination for some methods or paths only: decided on the first request's head.
    if (context.verdict(request).decision === "deny" && this.#options.requestRules) {
      this.#connections.set(id, connection);
      return id;
    }
    await this.#permit(request, syscall);
    connection.stream = await this.#open(address, port);
    this.#connections.set(id, connection);
    return id;
  }

  async #send(connection: Connection, bytes: Uint8Array): Promise<number> {
    const syscall = "socket:send";
    const text = connection.sentTail + new TextDecoder().decode(bytes);
    const refusal = await this.#options.secretRefusal(connection.host, text, syscall);
    if (refusal) throw new SocketError("denied", `playpen: ${refusal}`);
    connection.sentTail = text.slice(-SCAN_OVERLAP);
    let segments;
    try {
      segments = connection.heads.feed(bytes);
    } catch (error) {
      if (error instanceof MalformedRequest) throw new SocketError("denied", `playpen: refused a malformed HTTP request to ${connection.host}:${connection.port} (${error.message}): requests are decided by method and path, so they must be well-formed`);
      throw error;
    }
    for (const segment of segments) {
      if (segment.head !== undefined) await this.#decideHead(connection, segment.head, syscall);
      if (segment.bytes.length > 0) await this.#stream(connection).write(segment.bytes);
    }
    return bytes.length;
  }

  /** A request's head (or, for a raw stream, its first bytes) decided before they leave; a deferred connection is made now. */
  async #decideHead(connection: Connection, head: RequestHead | "raw", syscall: string): Promise<void> {
    const { host, address, port } = connection;
    if (head !== "raw" && head.host !== undefined && head.host !== host && head.host !== address) {
      throw new SocketError("denied", `playpen: refused a request to ${host}:${port} that names another host (${head.host}): the network rules decided ${host}`);
    }
    const request: NetworkRequest = {
      capability: "network",
      host,
      port,
      ...(head !== "raw" && { method: head.method, path: head.path }),
      ...(host !== address && { addresses: [address] }),
    };
    // An allowed connection's raw stream was decided when it was made.
    if (head === "raw" && connection.stream) return;
    await this.#permit(request, syscall);
    if (!connection.stream) {
      connection.stream = await this.#open(address, port);
      if (connection.tls) await this.#upgrade(connection.stream, connection.tls);
    }
  }

  async #recv(connection: Connection, request: Record<string, unknown>): Promise<Uint8Array> {
    // A server that speaks first: the deferred connection is decided as a raw stream.
    if (!connection.stream) await this.#decideHead(connection, "raw", "socket:recv");
    const max = Math.max(1, Math.min(MAX_RECV_BYTES, Number(request.max) || MAX_RECV_BYTES));
    const timeoutMs = typeof request.timeoutMs === "number" && request.timeoutMs >= 0 ? request.timeoutMs : undefined;
    let data;
    try {
      data = await this.#stream(connection).read(max, timeoutMs);
    } catch (error) {
      throw platformError(error, `reading from ${connection.host}:${connection.port}`);
    }
    if (data === "timeout") throw new SocketError("timeout", "timed out");
    return data;
  }

  async #startTls(connection: Connection, request: Record<string, unknown>): Promise<void> {
    const serverName = typeof request.serverName === "string" && request.serverName !== "" ? request.serverName : connection.host;
    const tls: TlsRequest = { serverName, verify: request.verify !== false, ...(typeof request.ca === "string" && { ca: request.ca }) };
    if (connection.heads.holding) throw new SocketError("invalid", "TLS cannot start in the middle of a request");
    connection.heads = new HttpRequestHeads();
    if (connection.stream) await this.#upgrade(connection.stream, tls);
    else connection.tls = tls;
  }

  async #upgrade(stream: StreamConnection, tls: TlsRequest): Promise<void> {
    try {
      await stream.startTls(tls.serverName, tls);
    } catch (error) {
      throw new SocketError("tls", `TLS with ${tls.serverName} failed: ${reasonOf(error, this.#options.signal)}`);
    }
  }

  async #close(id: unknown): Promise<void> {
    const connection = this.#connections.get(Number(id));
    if (!connection) return;
    this.#connections.delete(Number(id));
    if (connection.stream) connection.stream.close();
    // A deferred connection closed unused was still an attempt: decided (and audited) as a raw stream.
    else await this.#permit({ capability: "network", host: connection.host, port: connection.port, ...(connection.host !== connection.address && { addresses: [connection.address] }) }, "socket:close").catch(() => {});
  }

  #closeAll(): void {
    for (const connection of this.#connections.values()) connection.stream?.close();
    this.#connections.clear();
  }

  async #decided(request: NetworkRequest, syscall: string, failure: SocketErrorKind): Promise<string[]> {
    let addresses;
    try {
      addresses = await permittedAddresses(request, this.#options.context(syscall), this.#options.signal);
    } catch (error) {
      if (error instanceof NetworkDenied) throw error;
      throw new SocketError(failure, error instanceof Error ? error.message : String(error));
    }
    if (!addresses) throw new SocketError("unsupported", "playpen: this platform (the browser) cannot open sockets for the guest; use the http tool (/host/http), which goes through fetch");
    return addresses;
  }

  async #permit(request: NetworkRequest, syscall: string): Promise<void> {
    const { allowed, explanation } = await this.#options.context(syscall).permits(request);
    if (!allowed) throw new NetworkDenied(explanation ?? "playpen: denied");
  }

  async #open(address: string, port: number): Promise<StreamConnection> {
    const transport = this.#options.context("socket:connect").transport;
    if (!transport.connect) throw new SocketError("unsupported", "playpen: this platform (the browser) cannot open sockets for the guest; use the http tool (/host/http), which goes through fetch");
    const signal = AbortSignal.any([this.#options.signal, AbortSignal.timeout(CONNECT_TIMEOUT_MS)]);
    try {
      return await transport.connect(address, port, signal);
    } catch (error) {
      throw platformError(error, `connecting to ${address}:${port}`);
    }
  }

  #connection(request: Record<string, unknown>): Connection {
    const connection = this.#connections.get(Number(request.id));
    if (!connection) throw new SocketError("invalid", "not a connected socket");
    return connection;
  }

  #stream(connection: Connection): StreamConnection {
    if (!connection.stream) throw new SocketError("invalid", "not connected");
    return connection.stream;
  }
}

/** The platform's error as the kind the guest's library expects. */
function platformError(error: unknown, doing: string): SocketError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = `${doing} failed: ${error instanceof Error ? error.message : String(error)}`;
  switch (code) {
    case "ECONNREFUSED":
      return new SocketError("refused", message);
    case "ECONNRESET":
    case "EPIPE":
      return new SocketError("reset", message);
    case "ETIMEDOUT":
    case "ABORT_ERR":
      return new SocketError("timeout", message);
    default:
      return new SocketError("unreachable", message);
  }
}

function hostOf(request: Record<string, unknown>): string {
  const host = request.host;
  if (typeof host !== "string" || host === "" || host.length > 253 + 2) throw new SocketError("invalid", `"host" must be a host name or an IP address`);
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function portOf(request: Record<string, unknown>): number {
  const port = request.port;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) throw new SocketError("invalid", `"port" must be a whole number from 0 to 65535`);
  return port;
}

function base64Of(data: unknown): Uint8Array {
  if (typeof data !== "string") throw new SocketError("invalid", `"data" must be base64 text`);
  return fromBase64(data);
}
