import type { RuntimeEntry, RuntimeManifest } from "./runtime-manifest.ts";

/**
 * Offline copies of the runtime modules, one per runtime version, in Cache
 * Storage. The runtimes themselves load from the network and the browser's HTTP
 * cache (where V8 keeps their machine code); these copies answer only when the
 * network does not, so Playpen runs offline after one visit, and a person can
 * see and clear what is kept. The service worker keeps the rest of the app
 * (public/playpen-sw.js) in `SHELL_CACHE`.
 */
const RUNTIME_CACHE = "playpen-runtimes";
const SHELL_CACHE = "playpen-shell";

/** A runtime's URL names its hash: a new build is a new URL, and the browser may keep each for good. */
export function runtimeUrl(entry: RuntimeEntry): URL {
  return new URL(`${import.meta.env.BASE_URL}runtimes/${entry.file}?v=${entry.sha256.slice(0, 16)}`, self.location.origin);
}

/** The kept copy of `url`, if any (only used when the network fails). */
export async function keptRuntime(url: URL): Promise<Response | undefined> {
  return (await caches.open(RUNTIME_CACHE)).match(url);
}

/** Keeps `bytes` as the offline copy of `url`, replacing other versions of the same file. */
export async function keepRuntime(url: URL, bytes: Uint8Array): Promise<void> {
  const cache = await caches.open(RUNTIME_CACHE);
  if (await cache.match(url)) return;
  for (const request of await cache.keys()) {
    if (new URL(request.url).pathname === url.pathname) await cache.delete(request);
  }
  await cache.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "Content-Type": "application/wasm" } }));
}

/** Names of the runtimes whose current version is kept for offline use. */
export async function offlineRuntimes(manifest: RuntimeManifest): Promise<string[]> {
  if (typeof caches === "undefined") return [];
  const cache = await caches.open(RUNTIME_CACHE);
  const kept = new Set((await cache.keys()).map((request) => request.url));
  return manifest.runtimes.filter((entry) => kept.has(runtimeUrl(entry).href)).map((entry) => entry.name);
}

/** Drops every offline copy (runtimes and the app shell); the next visit downloads again. */
export async function clearOfflineCopies(): Promise<void> {
  await Promise.all([caches.delete(RUNTIME_CACHE), caches.delete(SHELL_CACHE)]);
}
