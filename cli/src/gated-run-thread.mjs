// Entry of a Node gated run thread: plain JavaScript that loads the TypeScript one.
import { tsImport } from "tsx/esm/api";

await tsImport("./gated-run-thread.ts", import.meta.url);
