import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { editorText, setEditorText, startRun, TEST_TIMEOUT_MS, useApp, waitReady } from "./helpers.ts";

/** Sizes of what the layout promises, measured in the page. */
async function measure(page: Page) {
  return page.evaluate(() => {
    const box = (selector: string) => document.querySelector(selector)?.getBoundingClientRect();
    return {
      scrollWidth: document.documentElement.scrollWidth,
      width: innerWidth,
      toolbarHeight: box(".toolbar")!.height,
      editorWidth: box('[data-testid="editor"]')!.width,
      layout: document.querySelector(".workbench")?.getAttribute("data-layout"),
      terminalCols: Number(document.querySelector<HTMLElement>('[data-testid="terminal"]')?.dataset.cols ?? 0),
    };
  });
}

describe("the page's layout", () => {
  const app = useApp();

  for (const [width, height] of [
    [1440, 900],
    [1024, 768],
    [390, 844],
  ] as const) {
    it(`has room to work at ${width}×${height}`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await app.open();
      await page.setViewportSize({ width, height });
      await page.getByTestId("language").selectOption("shell");
      await waitReady(page);
      await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid="terminal"]')?.dataset.cols) > 0);
      const m = await measure(page);
      assert.ok(m.scrollWidth <= m.width, `no horizontal scroll: the page is ${m.scrollWidth} px wide in a ${m.width} px window`);
      if (width >= 1024) {
        assert.equal(m.layout, "panes");
        assert.ok(m.editorWidth >= width / 2, `the editor has at least half the width: ${m.editorWidth} of ${width} px`);
        assert.ok(m.toolbarHeight < 50, `the header is one row: ${m.toolbarHeight} px tall`);
      } else {
        assert.equal(m.layout, "stacked", "a phone gets the panes one under the other");
        assert.ok(m.editorWidth >= width - 2, `the editor spans the phone's width: ${m.editorWidth} px`);
      }
      if (width >= 1440) assert.ok(m.terminalCols >= 80, `the terminal is at least 80 columns: ${m.terminalCols}`);
    });
  }

  it("refits the terminal when its pane is folded and opened again", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId("language").selectOption("shell");
    await waitReady(page);
    const cols = () => page.evaluate(() => Number(document.querySelector<HTMLElement>('[data-testid="terminal"]')!.dataset.cols));
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid="terminal"]')?.dataset.cols) > 0);
    const before = await cols();
    await page.getByTestId("pane-side-toggle").click();
    await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('[data-testid="terminal"]')!.dataset.cols) > n, before);
    await page.getByTestId("pane-side-toggle").click();
    await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('[data-testid="terminal"]')!.dataset.cols) === n, before);
  });
});

describe("nothing is lost", () => {
  const app = useApp();

  it("keeps the code, open tabs and policy over a reload", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await setEditorText(page, "print('kept over a reload')\n");
    await page.getByTestId("file-tree-new-file").click();
    await page.getByTestId("file-tree-name").fill("notes.txt");
    await page.getByTestId("file-tree-name-ok").click();
    await page.locator('[data-testid="file-tree-item"][data-path="notes.txt"]').click();
    await page.locator('[data-testid="editor-tab"][data-path="notes.txt"]').waitFor();
    await page.getByTestId("tab-policy").click();
    await page.getByTestId("policy-preset").selectOption("locked");
    const policy = await page.getByTestId("policy-json").inputValue();
    // The setup is saved a moment after it changes.
    await page.waitForTimeout(600);

    await page.reload();
    await waitReady(page);
    await page.locator('[data-testid="editor-tab"][data-path="notes.txt"]').waitFor();
    assert.equal(await page.getByTestId("policy-json").inputValue(), policy);
    await page.getByTestId("editor-tab-main").click();
    assert.equal(await editorText(page), "print('kept over a reload')\n");
  });

  it("asks before an example replaces edited code, and Ctrl+Z brings the code back", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await setEditorText(page, "print('my own work')\n");
    await page.getByTestId("examples").selectOption("stdlib-py");
    await page.getByTestId("example-confirm").waitFor();
    await page.getByTestId("example-confirm-cancel").click();
    assert.equal(await editorText(page), "print('my own work')\n", "Keep my code keeps it");

    await page.getByTestId("examples").selectOption("stdlib-py");
    await page.getByTestId("example-confirm-open").click();
    assert.notEqual(await editorText(page), "print('my own work')\n", "the example replaced the code");
    await page.getByTestId("editor").click();
    await page.keyboard.press("Control+Z");
    assert.equal(await editorText(page), "print('my own work')\n", "one undo brings the code back");
  });

  it("keeps every keystroke typed while a run ends", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    const program = "import time\ntime.sleep(0.2)\nprint('done')\n";
    await setEditorText(page, program);
    const started = await startRun(page);
    await page.getByTestId("editor").click();
    await page.keyboard.press("Control+End");
    // Type through the run's end and on after it: a re-render with stale text used to reset the editor.
    let typed = "";
    for (let i = 0; i < 60; i++) {
      const key = String.fromCharCode(97 + (i % 26));
      await page.keyboard.type(key);
      typed += key;
      if (i === 40) await started.finished();
    }
    assert.equal(await editorText(page), program + typed);
  });
});

