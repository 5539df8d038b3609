import type { RunThread } from "../wasm-runtime/index.ts";

/** Starts a gated run thread as a nested Web Worker. */
export function startWebRunThread(): RunThread {
  const worker = new Worker(new URL("./gated-run.worker.ts", import.meta.url), { type: "module" });
  return {
    post: (job) => worker.postMessage(job),
    onMessage: (listener) => {
      worker.onmessage = (event) => listener(event.data);
    },
    onError: (listener) => {
      worker.onerror = (event) => listener(new Error(event.message || "the run thread failed"));
    },
    terminate: () => worker.terminate(),
  };
}
