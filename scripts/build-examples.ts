/**
 * Builds every examples/c/*.c twice:
 *   - to WASI with clang-16 into public/examples/<name>.wasm (served to the browser), and
 *   - natively with cc -static into build/native/<name> (for WASI-vs-native benchmarks).
 * Outputs newer than their source and this script are skipped, so a re-run is a fast no-op.
 *
 * Usage: npx tsx scripts/build-examples.ts
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync } from "node:fs";
import { delimiter, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
export const EXAMPLES_DIR = join(ROOT, "examples/c");
export const WASM_OUT_DIR = join(ROOT, "public/examples");
export const NATIVE_OUT_DIR = join(ROOT, "build/native");
export const SYSROOT = join(ROOT, "build/wasi-sysroot");

// Debian's wasi-libc layout (package wasi-libc).
const WASI_INCLUDE = "/usr/include/wasm32-wasi";
const WASI_LIB = "/usr/lib/wasm32-wasi";
const INSTALL_HINT = "apt-get install clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32";

export interface BuiltOutput {
  /** Absolute path of the artifact. */
  path: string;
  kind: "wasm" | "native";
  status: "built" | "up-to-date";
  bytes: number;
}

export function onPath(program: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => dir && existsSync(join(dir, program)));
}

export function checkToolchain(): void {
  const missing: string[] = [];
  if (!onPath("clang-16")) {
    missing.push("clang-16");
  } else {
    // Without the compiler-rt builtins the link fails with obscure undefined symbols.
    const builtins = execFileSync("clang-16", ["--target=wasm32-wasi", "-print-libgcc-file-name"], { encoding: "utf8" }).trim();
    if (!existsSync(builtins)) missing.push(`compiler-rt for wasm32 (${builtins})`);
  }
  if (!onPath("wasm-ld-16")) missing.push("wasm-ld-16 (lld-16)");
  if (!existsSync(join(WASI_INCLUDE, "stdio.h")) || !existsSync(join(WASI_LIB, "libc.a"))) {
    missing.push(`wasi-libc (${WASI_INCLUDE}, ${WASI_LIB})`);
  }
  if (!onPath("cc")) missing.push("cc (native C compiler)");
  if (missing.length > 0) {
    throw new Error(`Missing C toolchain pieces: ${missing.join(", ")}.\nInstall them with: ${INSTALL_HINT}`);
  }
}

/**
 * clang-16 searches /usr/include after the WASI headers, so a header missing from
 * wasi-libc silently resolves to glibc's. A sysroot holding only wasi-libc makes
 * that a compile error instead.
 */
export function ensureSysroot(): void {
  const links: [string, string][] = [
    [join(SYSROOT, "include"), WASI_INCLUDE],
    [join(SYSROOT, "lib/wasm32-wasi"), WASI_LIB],
  ];
  for (const [link, target] of links) {
    if (existsSync(link) && realpathSync(link) === realpathSync(target)) continue;
    rmSync(link, { recursive: true, force: true });
    mkdirSync(resolve(link, ".."), { recursive: true });
    symlinkSync(target, link);
  }
}

/** The WASI compile command (without -o and the source), against the clean sysroot. */
export function wasiCompileCommand(): string[] {
  // -s strips debug info and the name section: these files are downloaded by browsers.
  return ["clang-16", "--target=wasm32-wasi", `--sysroot=${SYSROOT}`, "-O2", "-Wall", "-Wextra", "-s"];
}

function isUpToDate(output: string, inputs: string[]): boolean {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return inputs.every((input) => statSync(input).mtimeMs <= built);
}

/** Compiles all examples; returns one entry per output, in a stable order. */
export function buildExamples(log: (line: string) => void = console.log): BuiltOutput[] {
  checkToolchain();
  ensureSysroot();
  mkdirSync(WASM_OUT_DIR, { recursive: true });
  mkdirSync(NATIVE_OUT_DIR, { recursive: true });

  // Flag changes in this script must also trigger a rebuild.
  const self = fileURLToPath(import.meta.url);
  const sources = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith(".c")).sort();
  const results: BuiltOutput[] = [];

  for (const file of sources) {
    const name = file.slice(0, -2);
    const source = join(EXAMPLES_DIR, file);
    const targets = [
      {
        kind: "wasm" as const,
        path: join(WASM_OUT_DIR, `${name}.wasm`),
        command: wasiCompileCommand(),
      },
      {
        kind: "native" as const,
        path: join(NATIVE_OUT_DIR, name),
        // Static, so the benchmark does not pay for dynamic linking.
        command: ["cc", "-O2", "-static", "-Wall", "-Wextra"],
      },
    ];
    for (const { kind, path, command } of targets) {
      const upToDate = isUpToDate(path, [source, self]);
      if (!upToDate) {
        const [program, ...args] = command;
        execFileSync(program!, [...args, "-o", path, source], { stdio: ["ignore", "inherit", "inherit"] });
      }
      const result: BuiltOutput = { path, kind, status: upToDate ? "up-to-date" : "built", bytes: statSync(path).size };
      log(`${result.status.padEnd(10)} ${relative(ROOT, path)} (${(result.bytes / 1024).toFixed(1)} KiB)`);
      results.push(result);
    }
  }
  return results;
}

function isMain(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
}

if (isMain()) {
  try {
    buildExamples();
  } catch (error) {
    // execFileSync already streamed the compiler's diagnostics to stderr.
    console.error(`build-examples: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
