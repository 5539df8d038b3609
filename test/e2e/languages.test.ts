import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { run, selectExample, TEST_TIMEOUT_MS, useApp } from "./helpers.ts";

interface Manifest {
  runtimes: { name: string; version: string; source: string; file: string; size: number }[];
  skipped: { name: string; reason: string }[];
}

/** Each interpreted language picked in the language menu, its example run in the page (issue 4). */
const LANGUAGES = [
  {
    language: "javascript",
    example: "hello-js",
    stdout: /^Hello, Ada! Arguments: \["--fast","input\.txt"\]\nHOME is .+\n1 line\(s\) in notes\.txt\n$/,
  },
  {
    language: "sql",
    example: "hello-sql",
    stdout: /│ Hello from SQLite 3\.40\.1 │[\s\S]*│ 0 1 1 2 3 5 8 13 21 34 │/,
  },
  {
    language: "lua",
    example: "hello-lua",
    stdout: /^Hello, Ada! Arguments: one two\n[\s\S]*false\terrors can be caught\nsquares:\t1\t4\t9\t16\t25\n$/,
  },
  { language: "python", example: "hello-py", stdout: /^Hello from Python 3\.12\.\d+ on wasi\n/ },
] as const;

describe("every language in the page", () => {
  const app = useApp();

  for (const { language, example, stdout } of LANGUAGES) {
    it(`${language}: picked in the language menu, its example runs`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await app.open();
      await page.getByTestId("language").selectOption(language);
      await selectExample(page, example);
      assert.equal(await page.getByTestId("language").inputValue(), language);
      const result = await run(page);
      assert.equal(result.reason, "exited", result.stderr);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, stdout);
    });
  }

  it("the language menu shows each runtime's version and size from the build's manifest", { timeout: TEST_TIMEOUT_MS }, async () => {
    const manifest = JSON.parse(readFileSync(new URL("../../dist/runtimes/manifest.json", import.meta.url), "utf8")) as Manifest;
    const page = await app.open();
    const lua = manifest.runtimes.find((r) => r.name === "lua")!;
    const option = page.locator('[data-testid="language"] option[value="lua"]');
    await option.filter({ hasText: lua.version }).waitFor({ state: "attached" });
    assert.equal(await option.textContent(), `Lua 5.4 · ${lua.version} · ${(lua.size / 1e6).toFixed(2)} MB`);
    assert.equal(await option.getAttribute("title"), `lua.wasm from ${lua.source}`);
    await page.getByTestId("language").selectOption("shell");
    const busybox = manifest.runtimes.find((r) => r.name === "busybox")!;
    assert.equal(await page.getByTestId("runtime-info").textContent(), `busybox ${busybox.version}, ${(busybox.size / 1e6).toFixed(2)} MB`);
  });

  it("a runtime the build skipped is listed disabled, with the reason as its tooltip", { timeout: TEST_TIMEOUT_MS }, async () => {
    const real = JSON.parse(readFileSync(new URL("../../dist/runtimes/manifest.json", import.meta.url), "utf8")) as Manifest;
    const reason = "clang-16 (apt-get install clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32)";
    const skippedLua: Manifest = { runtimes: real.runtimes.filter((r) => r.name !== "lua"), skipped: [{ name: "lua", reason }] };
    await app.context.route("**/runtimes/manifest.json", (route) => route.fulfill({ json: skippedLua }));
    try {
      const page = await app.open();
      const lua = page.locator('[data-testid="language"] option[value="lua"]');
      await lua.filter({ hasText: "unavailable" }).waitFor({ state: "attached" });
      assert.equal(await lua.isDisabled(), true);
      assert.equal(await lua.getAttribute("title"), `not built: this machine lacked ${reason}`);
      assert.equal(await page.locator('[data-testid="language"] option[value="javascript"]').isDisabled(), false);
    } finally {
      await app.context.unroute("**/runtimes/manifest.json");
    }
  });

  it("a JavaScript error shows the line it happened on", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await page.getByTestId("language").selectOption("javascript");
    await selectExample(page, "error-js");
    const result = await run(page);
    assert.equal(result.exitCode, 1);
    // `JSON.parse(text).items.length` on line 3 fails for "{}".
    assert.match(result.stdout, /^3\n$/);
    assert.match(result.stderr, /TypeError: cannot read property 'length' of undefined\n\s+at parse \(\/workspace\/main\.js:3\)/);
  });
});
