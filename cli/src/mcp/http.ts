import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { authorized, readBody, sendJson } from "../loopback-http.ts";
import { MAX_MESSAGE_BYTES, Session, type ServerContext } from "./session.ts";
import { createSessionServer } from "./tools.ts";


export interface HttpOptions {
  port: number;
  token: string;
  context: ServerContext;
  version: string;
  sessionDir?: string;
}

/**
 * Streamable HTTP on 127.0.0.1 at /mcp: every request carries the bearer
 * token; an `initialize` without a session id starts a session (its own
 * sandbox), the others name theirs in `Mcp-Session-Id`. Closing the session
 * (DELETE) ends it; with a session folder its files stay in DIR/<session id>.
 */
export async function serveHttp(options: HttpOptions): Promise<{ port: number; close(): Promise<void> }> {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; session: Session }>();
  let port = options.port;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: (error as Error).message });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!authorized(request, options.token)) return sendJson(response, 401, { error: "missing or wrong token: send the header `Authorization: Bearer <token>` printed when playpen mcp started" });
    if (new URL(request.url ?? "/", "http://x").pathname !== "/mcp") return sendJson(response, 404, { error: "the MCP endpoint is /mcp" });
    const id = request.headers["mcp-session-id"];
    const known = typeof id === "string" ? sessions.get(id) : undefined;
    if (known) return known.transport.handleRequest(request, response, request.method === "POST" ? await readJson(request) : undefined);
    if (request.method !== "POST") return sendJson(response, 400, { error: "no such session: start one with an initialize request" });
    const body = await readJson(request);
    if (id !== undefined || !isInitializeRequest(body)) return sendJson(response, 400, { jsonrpc: "2.0", error: { code: -32000, message: "no such session: start one with an initialize request" }, id: null });
    const sessionId = randomUUID();
    const session = await Session.open(options.context, options.sessionDir && path.join(options.sessionDir, sessionId));
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => sessionId,
      enableDnsRebindingProtection: true,
      allowedHosts: [`127.0.0.1:${port}`, `localhost:${port}`],
      onsessioninitialized: (started) => void sessions.set(started, { transport, session }),
    });
    transport.onclose = () => {
      sessions.delete(sessionId);
      void session.close();
    };
    await createSessionServer(options.context, session, options.version).connect(transport);
    await transport.handleRequest(request, response, body);
    // Refused by the transport (a foreign Host): no session came of it.
    if (!sessions.has(sessionId)) void session.close();
  }

  await new Promise<void>((resolve, reject) => server.listen(options.port, "127.0.0.1", resolve).once("error", reject));
  port = (server.address() as AddressInfo).port;
  return {
    port,
    close: async () => {
      await Promise.all([...sessions.values()].map(({ transport }) => transport.close()));
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The body as JSON; undefined when it is not JSON (the transport then answers with a parse error). */
async function readJson(request: IncomingMessage): Promise<unknown> {
  try {
    return JSON.parse(await readBody(request, MAX_MESSAGE_BYTES));
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
