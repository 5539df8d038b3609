import { parentPort } from "node:worker_threads";
import { serveRunThread } from "../../wasm-runtime/index.ts";

const port = parentPort!;
serveRunThread({
  post: (message, transfer) => port.postMessage(message, transfer as never),
  onMessage: (listener) => port.on("message", listener),
});
