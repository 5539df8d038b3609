import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * What Playpen's loopback HTTP servers (the native runner, `playpen mcp --http`) share:
 * the bearer token printed at start and required on every request (the one place it is
 * made and checked), bounded bodies, JSON replies.
 */
export function newToken(): string {
  return randomBytes(24).toString("hex");
}

/** `Authorization: Bearer <token>`, compared in constant time. */
export function authorized(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization ?? "";
  const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7) : "");
  const expected = Buffer.from(token);
  // Same length first (timingSafeEqual needs it); the length of a random token is no secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The body as text; throws past `maxBytes` (a client cannot make the server hold more). */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new Error(`the body is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  response.end(JSON.stringify(body));
}
