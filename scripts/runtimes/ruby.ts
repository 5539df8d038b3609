import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../build-examples.ts";
import { stripCustomSections } from "../../wasm-runtime/module/index.ts";
import { importClosure } from "./import-closure.ts";
import type { RuntimeRecipe } from "./recipe.ts";
import { rubyReactorToCommand } from "./ruby-command.ts";

const packageDir = join(ROOT, "node_modules/@ruby/3.4-wasm-wasi");
const packageVersion = (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string }).version;
// The stdlib is packed inside by wasi-vfs, so the module needs no files of its own.
const module = join(packageDir, "dist/ruby+stdlib.wasm");

/**
 * Ruby 3.4 from ruby.wasm's npm package. It ships a reactor for JS hosts, so it is
 * turned into a WASI command (ruby-command.ts); debug sections
 * go first, since the rewrite renumbers functions.
 */
export const ruby: RuntimeRecipe = {
  name: "ruby",
  version: "3.4",
  source: `npm:@ruby/3.4-wasm-wasi@${packageVersion}`,
  file: "ruby.wasm",
  inputs: [module, ...importClosure(join(ROOT, "scripts/runtimes/ruby-command.ts"))],
  missing: () => undefined,
  build: (log) => {
    const command = rubyReactorToCommand(stripCustomSections(new Uint8Array(readFileSync(module))));
    log("reactor turned into a command: JS imports stubbed, _start added");
    return Promise.resolve(command);
  },
};
