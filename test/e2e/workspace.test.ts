import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { zipSync } from "fflate";
import type { Page } from "playwright-core";
import { run, setEditorText, TEST_TIMEOUT_MS, useApp, waitReady } from "./helpers.ts";

/** Creates and opens a fresh named workspace, so tests sharing the browser's IndexedDB do not meet. */
async function newWorkspace(page: Page, name: string): Promise<void> {
  await page.getByTestId("workspace-new").click();
  await page.getByTestId("workspace-name").fill(name);
  await page.getByTestId("workspace-create").click();
  await page.waitForFunction((n) => document.querySelector<HTMLSelectElement>('[data-testid="workspace-select"]')?.value === n, name);
}

async function treePaths(page: Page): Promise<string[]> {
  return page.getByTestId("file-tree-item").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-path")!));
}

async function waitTree(page: Page, check: (paths: string[]) => boolean, what: string): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const paths = await treePaths(page);
    if (check(paths)) return paths;
    if (Date.now() > deadline) assert.fail(`file tree: ${what}; it shows ${JSON.stringify(paths)}`);
    await page.waitForTimeout(50);
  }
}

async function notice(page: Page, text: string): Promise<string> {
  await page.getByTestId("notice").filter({ hasText: text }).waitFor({ timeout: 10_000 });
  return (await page.getByTestId("notice").textContent()) ?? "";
}

async function reviewItems(page: Page): Promise<[string, string][]> {
  return page.getByTestId("review-item").evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-path")!, r.getAttribute("data-change")!] as [string, string]));
}

/** Reads, edits, adds and deletes files, and reads the read-only sample data. */
const EDITING_SCRIPT = [
  "import os",
  "with open('notes.txt') as f: text = f.read()",
  "with open('notes.txt', 'w') as f: f.write(text + 'second line\\n')",
  "with open('new.txt', 'w') as f: f.write('made by the run\\n')",
  "os.remove('old.txt')",
  "with open('data.bin', 'ab') as f: f.write(bytes([0, 255]))",
  "with open('/data/planets.csv') as f: print('planets:', len(f.read().splitlines()) - 1)",
  "print('files:', sorted(os.listdir('.')))",
  "",
].join("\n");

