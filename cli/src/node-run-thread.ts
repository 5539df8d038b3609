import { Worker } from "node:worker_threads";
import type { RunThread } from "../../wasm-runtime/index.ts";

/** Starts a gated run thread as a Node worker thread (the TypeScript entry is loaded through tsx). */
export function startNodeRunThread(): RunThread {
  const worker = new Worker(new URL("./gated-run-thread.mjs", import.meta.url));
  return {
    post: (job) => worker.postMessage(job),
    onMessage: (listener) => {
      worker.removeAllListeners("message");
      worker.on("message", listener);
    },
    onError: (listener) => {
      worker.removeAllListeners("error");
      worker.on("error", listener);
    },
    terminate: () => void worker.terminate(),
  };
}
