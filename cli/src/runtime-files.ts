import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { RuntimeSource } from "../../wasm-runtime/index.ts";

const RUNTIMES_DIR = fileURLToPath(new URL("../../public/runtimes/", import.meta.url));

/** Reads a runtime module built by `npm run build:runtimes` from the repository's public/ folder. */
export const readRuntime: RuntimeSource = async (runtime) => {
  const file = `${RUNTIMES_DIR}${runtime}.wasm`;
  try {
    return new Uint8Array(await readFile(file));
  } catch {
    throw new Error(`the ${runtime} runtime is missing (${file}): run \`npm run build:runtimes\` first`);
  }
};
