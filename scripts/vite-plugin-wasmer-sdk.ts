import { cp, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Plugin } from "vite";

const PUBLIC_PATH = "/wasmer-sdk";
// The package exports no package.json; its Node entry sits in dist/, one level below the root.
const sdkRoot = path.dirname(path.dirname(createRequire(import.meta.url).resolve("@wasmer/sdk/node")));

/**
 * Serves @wasmer/sdk as loose files instead of bundling it: the SDK spawns its
 * own workers from files beside its entry point, and bundling breaks their
 * relative imports ("Scheduler is dead" at the first run).
 */
export function wasmerSdk(): Plugin {
  let outDir = "dist";
  // Under the app's base (`--base /playpen/`), so a build hosted in a sub-folder finds it.
  let entry = `${PUBLIC_PATH}/dist/index.js`;
  return {
    name: "playpen:wasmer-sdk",
    enforce: "pre",
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
      entry = `${config.base.replace(/\/$/, "")}${PUBLIC_PATH}/dist/index.js`;
    },
    resolveId(id) {
      if (id === "@wasmer/sdk" || id === "@wasmer/sdk/browser") return { id: entry, external: true };
      return null;
    },
    configureServer(server) {
      server.middlewares.use(PUBLIC_PATH, (req, res, next) => {
        const file = path.join(sdkRoot, path.normalize(req.url ?? "/").split("?")[0] ?? "");
        if (!file.startsWith(sdkRoot + path.sep)) return next();
        readFile(file).then(
          (body) => {
            const type = file.endsWith(".wasm") ? "application/wasm" : "text/javascript";
            res.setHeader("Content-Type", type);
            res.end(body);
          },
          () => next(),
        );
      });
    },
    async writeBundle() {
      for (const dir of ["dist", "pkg"]) {
        await cp(path.join(sdkRoot, dir), path.join(outDir, PUBLIC_PATH, dir), { recursive: true });
      }
    },
  };
}
