import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { run, selectExample, setEditorText, TEST_TIMEOUT_MS, useApp } from "./helpers.ts";

/** Line (1-based) of each error squiggle Monaco draws; its overlay row sits at (line - 1) × line height. */
async function errorMarkerLines(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const lineHeight = document.querySelector<HTMLElement>(".monaco-editor .view-line")!.getBoundingClientRect().height;
    return [...document.querySelectorAll<HTMLElement>(".monaco-editor .squiggly-error")].map(
      (squiggle) => Math.round(parseFloat(squiggle.parentElement!.style.top) / lineHeight) + 1,
    );
  });
}

async function waitForMarkers(page: Page): Promise<number[]> {
  await page.locator(".monaco-editor .squiggly-error").first().waitFor({ state: "attached", timeout: 5_000 });
  return errorMarkerLines(page);
}

describe("running Python", () => {
  const app = useApp();

  it("keeps stdout and stderr apart, reports the exit code, and feeds stdin and args", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await setEditorText(
      page,
      [
        "import sys",
        "print('to stdout', sys.argv[1:])",
        "print('to stderr', file=sys.stderr)",
        "data = sys.stdin.read()",
        "print('stdin:', repr(data))",
        "if True:",
        "    print('indented')",
        "sys.exit(3)",
        "",
      ].join("\n"),
    );
    await page.getByTestId("args").fill(`--name "two words" x`);
    await page.getByTestId("stdin").fill("first line\nsecond line\n");

    const result = await run(page, "keyboard");
    assert.equal(
      result.stdout,
      "to stdout ['--name', 'two words', 'x']\nstdin: 'first line\\nsecond line\\n'\nindented\n",
    );
    assert.equal(result.stderr, "to stderr\n");
    assert.equal(result.reason, "exited");
    assert.equal(result.exitCode, 3);
    assert.match(result.status, /^exit 3 · exited · \d/);
    assert.ok(result.durationMs > 0, `duration ${result.durationMs}`);
    assert.equal(await page.getByTestId("truncated").count(), 0);
    // One shortcut press is one run: no "a run is already in progress" complaint.
    assert.equal(await page.getByTestId("notice").count(), 0);
    assert.deepEqual(await errorMarkerLines(page), [], "a clean exit marks no line");
  });

  it("runs from the Run button and from Ctrl+Enter outside the editor", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await setEditorText(page, "print('clicked')\n");
    const clicked = await run(page, "click");
    assert.equal(clicked.stdout, "clicked\n");
    assert.match(clicked.status, /^exit 0 · exited/);

    await setEditorText(page, "print('shortcut')\n");
    const shortcut = await run(page, async (p) => {
      await p.getByTestId("args").click();
      await p.keyboard.press("Control+Enter");
    });
    assert.equal(shortcut.stdout, "shortcut\n");
    assert.equal(shortcut.exitCode, 0);
  });

  it("shows a syntax error's traceback in stderr and marks its line", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await setEditorText(page, "print('before')\n\ndef broken(:\n    pass\n");
    const result = await run(page);
    assert.equal(result.reason, "exited");
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, "", "a SyntaxError stops the script before it prints");
    assert.match(result.stderr, /File "\/workspace\/main\.py", line 3/);
    assert.match(result.stderr, /SyntaxError: /);
    assert.deepEqual(await waitForMarkers(page), [3]);
  });

  it("shows an uncaught exception's traceback, marks the failing line, and the next run still works", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await setEditorText(
      page,
      ["import sys", "print('computing')", "", "def f(x):", "    return 1 / x", "", "f(0)", ""].join("\n"),
    );
    const failed = await run(page);
    assert.equal(failed.stdout, "computing\n");
    assert.match(failed.stderr, /^Traceback \(most recent call last\):\n/);
    assert.match(failed.stderr, /File "\/workspace\/main\.py", line 7, in <module>/);
    assert.match(failed.stderr, /File "\/workspace\/main\.py", line 5, in f/);
    assert.match(failed.stderr, /ZeroDivisionError: division by zero\n$/);
    assert.equal(failed.reason, "exited");
    assert.equal(failed.exitCode, 1);
    assert.match(failed.status, /^exit 1 · exited/);
    // The innermost frame of the user's script is the one marked.
    assert.deepEqual(await waitForMarkers(page), [5]);

    await setEditorText(page, "print('fine again')\n");
    const next = await run(page);
    assert.equal(next.stdout, "fine again\n");
    assert.equal(next.stderr, "");
    assert.equal(next.exitCode, 0);
    assert.deepEqual(await errorMarkerLines(page), [], "the previous run's marker is cleared");
  });

  it("runs the C/WASI 'hello' example from the Examples menu with its arguments", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await selectExample(page, "hello");
    assert.equal(await page.getByTestId("language").inputValue(), "wasm");
    assert.equal(await page.getByTestId("args").inputValue(), "one 'two words'");
    await page.locator(".monaco-editor .view-lines", { hasText: "Hello from WASI" }).waitFor();

    const result = await run(page);
    assert.equal(result.reason, "exited");
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, "Hello from WASI!\nargv[1] = one\nargv[2] = two words\n");
    assert.equal(result.stderr, "");

    await page.getByTestId("args").fill("--fail");
    const failed = await run(page);
    assert.equal(failed.exitCode, 3);
    assert.equal(failed.reason, "exited");
    assert.equal(failed.stdout, "Hello from WASI!\nargv[1] = --fail\n");
    assert.equal(failed.stderr, "error: asked to fail with --fail\n");
  });
});