describe("the workspace on the page", () => {
  const app = useApp();

  it("uploads files, reviews a run's changes, rolls back, accepts, and finds the accepted state after a reload", { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const page = await app.open();
    await newWorkspace(page, "review");
    await page.getByTestId("file-tree-upload-input").setInputFiles([
      { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("first line\n") },
      { name: "old.txt", mimeType: "text/plain", buffer: Buffer.from("to be deleted\n") },
      { name: "data.bin", mimeType: "application/octet-stream", buffer: Buffer.from([0, 1, 2, 3]) },
    ]);
    await waitTree(page, (p) => ["data.bin", "notes.txt", "old.txt"].every((f) => p.includes(f)), "the uploaded files appear");
    await setEditorText(page, EDITING_SCRIPT);

    const first = await run(page);
    assert.equal(first.exitCode, 0, first.stderr);
    assert.match(first.stdout, /planets: \d+/);
    // main.py is the engine's copy of the editor's script: there for the run, never part of the result.
    assert.match(first.stdout, /files: \['data.bin', 'main.py', 'new.txt', 'notes.txt'\]/);
    const review = page.getByTestId("review");
    assert.equal(await review.getAttribute("data-state"), "pending");
    assert.deepEqual(await reviewItems(page), [
      ["data.bin", "modified"],
      ["new.txt", "added"],
      ["notes.txt", "modified"],
      ["old.txt", "deleted"],
    ]);
    assert.match((await page.getByTestId("review-summary").textContent()) ?? "", /1 added, 2 modified, 1 deleted/);
    // A binary file is shown by size and SHA-256.
    await page.locator('[data-testid="review-item"][data-path="data.bin"]', { hasText: "sha256:" }).filter({ hasNotText: "…" }).waitFor();
    const short = (bytes: number[]) => createHash("sha256").update(Buffer.from(bytes)).digest("hex").slice(0, 12);
    assert.match(
      (await page.locator('[data-testid="review-item"][data-path="data.bin"]').textContent()) ?? "",
      new RegExp(`4 B → 6 B.*sha256:${short([0, 1, 2, 3])} → sha256:${short([0, 1, 2, 3, 0, 255])}`),
    );
    // The side-by-side diff of a text file, in Monaco's diff editor.
    await page.locator('[data-testid="review-item"][data-path="notes.txt"]').click();
    await page.getByTestId("review-diff").locator(".editor.modified .view-lines", { hasText: "second line" }).waitFor();
    assert.ok(await page.getByTestId("review-diff").locator(".editor.original .view-lines", { hasText: "first line" }).isVisible());
    // Until decided, the workspace is the snapshot.
    assert.deepEqual((await treePaths(page)).sort(), ["data.bin", "notes.txt", "old.txt"]);

    await page.getByTestId("review-rollback").click();
    assert.equal(await review.getAttribute("data-state"), "rolled back");
    assert.deepEqual((await treePaths(page)).sort(), ["data.bin", "notes.txt", "old.txt"]);

    const second = await run(page);
    assert.equal(second.exitCode, 0, second.stderr);
    assert.equal(await review.getAttribute("data-state"), "pending", "the second run starts from the rolled-back state and makes the same changes");
    assert.equal((await reviewItems(page)).length, 4);
    await page.getByTestId("review-accept").click();
    await waitTree(page, (p) => p.includes("new.txt") && !p.includes("old.txt"), "the accepted state shows");
    await page.locator('[data-testid="storage-usage"][data-saved="true"]').waitFor();

    await page.reload();
    await waitReady(page);
    assert.equal(await page.getByTestId("workspace-select").inputValue(), "review");
    assert.deepEqual((await waitTree(page, (p) => p.length === 3, "the accepted files after the reload")).sort(), ["data.bin", "new.txt", "notes.txt"]);
    await page.locator('[data-testid="file-tree-item"][data-path="notes.txt"]').click();
    await page.getByTestId("file-editor").locator(".view-lines", { hasText: "second line" }).waitFor();
    assert.match((await page.getByTestId("storage-usage").textContent()) ?? "", /of 64 MiB · 3 entries/);
  });

  it("keeps the files when the engine changes: both engines share one workspace; running again accepts a pending review", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await newWorkspace(page, "engines");
    await page.getByTestId("file-tree-upload-input").setInputFiles([{ name: "shared.txt", mimeType: "text/plain", buffer: Buffer.from("from the page") }]);
    await setEditorText(page, "with open('shared.txt') as f: print(f.read())\nwith open('by-wasmer.txt', 'w') as f: f.write('w')\n");
    assert.match((await run(page)).stdout, /from the page/);
    assert.equal(await page.getByTestId("review").getAttribute("data-state"), "pending");
    await page.getByTestId("engine").selectOption("gated");
    await waitReady(page);
    await setEditorText(page, "import os\nprint(sorted(os.listdir('.')))\n");
    const gated = await run(page);
    assert.match(gated.stdout, /\['by-wasmer.txt', 'main.py', 'shared.txt'\]/, gated.stderr);
    await waitTree(page, (p) => p.includes("by-wasmer.txt"), "the first run's file, accepted when the second started");
    // With auto-accept (remembered), a run's changes are accepted as it ends.
    await page.getByTestId("auto-accept").check();
    await setEditorText(page, "open('auto.txt', 'w').close()\n");
    await run(page);
    assert.equal(await page.getByTestId("review").getAttribute("data-state"), "accepted");
    await waitTree(page, (p) => p.includes("auto.txt"), "the auto-accepted file");
    await page.reload();
    await waitReady(page);
    assert.ok(await page.getByTestId("auto-accept").isChecked(), "auto-accept is remembered");
    await page.getByTestId("auto-accept").uncheck();
  });

  it("refuses a zip-slip archive naming the entry and changes nothing; imports a good one", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await newWorkspace(page, "zips");
    const evil = zipSync({ "ok.txt": new TextEncoder().encode("fine"), "../evil.txt": new TextEncoder().encode("escaped") });
    await page.getByTestId("file-tree-zip-input").setInputFiles([{ name: "evil.zip", mimeType: "application/zip", buffer: Buffer.from(evil) }]);
    assert.match(await notice(page, "unsafe zip entry"), /unsafe zip entry "\.\.\/evil\.txt": its path contains "\.\."; nothing was imported/);
    assert.deepEqual(await treePaths(page), []);
    const good = zipSync({ "src/main.py": new TextEncoder().encode("print(1)\n"), "ünïcode name.txt": new Uint8Array(0) });
    await page.getByTestId("file-tree-zip-input").setInputFiles([{ name: "good.zip", mimeType: "application/zip", buffer: Buffer.from(good) }]);
    await notice(page, "Imported good.zip");
    await waitTree(page, (p) => p.includes("src") && p.includes("ünïcode name.txt"), "the zip's files");
  });

  it("says exactly why a name, an upload or a run is refused, and accepts unicode and empty files", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await newWorkspace(page, "limits");
    const name = async (text: string) => {
      await page.getByTestId("file-tree-new-file").click();
      await page.getByTestId("file-tree-name").fill(text);
      await page.getByTestId("file-tree-name-ok").click();
    };
    await name("../escape.txt");
    await notice(page, 'a name may not contain "/"');
    await page.getByTestId("file-tree-name").fill("x".repeat(300));
    await page.getByTestId("file-tree-name-ok").click();
    await notice(page, "a name may be at most 255 bytes");
    await page.getByTestId("file-tree-name").fill("naïve 名前.txt");
    await page.getByTestId("file-tree-name-ok").click();
    await waitTree(page, (p) => p.includes("naïve 名前.txt"), "the unicode-named empty file");
    assert.match((await page.locator('[data-testid="file-tree-item"][data-path="naïve 名前.txt"]').textContent()) ?? "", /0 B/);

    // Quota: 1 MiB. An upload over it is refused before it is read, even 100 MB.
    await page.getByTestId("workspace-quota").fill("1");
    await page.getByTestId("workspace-quota").press("Enter");
    await page.locator('[data-testid="storage-usage"][data-quota="1048576"]').waitFor();
    const folder = mkdtempSync(path.join(tmpdir(), "playpen-upload-"));
    try {
      const big = path.join(folder, "big.bin");
      writeFileSync(big, Buffer.alloc(100 * 1024 * 1024, 7));
      const started = Date.now();
      await page.getByTestId("file-tree-upload-input").setInputFiles(big);
      assert.match(await notice(page, "upload refused"), /100 MiB would make workspace "limits" 100 MiB, over its quota of 1 MiB/);
      assert.ok(Date.now() - started < 10_000, "refused promptly");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    await page.getByTestId("engine").selectOption("gated");
    await waitReady(page);
    await page.getByTestId("editor-tab-main").click();
    await setEditorText(page, "with open('fill.bin', 'wb') as f: f.write(b'x' * (2 * 1024 * 1024))\n");
    const over = await run(page);
    assert.match(over.stderr, /No space left on device/);
    assert.match(await notice(page, "workspace quota"), /hit the workspace quota \(1 MiB for workspace "limits"\): writes beyond it failed with ENOSPC inside the sandbox/);
  });
});
