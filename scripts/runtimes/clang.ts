import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../build-examples.ts";
import type { RuntimeRecipe } from "./recipe.ts";

const packageDir = join(ROOT, "node_modules/@yowasp/clang");
const packageVersion = (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string }).version;
const module = join(packageDir, "gen/llvm.core.wasm");
const resources = join(packageDir, "gen/llvm-resources.tar");
/** Served beside the module: the headers, wasi-libc and compiler-rt that clang and wasm-ld read from /usr. */
export const CLANG_RESOURCES_FILE = "clang-resources.tar";

/**
 * clang 22 and wasm-ld from YoWASP's npm package: llvm.core.wasm is already a
 * WASI command, a multi-call binary choosing the tool by argv[0] (`clang`,
 * `wasm-ld`). Its resources tar is copied as it is to public/runtimes.
 */
export const clang: RuntimeRecipe = {
  name: "clang",
  version: "22.1.0",
  source: `npm:@yowasp/clang@${packageVersion}`,
  file: "clang.wasm",
  inputs: [module, resources, join(ROOT, "scripts/runtimes/clang.ts")],
  missing: () => undefined,
  build: (log) => {
    const outDir = join(ROOT, "public/runtimes");
    mkdirSync(outDir, { recursive: true });
    copyFileSync(resources, join(outDir, CLANG_RESOURCES_FILE));
    log(`copied ${CLANG_RESOURCES_FILE} (headers, wasi-libc, compiler-rt)`);
    return Promise.resolve(new Uint8Array(readFileSync(module)));
  },
};
