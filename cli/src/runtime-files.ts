import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { RuntimeSource } from "../../wasm-runtime/index.ts";

const RUNTIMES_DIR = fileURLToPath(new URL("../../public/runtimes/", import.meta.url));

/** Reads a runtime module built by `npm run build:runtimes` from the repository's public/ folder. */
export const readRuntime: RuntimeSource = (runtime) => readRuntimeFile(runtime, `${runtime}.wasm`);

/** Any file `npm run build:runtimes` writes for `runtime` (clang's resources tar). */
export async function readRuntimeFile(runtime: string, name: string): Promise<Uint8Array> {
  const file = `${RUNTIMES_DIR}${name}`;
  try {
    return new Uint8Array(await readFile(file));
  } catch {
    throw new Error(`the ${runtime} runtime is missing (${file}): run \`npm run build:runtimes\` first`);
  }
}
