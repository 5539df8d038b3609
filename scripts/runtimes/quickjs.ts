import { cpSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../build-examples.ts";
import type { RuntimeRecipe } from "./recipe.ts";
import { applyPatch, compileToWasi, linkWasi, missingWasiToolchain, PATCHES_DIR, run, SHIM_FILES, TOOLCHAIN_FILES, WORK_DIR } from "./toolchain.ts";

const PACKAGE = "qjsc";
const packageDir = join(ROOT, "node_modules", PACKAGE);
const sourceDir = join(packageDir, "deps/quickjs_2021_03_27");
const packageVersion = (): string => (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string }).version;
const quickjsVersion = (): string => readFileSync(join(sourceDir, "VERSION"), "utf8").trim();

const LIBRARY = ["quickjs.c", "libregexp.c", "libunicode.c", "cutils.c", "libbf.c", "quickjs-libc.c"];
const defines = () => ["-D_GNU_SOURCE", `-DCONFIG_VERSION="${quickjsVersion()}"`, "-DCONFIG_BIGNUM"];

/**
 * QuickJS's `qjs` with its std and os modules, from the sources the npm package
 * qjsc ships. qjs embeds its REPL and calculator as bytecode, so a native qjsc is
 * built first to compile them.
 */
export const quickjs: RuntimeRecipe = {
  name: "quickjs",
  get version() {
    return quickjsVersion();
  },
  get source() {
    return `npm:${PACKAGE}@${packageVersion()}`;
  },
  file: "quickjs.wasm",
  inputs: [join(PATCHES_DIR, "quickjs-wasi.patch"), join(ROOT, "scripts/runtimes/quickjs.ts"), ...SHIM_FILES, ...TOOLCHAIN_FILES],
  missing: () => missingWasiToolchain() ?? missingPackage(),
  async build(log) {
    const work = join(WORK_DIR, "quickjs");
    rmSync(work, { recursive: true, force: true });
    cpSync(sourceDir, work, { recursive: true });
    await applyPatch(work, "quickjs-wasi.patch");
    log("native qjsc, to compile the REPL to bytecode");
    // -O0: it only runs twice, on two small files.
    await run("cc", ["-O0", "-w", ...defines(), "-o", "host-qjsc", "qjsc.c", ...LIBRARY, "-lm", "-ldl", "-lpthread"], work);
    await run("./host-qjsc", ["-c", "-o", "repl.c", "-m", "repl.js"], work);
    await run("./host-qjsc", ["-fbignum", "-c", "-o", "qjscalc.c", "qjscalc.js"], work);
    log("compiling to WASI");
    const objects = await compileToWasi(work, [...LIBRARY, "qjs.c", "repl.c", "qjscalc.c"], defines());
    await linkWasi(work, objects, "qjs.wasm");
    return new Uint8Array(readFileSync(join(work, "qjs.wasm")));
  },
};

function missingPackage(): string | undefined {
  try {
    readFileSync(join(sourceDir, "VERSION"));
    return undefined;
  } catch {
    return `the npm package ${PACKAGE} (npm ci installs it)`;
  }
}
