import { createReadStream, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";

/**
 * A plain static file server, like the hosts a teacher already has (GitHub
 * Pages, S3, `python3 -m http.server`): content types by extension and
 * nothing else — no cross-origin isolation headers, no caching headers.
 * `base` serves the folder under a sub-path (`/playpen/`).
 */
export interface StaticServer {
  /** http://127.0.0.1:PORT + base */
  url: string;
  /** How many requests reached the server for `pathname` (the browser's caches answer the rest). */
  hits(pathname: string): number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ttf": "font/ttf",
  ".tar": "application/x-tar",
  ".csv": "text/csv",
  ".txt": "text/plain",
};

export async function startStaticServer(root: string, base = "/"): Promise<StaticServer> {
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    hits.set(pathname, (hits.get(pathname) ?? 0) + 1);
    if (!pathname.startsWith(base)) return notFound();
    let file = path.join(root, pathname.slice(base.length));
    if (!file.startsWith(path.resolve(root))) return notFound();
    try {
      if (statSync(file).isDirectory()) file = path.join(file, "index.html");
      const size = statSync(file).size;
      response.writeHead(200, { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream", "Content-Length": size });
      createReadStream(file).pipe(response);
    } catch {
      notFound();
    }

    function notFound() {
      response.writeHead(404, { "Content-Type": "text/plain" });
      response.end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${base}`,
    hits: (pathname) => hits.get(pathname) ?? 0,
    close: () => new Promise((resolve) => server.closeAllConnections() ?? server.close(() => resolve())),
  };
}
