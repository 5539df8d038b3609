import type { RuntimeSource } from "../wasm-runtime/index.ts";

/** Downloads a runtime module shipped with the app, reporting bytes as they arrive. */
export const fetchRuntime: RuntimeSource = async (runtime, onProgress) => {
  const url = new URL(`${import.meta.env.BASE_URL}runtimes/${runtime}.wasm`, self.location.origin);
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
};
