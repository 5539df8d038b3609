import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../build-examples.ts";
import { debianSource, missingAptSource } from "./debian-source.ts";
import type { RuntimeRecipe } from "./recipe.ts";
import { compileToWasi, linkWasi, missingWasiToolchain, onPath, run, SHIM_FILES, SHIMS_DIR, TOOLCHAIN_FILES, WORK_DIR } from "./toolchain.ts";

const PACKAGE = "sqlite3";
const VERSION = "3.40.1-2+deb12u2";

/**
 * The sqlite3 shell from Debian's sqlite3 source. The source tree is not the
 * amalgamation, so SQLite's own build (configure, tclsh) generates sqlite3.c and
 * shell.c natively first; those are then compiled to WASI.
 */
export const sqlite: RuntimeRecipe = {
  name: "sqlite",
  version: "3.40.1",
  source: `debian:${PACKAGE}=${VERSION}`,
  file: "sqlite.wasm",
  inputs: [
    join(ROOT, "scripts/runtimes/sqlite.ts"),
    join(ROOT, "scripts/runtimes/debian-source.ts"),
    join(SHIMS_DIR, "sqlite-wasi.h"),
    join(SHIMS_DIR, "include/pwd.h"),
    ...SHIM_FILES,
    ...TOOLCHAIN_FILES,
  ],
  missing: () => missingWasiToolchain() ?? missingAptSource() ?? missingGenerators(),
  async build(log) {
    const source = await debianSource(PACKAGE, VERSION, log);
    const work = join(WORK_DIR, "sqlite");
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    log("generating the amalgamation (configure, make sqlite3.c shell.c)");
    await run("sh", [join(source, "configure"), "--disable-tcl", "--quiet"], work);
    await run("make", ["-j2", "sqlite3.c", "shell.c"], work);
    log("compiling to WASI");
    const objects = await compileToWasi(work, ["sqlite3.c", "shell.c"], [
      "-include",
      join(SHIMS_DIR, "sqlite-wasi.h"),
      "-DSQLITE_ENABLE_MATH_FUNCTIONS",
      "-DSQLITE_ENABLE_FTS5",
      "-DSQLITE_ENABLE_DBSTAT_VTAB",
    ]);
    await linkWasi(work, objects, "sqlite3.wasm", ["-lm"]);
    return new Uint8Array(readFileSync(join(work, "sqlite3.wasm")));
  },
};

function missingGenerators(): string | undefined {
  const missing = ["tclsh", "make", "cc"].filter((tool) => !onPath(tool));
  return missing.length > 0 ? `${missing.join(", ")} (apt-get install tcl make gcc)` : undefined;
}
