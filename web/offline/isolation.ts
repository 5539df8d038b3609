/**
 * Cross-origin isolation on any host. The engines need SharedArrayBuffer, which
 * browsers give only to pages served with COOP/COEP headers. Static hosts
 * (GitHub Pages, S3, a plain file server) send none, so Playpen's service worker
 * (public/playpen-sw.js) adds them to every response it serves: the first visit
 * registers it and reloads once, and the reloaded page is isolated. The same
 * worker keeps the app shell for offline visits, so it is registered on every
 * production visit, not only where the headers are missing.
 */

/** Where the page stands: isolated, or not and why (shown to the person, never a silent wrong run). */
export type Isolation = { isolated: true } | { isolated: false; reason: string };

/** Set for the one reload after registering; a page still not isolated after it gives up instead of looping. */
const RELOADED_KEY = "playpen:isolation-reload";
/** How long the first visit waits for the worker to take control before saying it could not. */
const CONTROL_TIMEOUT_MS = 10_000;
export const SERVICE_WORKER_FILE = "playpen-sw.js";

/**
 * Resolves once the page knows whether it is isolated. When a reload will make
 * it so, it reloads and never resolves.
 */
export async function establishIsolation(): Promise<Isolation> {
  const worker = "serviceWorker" in navigator ? navigator.serviceWorker : undefined;
  if (crossOriginIsolated) {
    sessionStorage.removeItem(RELOADED_KEY);
    if (worker && import.meta.env.PROD) void register(worker).catch(() => {}); // offline copies only: the page works without it
    return { isolated: true };
  }
  if (!worker) return { isolated: false, reason: "this browser offers no service worker here (a private window, or one that refuses them), so Playpen cannot add the headers itself" };
  if (sessionStorage.getItem(RELOADED_KEY)) {
    sessionStorage.removeItem(RELOADED_KEY);
    return { isolated: false, reason: "the page reloaded through Playpen's service worker and is still not isolated (the browser ignored the headers it added)" };
  }
  try {
    await register(worker);
  } catch (error) {
    return { isolated: false, reason: `Playpen's service worker could not be registered: ${error instanceof Error ? error.message : String(error)}` };
  }
  sessionStorage.setItem(RELOADED_KEY, "1");
  location.reload();
  return new Promise<never>(() => {});
}

/** Registers the worker and waits until it controls this page (a browser may refuse silently: then it times out). */
async function register(worker: ServiceWorkerContainer): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`it did not take control of the page within ${CONTROL_TIMEOUT_MS / 1000} s`)), CONTROL_TIMEOUT_MS);
  });
  const controlled = (async () => {
    await worker.register(`${import.meta.env.BASE_URL}${SERVICE_WORKER_FILE}`, { scope: import.meta.env.BASE_URL });
    if (worker.controller) return;
    await new Promise<void>((resolve) => worker.addEventListener("controllerchange", () => resolve(), { once: true }));
  })();
  try {
    await Promise.race([controlled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
