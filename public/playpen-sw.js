// Playpen's service worker (registered by web/offline/isolation.ts). Two jobs:
// 1. Cross-origin isolation on hosts that send no headers: every response it
//    serves carries COOP/COEP, so the page and its workers get SharedArrayBuffer.
// 2. The app offline after one visit: what it serves is kept (network first,
//    the kept copy when the network fails).
// Runtime modules (`runtimes/*.wasm?v=<hash>`) pass straight to the network: V8
// keeps their machine code beside the browser's HTTP cache entry, and the
// sandbox worker keeps its own offline copy of each (workers/fetch-runtime.ts).
// So does the local native runner's API (`native/`).

const SHELL_CACHE = "playpen-shell";
const scope = new URL(self.registration.scope).pathname;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
  const path = url.pathname.slice(scope.length);
  if (path.startsWith("native/") || (path.startsWith("runtimes/") && url.searchParams.has("v"))) return;
  event.respondWith(networkFirst(request));
});

async function networkFirst(request) {
  let response;
  try {
    response = await fetch(request);
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      void caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy)).catch(() => {});
    }
  } catch (error) {
    response = (await caches.match(request, { ignoreVary: true })) ?? (request.mode === "navigate" ? await caches.match(scope, { ignoreSearch: true }) : undefined);
    if (!response) throw error;
  }
  return isolated(response);
}

/** The response with the headers that make its document or worker cross-origin isolated. */
function isolated(response) {
  if (response.status === 0) return response; // opaque: headers cannot be read or set
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
