import type { Plugin, PreviewServer, ViteDevServer } from "vite";
import { createNativeRunner, newToken } from "../native/server.ts";

/**
 * Mounts the local native runner (native/server.ts) under /native/ on the
 * dev and preview servers' own 127.0.0.1 origin, with a fresh random token
 * printed in the terminal. Off with PLAYPEN_NATIVE_RUNNER=0, and whenever the
 * server listens beyond loopback.
 */
export function nativeRunner(): Plugin {
  const mount = (server: ViteDevServer | PreviewServer, host: string | boolean | undefined) => {
    if (process.env.PLAYPEN_NATIVE_RUNNER === "0") return;
    // It runs sandboxes as root on request: never reachable from another machine.
    if (host !== undefined && host !== "127.0.0.1" && host !== "localhost") {
      server.config.logger.warn(`  Native runner: off (the server listens on ${String(host)}, not only on 127.0.0.1)`);
      return;
    }
    const token = newToken();
    const handle = createNativeRunner({ token });
    server.middlewares.use((request, response, next) => {
      handle(request, response).then((handled) => (handled ? undefined : next()), next);
    });
    server.httpServer?.once("listening", () => {
      const address = server.httpServer?.address();
      const port = address && typeof address === "object" ? address.port : "?";
      server.config.logger.info(`  ➜  Native runner: http://127.0.0.1:${port}/#compare  token: ${token}`);
    });
  };
  return {
    name: "playpen:native-runner",
    configureServer: (server) => mount(server, server.config.server.host),
    configurePreviewServer: (server) => mount(server, server.config.preview.host),
  };
}
