import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's Chromium, with the flags this machine needs (no sandbox as root, no background traffic). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface PreviewServer {
  url: string;
  /** What the server printed so far (e.g. the native runner's token). */
  output(): string;
  close(): Promise<void>;
}

/** Serves the production build (dist/, from `npm run build`) with `vite preview` on a free loopback port. */
export async function startPreview(): Promise<PreviewServer> {
  const port = await freePort();
  const child = spawn("npx", ["vite", "preview", "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url, child);
  return {
    url,
    output: () => output,
    close: async () => {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
      await new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(null)));
    },
  };
}

export interface Browser {
  context: BrowserContext;
  /** The profile folder (its caches live there). */
  profile: string;
  close(): Promise<void>;
}

/** A fresh headless Chromium with an empty profile; `serviceWorkers: "block"` plays a browser that refuses them. */
export async function launchBrowser(options: { serviceWorkers?: "allow" | "block" } = {}): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), "playpen-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    serviceWorkers: options.serviceWorkers ?? "allow",
  });
  // tsx compiles with esbuild's keepNames, which wraps named functions in `__name(...)`;
  // functions Playwright serialises into the page (init scripts, evaluate) need it there too.
  await context.addInitScript({ content: "globalThis.__name ??= (fn) => fn;" });
  return {
    context,
    profile,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Bytes of WebAssembly machine code Chromium keeps in a profile (V8's code cache). */
export function codeCacheBytes(profile: string): number {
  const folder = path.join(profile, "Default", "Code Cache", "wasm");
  try {
    return readdirSync(folder).reduce((sum, name) => sum + statSync(path.join(folder, name)).size, 0);
  } catch {
    return 0; // not created yet
  }
}

/** Whether the profile's code cache reaches `bytes` within `ms` (Chromium writes it in the background). */
export async function codeCacheReaches(profile: string, bytes: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
    if (codeCacheBytes(profile) >= bytes) return true;
  }
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with status ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`vite preview did not answer at ${url} within 30 s`);
}
