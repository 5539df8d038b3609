/// <reference lib="webworker" />
import { serveRunThread } from "../wasm-runtime/index.ts";

// A gated run thread: one guest at a time, synchronously; terminated to stop it.
serveRunThread({
  post: (message, transfer = []) => self.postMessage(message, { transfer }),
  onMessage: (listener) => {
    self.onmessage = (event) => listener(event.data);
  },
});
