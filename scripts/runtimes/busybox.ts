import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../build-examples.ts";
import { debianSource, missingAptSource } from "./debian-source.ts";
import { BUSYBOX_APPLETS } from "../../wasm-runtime/languages/busybox.ts";
import type { RuntimeRecipe } from "./recipe.ts";
import { applyPatch, compileToWasi, linkWasi, missingWasiToolchain, onPath, PATCHES_DIR, run, SHIM_FILES, SHIMS_DIR, SJLJ_FLAGS, TOOLCHAIN_FILES, WORK_DIR } from "./toolchain.ts";

const PACKAGE = "busybox";
const VERSION = "1:1.35.0-4+deb12u1";
const UPSTREAM = "1.35.0";
const BUSYBOX_SHIMS = join(SHIMS_DIR, "busybox");
/** Kconfig stamps the config and the banner with the build time unless told not to: the build must be reproducible. */
const KBUILD_ENV = { ...process.env, KCONFIG_NOTIMESTAMP: "1", SOURCE_DATE_EPOCH: "0" };


/** Options switched on beside the applets (everything else stays as allnoconfig leaves it). */
const FEATURES = [
  // `busybox APPLET`, --long-options, --help, 64-bit files, the fuller option sets
  "BUSYBOX", "LONG_OPTS", "SHOW_USAGE", "FEATURE_VERBOSE_USAGE", "LFS", "DESKTOP", "FEATURE_HUMAN_READABLE",
  "FLOAT_DURATION", "FEATURE_SEAMLESS_GZ", "FEATURE_TIMEZONE",
  // xargs and find -exec run NOFORK applets in-process instead of failing to spawn them
  "FEATURE_PREFER_APPLETS",
  "FEATURE_GUNZIP_LONG_OPTIONS", "FEATURE_GZIP_LONG_OPTIONS", "FEATURE_GZIP_LEVELS", "FEATURE_TAR_LONG_OPTIONS",
  "FEATURE_TAR_CREATE", "FEATURE_TAR_AUTODETECT", "FEATURE_TAR_FROM", "FEATURE_TAR_GNU_EXTENSIONS", "FEATURE_TAR_NOPRESERVE_TIME",
  "FEATURE_CATN", "FEATURE_CATV", "FEATURE_CP_LONG_OPTIONS", "FEATURE_CUT_REGEX", "FEATURE_DATE_ISOFMT", "FEATURE_DATE_NANO",
  "FEATURE_DATE_COMPAT", "FEATURE_DU_DEFAULT_BLOCKSIZE_1K", "FEATURE_FANCY_ECHO", "FEATURE_FANCY_HEAD",
  "FEATURE_LS_FILETYPES", "FEATURE_LS_FOLLOWLINKS", "FEATURE_LS_RECURSIVE", "FEATURE_LS_WIDTH", "FEATURE_LS_SORTFILES",
  "FEATURE_LS_TIMESTAMPS", "FEATURE_LS_USERNAME", "FEATURE_MD5_SHA1_SUM_CHECK", "FEATURE_READLINK_FOLLOW", "FEATURE_FANCY_SLEEP",
  "FEATURE_SORT_BIG", "FEATURE_SPLIT_FANCY", "FEATURE_STAT_FORMAT", "FEATURE_FANCY_TAIL", "FEATURE_TEST_64",
  "FEATURE_TOUCH_SUSV3", "FEATURE_TR_CLASSES", "FEATURE_TR_EQUIV", "FEATURE_WC_LARGE",
  "FEATURE_AWK_LIBM", "FEATURE_AWK_GNU_EXTENSIONS", "FEATURE_DIFF_LONG_OPTIONS", "FEATURE_DIFF_DIR",
  "FEATURE_FIND_PRINT0", "FEATURE_FIND_MTIME", "FEATURE_FIND_ATIME", "FEATURE_FIND_CTIME", "FEATURE_FIND_MMIN",
  "FEATURE_FIND_AMIN", "FEATURE_FIND_CMIN", "FEATURE_FIND_PERM", "FEATURE_FIND_TYPE", "FEATURE_FIND_EXECUTABLE",
  "FEATURE_FIND_MAXDEPTH", "FEATURE_FIND_NEWER", "FEATURE_FIND_INUM", "FEATURE_FIND_SAMEFILE", "FEATURE_FIND_EXEC",
  "FEATURE_FIND_EXEC_PLUS", "FEATURE_FIND_NOT", "FEATURE_FIND_DEPTH", "FEATURE_FIND_PAREN", "FEATURE_FIND_SIZE",
  "FEATURE_FIND_PRUNE", "FEATURE_FIND_QUIT", "FEATURE_FIND_DELETE", "FEATURE_FIND_EMPTY", "FEATURE_FIND_PATH",
  "FEATURE_FIND_REGEX", "FEATURE_FIND_LINKS",
  "FEATURE_GREP_CONTEXT", "FEATURE_XARGS_SUPPORT_QUOTES", "FEATURE_XARGS_SUPPORT_TERMOPT",
  "FEATURE_XARGS_SUPPORT_ZERO_TERM", "FEATURE_XARGS_SUPPORT_REPL_STR", "FEATURE_XARGS_SUPPORT_ARGS_FILE",
];

