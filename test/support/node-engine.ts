import { readFile } from "node:fs/promises";
import { afterAll, beforeAll } from "vitest";
import { createNodeEngine } from "../../cli/src/node-engine.ts";
import type { Engine, EngineName, Sandbox } from "../../wasm-runtime/index.ts";

export { createNodeEngine as nodeWasmerEngine } from "../../cli/src/node-engine.ts";

export async function exampleModule(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(new URL(`../../public/examples/${name}.wasm`, import.meta.url)));
}

/** One engine and one sandbox for a whole test file (made before its first test, closed after its last); call the result for the sandbox. */
export function sandboxForFile(name: EngineName = "gated"): () => Sandbox {
  let engine: Engine | undefined;
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    engine = createNodeEngine(name);
    sandbox = await engine.createSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
    await engine?.close();
  });
  return () => sandbox!;
}
