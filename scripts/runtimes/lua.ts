import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../build-examples.ts";
import { debianSource, missingAptSource } from "./debian-source.ts";
import type { RuntimeRecipe } from "./recipe.ts";
import { compileToWasi, linkWasi, missingWasiToolchain, SHIM_FILES, SHIMS_DIR, SJLJ_FLAGS, TOOLCHAIN_FILES, WORK_DIR } from "./toolchain.ts";

const PACKAGE = "lua5.4";
const VERSION = "5.4.4-3+deb12u1";

const CORE = ["lapi", "lcode", "lctype", "ldebug", "ldo", "ldump", "lfunc", "lgc", "llex", "lmem", "lobject", "lopcodes", "lparser", "lstate"]
  .concat(["lstring", "ltable", "ltm", "lundump", "lvm", "lzio"])
  .concat(["lauxlib", "lbaselib", "lcorolib", "ldblib", "liolib", "lmathlib", "loadlib", "loslib", "lstrlib", "ltablib", "lutf8lib", "linit"]);

// The library's POSIX parts (no tmpnam in WASI); lua.c's POSIX part is sigaction for Ctrl+C, which WASI lacks.
const LIBRARY_POSIX = ["ldo", "liolib", "loslib"];

/**
 * The `lua` interpreter from Debian's lua5.4 source. Lua's errors, pcall and
 * coroutines unwind with setjmp/longjmp, which come from the wasm exception shim.
 */
export const lua: RuntimeRecipe = {
  name: "lua",
  version: "5.4.4",
  source: `debian:${PACKAGE}=${VERSION}`,
  file: "lua.wasm",
  inputs: [join(ROOT, "scripts/runtimes/lua.ts"), join(ROOT, "scripts/runtimes/debian-source.ts"), ...SHIM_FILES, ...TOOLCHAIN_FILES],
  missing: () => missingWasiToolchain() ?? missingAptSource(),
  async build(log) {
    const source = await debianSource(PACKAGE, VERSION, log);
    const work = join(WORK_DIR, "lua");
    rmSync(work, { recursive: true, force: true });
    cpSync(join(source, "src"), work, { recursive: true });
    // Debian's luaconf.h names the multiarch triplet in its C module paths; there are no C modules here.
    writeFileSync(join(work, "lua5.4-deb-multiarch.h"), '#define DEB_HOST_MULTIARCH "wasm32-wasi"\n');
    log("compiling to WASI");
    // As Debian builds it, minus dlopen: io.popen and os.tmpname fail cleanly through the shims.
    const objects = await compileToWasi(work, [...CORE.map((name) => `${name}.c`), "lua.c", join(SHIMS_DIR, "wasm-sjlj.c")], [
      "-DLUA_COMPAT_5_3",
      ...SJLJ_FLAGS,
    ], Object.fromEntries(LIBRARY_POSIX.map((name) => [`${name}.c`, ["-DLUA_USE_POSIX"]])));
    await linkWasi(work, objects, "lua.wasm");
    return new Uint8Array(readFileSync(join(work, "lua.wasm")));
  },
};
