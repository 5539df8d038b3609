import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { editorText, run, selectExample, setEditorText, TEST_TIMEOUT_MS, useApp } from "./helpers.ts";

/** Clicks Share and returns the link it put in the address bar. */
async function share(page: Page): Promise<string> {
  const before = page.url();
  await page.getByTestId("share").click();
  await page.getByTestId("notice").waitFor();
  const link = page.url();
  assert.notEqual(link, before, "Share should change the URL");
  assert.match(link, /#s=[A-Za-z0-9_-]+$/);
  return link;
}

describe("share links", () => {
  const app = useApp();

  it("restore a Python session (code, args, stdin) in a new page, which runs the same", { timeout: TEST_TIMEOUT_MS }, async () => {
    const code = [
      "import sys",
      "# unicode survives the link: héllo → 世界",
      "name = sys.stdin.readline().strip()",
      "for arg in sys.argv[1:]:",
      "    print(f'{name}: {arg}')",
      "print('done', file=sys.stderr)",
      "",
    ].join("\n");
    const args = `alpha "beta gamma" 'δ'`;
    const stdin = "Grace\nignored line\n";

    const page = await app.open();
    await setEditorText(page, code);
    await page.getByTestId("args").fill(args);
    await page.getByTestId("stdin").fill(stdin);
    const original = await run(page);
    assert.equal(original.stdout, "Grace: alpha\nGrace: beta gamma\nGrace: δ\n");
    assert.equal(original.stderr, "done\n");

    const link = await share(page);
    assert.ok(link.startsWith(`${app.origin}/`), `the link stays on the app: ${link}`);
    // With clipboard access granted, the link is also copied.
    assert.equal(await page.getByTestId("notice").textContent(), "Share link copied to the clipboard.");
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);

    const restored = await app.open(link);
    assert.equal(await restored.getByTestId("language").inputValue(), "python");
    assert.equal(await restored.getByTestId("args").inputValue(), args);
    assert.equal(await restored.getByTestId("stdin").inputValue(), stdin);
    assert.equal(await editorText(restored), code);

    const again = await run(restored);
    assert.equal(again.stdout, original.stdout);
    assert.equal(again.stderr, original.stderr);
    assert.equal(again.exitCode, original.exitCode);
    assert.equal(again.reason, "exited");
  });

  it("restore a WASI example session in a new page", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await selectExample(page, "hello");
    await page.getByTestId("args").fill("--fail");
    const original = await run(page);
    assert.equal(original.exitCode, 3);

    const link = await share(page);
    const restored = await app.open(link);
    assert.equal(await restored.getByTestId("language").inputValue(), "wasm");
    assert.equal(await restored.getByTestId("args").inputValue(), "--fail");
    assert.match(await editorText(restored), /printf\("Hello from WASI!\\n"\);/);

    const again = await run(restored);
    assert.equal(again.stdout, original.stdout);
    assert.equal(again.stderr, "error: asked to fail with --fail\n");
    assert.equal(again.exitCode, 3);
  });

  it("opens a damaged link as the default session instead of failing", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open(`${app.server.url}#s=not*valid`);
    assert.equal(await page.getByTestId("language").inputValue(), "python");
    assert.match(await editorText(page), /Hello from Python/);
    const result = await run(page);
    assert.equal(result.exitCode, 0);
  });
});
