import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { run, selectExample, setEditorText, TEST_TIMEOUT_MS, useApp } from "./helpers.ts";

describe("offline", () => {
  const app = useApp();

  it("every request made to load the page and run Python and C stays on the preview server", { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // Everything the browser context fetches, including the sandbox worker and the runtime's own workers.
    const requests: string[] = [];
    const onRequest = (request: { url(): string }) => requests.push(request.url());
    app.context.on("request", onRequest);
    const sockets: string[] = [];
    try {
      const page = await app.open();
      page.on("websocket", (ws) => sockets.push(ws.url()));

      await setEditorText(page, "import platform\nprint(platform.python_implementation())\n");
      const python = await run(page);
      assert.equal(python.stdout, "CPython\n");

      await selectExample(page, "hello");
      const c = await run(page);
      assert.equal(c.exitCode, 0);
      assert.match(c.stdout, /^Hello from WASI!\n/);
    } finally {
      app.context.off("request", onRequest);
    }

    const paths = requests.filter((url) => url.startsWith(app.origin)).map((url) => new URL(url).pathname);
    t.diagnostic(`${requests.length} requests, e.g. ${[...new Set(paths)].slice(0, 6).join(", ")}`);
    // The recording sees the workers' fetches too: the Python runtime and the C example are fetched there or for them.
    assert.ok(paths.includes("/"), "the page itself was recorded");
    assert.ok(paths.includes("/runtimes/python.wasm"), "the worker's runtime download was recorded");
    assert.ok(paths.includes("/examples/hello.wasm"), "the example module download was recorded");

    const offsite = requests.filter((url) => !url.startsWith(`${app.origin}/`) && !/^(data|blob):/.test(url));
    assert.deepEqual(offsite, [], "requests that left the preview server");
    assert.deepEqual(sockets, [], "no WebSockets");
  });
});