/** The folders busybox's Makefile builds (core-y and libs-y); each Kbuild lists its objects for a config. */
const SOURCE_DIRS = [
  "applets", "archival", "archival/libarchive", "coreutils", "coreutils/libcoreutils", "debianutils", "editors",
  "findutils", "libbb", "libpwdgrp", "miscutils", "util-linux",
];

/**
 * libbb files every configuration compiles but no applet here calls: networking,
 * logins and terminals, whose headers WASI lacks. Linking objects directly (not
 * through lib.a) would otherwise need them to compile.
 */
const LIBBB_WITHOUT_WASI = new Set(
  ["bb_askpass", "bb_getsockname", "change_identity", "herror_msg", "inet_common", "speed_table", "xconnect", "xgethostbyname"]
    .map((name) => `libbb/${name}.c`),
);

/**
 * One multi-call busybox.wasm from Debian's busybox source: argv[0] (or
 * `busybox APPLET`) picks the applet. Busybox's own Kbuild configures it and
 * generates its headers natively; its objects are then compiled to WASI and
 * linked here rather than by busybox's link scripts.
 */
export const busybox: RuntimeRecipe = {
  name: "busybox",
  version: UPSTREAM,
  source: `debian:${PACKAGE}=${VERSION}`,
  file: "busybox.wasm",
  commands: BUSYBOX_APPLETS,
  inputs: [
    join(ROOT, "scripts/runtimes/busybox.ts"),
    join(ROOT, "wasm-runtime/languages/busybox.ts"),
    join(ROOT, "scripts/runtimes/debian-source.ts"),
    join(PATCHES_DIR, "busybox-wasi.patch"),
    ...shimFiles(BUSYBOX_SHIMS),
    join(SHIMS_DIR, "include/pwd.h"),
    ...SHIM_FILES,
    ...TOOLCHAIN_FILES,
  ],
  missing: () => missingWasiToolchain() ?? missingAptSource() ?? missingKbuildTools(),
  async build(log) {
    const source = await debianSource(PACKAGE, VERSION, log);
    const work = join(WORK_DIR, "busybox");
    rmSync(work, { recursive: true, force: true });
    cpSync(source, work, { recursive: true });
    await applyPatch(work, "busybox-wasi.patch");
    log(`configuring ${BUSYBOX_APPLETS.length} applets (allnoconfig + the list in wasm-runtime/languages/busybox.ts)`);
    await configure(work);
    // Generates include/autoconf.h, applet_tables.h, usage_compressed.h… with host tools.
    await run("make", ["-s", "applets_dir"], work, KBUILD_ENV);
    checkAppletTable(work);
    const sources = (await Promise.all(SOURCE_DIRS.map((dir) => kbuildSources(work, dir)))).flat().filter((file) => !LIBBB_WITHOUT_WASI.has(file));
    log(`compiling ${sources.length} files to WASI`);
    const objects = await compileToWasi(work, [...sources, join(BUSYBOX_SHIMS, "busybox-wasi.c"), join(SHIMS_DIR, "wasm-sjlj.c")], [
      "-Os",
      "-std=gnu11",
      `-I${join(BUSYBOX_SHIMS, "include")}`,
      "-include",
      join(BUSYBOX_SHIMS, "busybox-wasi.h"),
      "-D_WASI_EMULATED_MMAN",
      // As busybox's Makefile.flags sets them.
      "-Iinclude",
      "-Ilibbb",
      "-include",
      "include/autoconf.h",
      "-D_GNU_SOURCE",
      "-DNDEBUG",
      "-D_LARGEFILE_SOURCE",
      "-D_LARGEFILE64_SOURCE",
      "-D_FILE_OFFSET_BITS=64",
      `-DBB_VER="${UPSTREAM}"`,
      // The banner's build tag, in place of the build time.
      `-DBB_EXTRA_VERSION=" (Debian ${VERSION.replace(/^\d+:/, "")}, WASI)"`,
      // test's errors and NOFORK applets' exits unwind with longjmp.
      ...SJLJ_FLAGS,
    ]);
    await linkWasi(work, objects, "busybox.wasm", ["-lm", "-lwasi-emulated-mman"]);
    return new Uint8Array(readFileSync(join(work, "busybox.wasm")));
  },
};

