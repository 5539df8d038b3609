import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { wasmerSdk } from "./scripts/vite-plugin-wasmer-sdk.ts";
import { nativeRunner } from "./scripts/vite-plugin-native-runner.ts";
import { justBashParse } from "./scripts/vite-plugin-just-bash-parse.ts";

// SharedArrayBuffer (and so the WASI runtime's workers) needs cross-origin isolation.
const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  plugins: [react(), wasmerSdk(), nativeRunner()],
  // The shell runs in the sandbox worker; its parser comes from just-bash's browser bundle.
  worker: { format: "es", plugins: () => [wasmerSdk(), justBashParse()] },
  optimizeDeps: { exclude: ["@wasmer/sdk"], include: ["monaco-editor/esm/vs/editor/editor.api"] },
  server: { headers: isolationHeaders, host: "127.0.0.1" },
  preview: { headers: isolationHeaders, host: "127.0.0.1" },
  build: {
    target: "es2022",
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      // The app, the `<playpen-run>` element under a stable name (pages include /embed.js), its iframe page and its demo.
      input: { main: "index.html", embed: "web/embed/playpen-run.ts", "embed-frame": "embed.html", "embed-demo": "embed-demo.html" },
      output: { entryFileNames: (chunk) => (chunk.name === "embed" ? "embed.js" : "assets/[name]-[hash].js") },
    },
  },
});