describe("the policy's rows", () => {
  const app = useApp();

  it("edit the JSON, explain precedence where it bites and warn of a grant that needs another", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await page.getByTestId("tab-policy").click();
    const doc = { version: 1, files: [{ path: "/workspace/**", access: "write" }, { path: "/workspace/secret.txt", access: "read", decision: "ask" }], secrets: [{ name: "API_KEY" }], clock: { resolutionMs: 100 } };
    await page.getByTestId("policy-json").fill(JSON.stringify(doc, null, 2));
    const hints = () => page.getByTestId("rule-hint").allTextContents();
    await page.getByTestId("rule-hint").first().waitFor();
    assert.deepEqual(await hints(), [
      'never prompts: files[0] "/workspace/**" allows it (allow beats ask, whatever the order)',
      'the guest reads a secret through the "secrets" tool, which no rule grants: add a tools rule for "secrets"',
    ]);
    // The Wasmer engine (the default) says what it cannot enforce.
    assert.match((await page.getByTestId("policy-engine-gaps").textContent()) ?? "", /The wasmer engine cannot enforce this policy.*a coarsened clock/);

    // A tools row for "secrets" completes the grant; the row's edit is in the JSON.
    await page.getByTestId("rule-add-tools").click();
    await page.getByLabel("tools[0] name").fill("secrets");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="rule-hint"]').length === 1);
    assert.deepEqual(JSON.parse(await page.getByTestId("policy-json").inputValue()).tools, [{ name: "secrets" }]);
    // An invalid field is named on its row.
    await page.getByLabel("files[0] path").fill("workspace");
    assert.match((await page.getByTestId("rule-files-0").textContent()) ?? "", /path: must be an absolute path/);
  });
});

describe("shortcuts and the CLI", () => {
  const app = useApp();

  it("lists the shortcuts on ?, and copies the setup as a CLI command without secret values", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await page.locator(".toolbar h1").click();
    await page.keyboard.press("?");
    assert.match((await page.getByTestId("keyboard-help").textContent()) ?? "", /Ctrl\+Enter.*Run the editor's program/);
    await page.keyboard.press("Escape");
    await page.getByTestId("keyboard-help").waitFor({ state: "detached" });

    await page.getByTestId("tab-policy").click();
    await page.getByRole("button", { name: "+ secret" }).click();
    await page.getByLabel("Secret name").fill("API_KEY");
    await page.getByLabel("Secret value").fill("hunter2-do-not-copy");
    await page.getByTestId("copy-cli").click();
    await page.getByTestId("notice").filter({ hasText: "Copied the CLI command" }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^cat > main\.py <<'EOF'\n/);
    assert.match(copied, /\nplaypen run --engine wasmer --secret API_KEY main\.py --verbose data\.csv\n$/);
    assert.ok(!copied.includes("hunter2"), "a secret's value is never copied");
  });
});