/** allnoconfig, then the applets and features above, then Kconfig's defaults for what they reveal. */
async function configure(work: string): Promise<void> {
  await run("make", ["-s", "allnoconfig"], work, KBUILD_ENV);
  const path = join(work, ".config");
  let config = readFileSync(path, "utf8")
    // No shell: both need fork. allnoconfig still picks ash for the "sh is" choice.
    .replace("CONFIG_SH_IS_ASH=y", "# CONFIG_SH_IS_ASH is not set")
    .replace("CONFIG_SHELL_ASH=y", "# CONFIG_SHELL_ASH is not set")
    .replace("# CONFIG_SH_IS_NONE is not set", "CONFIG_SH_IS_NONE=y");
  // Each applet's option is its name in capitals (CONFIG_SHA256SUM); `[` and `[[` come with test.
  const wanted = [...BUSYBOX_APPLETS.map((applet) => applet.toUpperCase()), ...FEATURES];
  for (const name of wanted) {
    const off = `# CONFIG_${name} is not set`;
    if (!config.includes(off)) throw new Error(`busybox has no option CONFIG_${name} (scripts/runtimes/busybox.ts)`);
    config = config.replace(off, `CONFIG_${name}=y`);
  }
  writeFileSync(path, config);
  await run("sh", ["-c", "yes '' | make -s oldconfig >/dev/null"], work, KBUILD_ENV);
  const result = readFileSync(path, "utf8");
  const dropped = wanted.filter((name) => !result.includes(`CONFIG_${name}=y\n`));
  if (dropped.length > 0) throw new Error(`busybox's Kconfig turned off ${dropped.join(", ")}: an option they depend on is off`);
}

/** The applet table busybox generated must be exactly the list the manifest announces. */
function checkAppletTable(work: string): void {
  const table = readFileSync(join(work, "include/applet_tables.h"), "utf8");
  const names = /applet_names\[\] ALIGN1 = ""\n([\s\S]*?);/.exec(table)?.[1];
  if (names === undefined) throw new Error("include/applet_tables.h: no applet_names table");
  const built = [...names.matchAll(/"([^"\\]+)" "\\0"/g)].map((m) => m[1]!).filter((name) => name !== "[" && name !== "[[");
  const expected = [...BUSYBOX_APPLETS].sort();
  if (built.join(" ") !== expected.join(" ")) {
    throw new Error(`busybox's applet table (${built.join(" ")}) differs from BUSYBOX_APPLETS (${expected.join(" ")})`);
  }
}

/** The C sources a folder's Kbuild compiles for this .config, asking make itself to evaluate it. */
async function kbuildSources(work: string, dir: string): Promise<string[]> {
  const makefile = `include .config\ninclude ${dir}/Kbuild\nplaypen-sources:\n\t@echo $(sort $(lib-y) $(obj-y))\n`;
  const listing = join(work, `.playpen-${dir.replaceAll("/", "-")}.mk`);
  writeFileSync(listing, makefile);
  const objects = (await run("make", ["-s", "-f", listing, "playpen-sources"], work)).trim().split(/\s+/).filter(Boolean);
  return objects.map((object) => `${dir}/${object.replace(/\.o$/, ".c")}`);
}

function shimFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Busybox's Kbuild runs host tools: a C compiler, make, and bzip2 (it packs the config text into the binary). */
function missingKbuildTools(): string | undefined {
  const missing = ["make", "cc", "bzip2"].filter((tool) => !onPath(tool));
  return missing.length > 0 ? `${missing.join(", ")} (apt-get install make gcc bzip2)` : undefined;
}
