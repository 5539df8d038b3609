import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { codeCacheBytes, codeCacheReaches } from "../support/browser.ts";
import { run, selectExample, setEditorText, TEST_TIMEOUT_MS, useApp, waitReady } from "./helpers.ts";

interface TraceEvent {
  name: string;
  args?: { url?: string; consumedCacheSize?: number };
}

/** Chromium's own record of its WebAssembly code cache (https://v8.dev/blog/wasm-code-caching#tracing). */
async function traceCodeCache(page: Page, during: () => Promise<void>): Promise<TraceEvent[]> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on("Tracing.dataCollected", ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.start", { traceConfig: { includedCategories: ["disabled-by-default-devtools.timeline"] }, transferMode: "ReportEvents" });
  try {
    await during();
  } finally {
    await cdp.send("Tracing.end");
    await complete;
    await cdp.detach();
  }
  return events.filter((e) => e.name.startsWith("v8.wasm."));
}

const isPython = (e: TraceEvent) => /\/runtimes\/python\.wasm\?v=[0-9a-f]{16}$/.test(e.args?.url ?? "");

describe("compiled runtimes across visits", () => {
  const app = useApp();

  it("compiles Python from its download, the browser keeps the optimised code, and the next visit loads it for both engines", { timeout: 3 * TEST_TIMEOUT_MS }, async () => {
    // V8 stores a module's code once it has optimised about a megabyte of it (or
    // after two quiet seconds, which this Chromium seldom acts on): run until it has.
    const first = await app.open();
    await selectExample(first, "stdlib-py");
    let stored = false;
    for (let attempt = 1; attempt <= 5 && !stored; attempt++) {
      assert.match((await run(first)).stdout, /round 6 of 6\ndone\n$/);
      stored = await codeCacheReaches(app.profile, 1_000_000, 5_000);
    }
    assert.ok(stored, `the browser kept ${codeCacheBytes(app.profile)} bytes of WebAssembly code, not Python's optimised code`);
    await first.close();

    // A second visit, running on both engines.
    const second = await app.context.newPage();
    const events = await traceCodeCache(second, async () => {
      await second.goto(app.server.url);
      await waitReady(second);
      await setEditorText(second, 'print("again")');
      assert.equal((await run(second)).stdout, "again\n");
      await second.getByTestId("engine").selectOption("gated");
      await waitReady(second);
      assert.equal((await run(second)).stdout, "again\n");
    });
    await second.close();
    const hits = events.filter((e) => e.name === "v8.wasm.moduleCacheHit" && isPython(e));
    assert.equal(hits.length, 1, `Python's code came from the cache once, for both engines: ${JSON.stringify(events.filter((e) => e.args?.url))}`);
    assert.ok(hits[0]!.args!.consumedCacheSize! > 1_000_000, "over a megabyte of optimised code was loaded instead of compiled");
    assert.deepEqual(events.filter((e) => /moduleCacheInvalid/.test(e.name)), [], "nothing in the cache was stale");
  });
});
