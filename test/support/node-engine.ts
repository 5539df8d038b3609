import { readFile } from "node:fs/promises";

export { createNodeEngine as nodeWasmerEngine } from "../../cli/src/node-engine.ts";

export async function exampleModule(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(new URL(`../../public/examples/${name}.wasm`, import.meta.url)));
}
