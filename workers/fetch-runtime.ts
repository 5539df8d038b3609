import type { RuntimeSource } from "../wasm-runtime/index.ts";

const downloads = new Map<string, Promise<Uint8Array>>();

/**
 * Downloads a runtime module shipped with the app, reporting bytes as they
 * arrive; both engines share one download.
 */
export const fetchRuntime: RuntimeSource = (runtime, onProgress) => fetchRuntimeFile(runtime, `${runtime}.wasm`, onProgress);

/** Any file served beside the runtimes (clang's resources tar), downloaded once, progress reported as `runtime`'s. */
export function fetchRuntimeFile(runtime: string, file: string, onProgress?: Parameters<RuntimeSource>[1]): Promise<Uint8Array> {
  let download = downloads.get(file);
  if (!download) {
    download = fetchBytes(runtime, file, onProgress);
    download.catch(() => downloads.delete(file));
    downloads.set(file, download);
  }
  return download;
}

async function fetchBytes(runtime: string, file: string, onProgress: Parameters<RuntimeSource>[1]): Promise<Uint8Array> {
  const url = new URL(`${import.meta.env.BASE_URL}runtimes/${file}`, self.location.origin);
  const response = await fetch(url);
  if (!response.ok || !response.body) {
    throw new Error(`could not load the ${runtime} runtime from ${url.pathname}: HTTP ${response.status}`);
  }
  const total = Number(response.headers.get("content-length")) || null;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
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
  return bytes;
}
