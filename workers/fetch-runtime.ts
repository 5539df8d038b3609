import type { ModuleCompiler, RuntimeSource } from "../wasm-runtime/index.ts";
import { cached, compileInMemory } from "../wasm-runtime/engine/shared.ts";
import { keepRuntime, keptRuntime, runtimeUrl } from "./offline-runtimes.ts";
import { loadRuntimeManifest } from "./runtime-manifest.ts";

type OnProgress = Parameters<RuntimeSource>[1];

const downloads = new Map<string, Promise<Uint8Array>>();
/** Each runtime module compiled from its response as it downloaded, keyed by the bytes the download delivered. */
const compiledWhileDownloading = new WeakMap<Uint8Array, Promise<WebAssembly.Module>>();

/**
 * Downloads a runtime module shipped with the app, reporting bytes as they
 * arrive, and compiles it as it arrives; both engines share one download.
 *
 * The URL carries the module's hash from the manifest (`python.wasm?v=…`), so
 * the browser may keep the response for good and answer from its cache without
 * asking the server: V8 keeps a module's machine code beside the cached
 * response, and drops it when the response is revalidated. A copy is kept for
 * offline visits (offline-runtimes.ts), used only when the network fails.
 */
export const fetchRuntime: RuntimeSource = (runtime, onProgress) =>
  cached(downloads, `${runtime}.wasm`, async () => {
    const entry = (await loadRuntimeManifest()).runtimes.find((r) => r.name === runtime);
    if (!entry) throw new Error(`the ${runtime} runtime is not in this build (see public/runtimes/manifest.json)`);
    const url = runtimeUrl(entry);
    const bytes = await download(runtime, url, "force-cache", onProgress, keptRuntime);
    void keepRuntime(url, bytes).catch(() => {}); // offline copies are a convenience: a full disk must not fail the run
    return bytes;
  });

/**
 * The page's compiler. Runtimes are served with the default memory limit
 * already written in, so under the default policy an engine compiles exactly the
 * bytes downloaded and gets the module compiled while they arrived. That is the
 * compilation V8 keeps machine code for (its code cache serves only
 * `compileStreaming` of an HTTP response, keyed by URL), so a later visit loads
 * the optimised code instead of compiling again. Any other bytes compile in memory.
 */
export const compileDownloaded: ModuleCompiler = (bytes) => {
  const streamed = compiledWhileDownloading.get(bytes);
  // A failed streaming compile is redone in memory, which reports the module's error properly.
  return streamed ? streamed.catch(() => compileInMemory(bytes)) : compileInMemory(bytes);
};

/** Any file served beside the runtimes (clang's resources tar), downloaded once, progress reported as `runtime`'s. */
export function fetchRuntimeFile(runtime: string, file: string, onProgress?: OnProgress): Promise<Uint8Array> {
  const url = new URL(`${import.meta.env.BASE_URL}runtimes/${file}`, self.location.origin);
  return cached(downloads, file, () => download(runtime, url, "default", onProgress));
}

async function download(
  runtime: string,
  url: URL,
  cache: RequestCache,
  onProgress: OnProgress,
  kept?: (url: URL) => Promise<Response | undefined>,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { cache });
  } catch (error) {
    const copy = await kept?.(url);
    if (!copy) throw new Error(`could not load the ${runtime} runtime from ${url.pathname}: ${String(error)} (offline, and no copy kept from an earlier visit)`, { cause: error });
    response = copy;
  }
  if (!response.ok || !response.body) {
    throw new Error(`could not load the ${runtime} runtime from ${url.pathname}: HTTP ${response.status}`);
  }
  const total = Number(response.headers.get("content-length")) || null;
  // The response itself goes to the compiler (the code cache is tied to it); a copy is read for the bytes.
  const copy = response.clone();
  const compiled = url.pathname.endsWith(".wasm") ? WebAssembly.compileStreaming(response) : undefined;
  compiled?.catch(() => {}); // handled when an engine asks for the module
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = copy.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress?.({ runtime, phase: "download", loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  if (compiled) compiledWhileDownloading.set(bytes, compiled);
  return bytes;
}
