import { lookup } from "node:dns/promises";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { Readable } from "node:stream";
import type { HttpTransport } from "../../wasm-runtime/tools/index.ts";
import { connectStream } from "./node-stream-connection.ts";

/** Every address of a name, in the resolver's order (`dns.lookup`: the hosts file and DNS, as the system resolves). */
export type ResolveName = (name: string) => Promise<string[]>;

const systemResolve: ResolveName = async (name) => (await lookup(name, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * The `http` tool's transport under Node: names are resolved here, and the
 * connection goes to the address the policy decided on — the socket's own
 * lookup is replaced, so no second resolution can move it (DNS rebinding).
 * One connection per request (no pool: a pooled socket may lead elsewhere).
 */
export function nodeHttpTransport(resolveName: ResolveName = systemResolve): HttpTransport {
  return {
    resolve: (name) => resolveName(name),
    connect: connectStream,
    send(url, { method, headers, body, signal }, address) {
      const pinned: LookupFunction | undefined =
        address === undefined
          ? undefined
          : (_name, options, callback) => {
              const family = address.includes(":") ? 6 : 4;
              if (options.all) callback(null, [{ address, family }]);
              else callback(null, address, family);
            };
      const request = url.protocol === "https:" ? httpsRequest : httpRequest;
      return new Promise((resolve, reject) => {
        const outgoing = request(url, { method, headers, signal, agent: false, ...(pinned && { lookup: pinned }) }, (response) => {
          resolve({
            status: response.statusCode ?? 0,
            headers: flatten(response.headers),
            location: response.headers.location,
            body: Readable.toWeb(response) as ReadableStream<Uint8Array>,
          });
        });
        outgoing.on("error", reject);
        outgoing.end(body);
      });
    },
  };
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  return flat;
}
