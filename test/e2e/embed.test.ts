import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Locator, Page } from "playwright-core";
import { launchBrowser, type Browser } from "../support/browser.ts";
import { startStaticServer, type StaticServer } from "../support/static-server.ts";
import { LOAD_TIMEOUT_MS, TEST_TIMEOUT_MS } from "./helpers.ts";

// The `<playpen-run>` element and its iframe page, from dist/ on a plain static host (no headers).
const DIST = path.resolve(import.meta.dirname, "../../dist");

/** Waits for a snippet's run to end; returns its status line and output. */
async function finished(snippet: Locator): Promise<{ reason: string; exitCode: number; status: string; output: string }> {
  const status = snippet.getByTestId("embed-status");
  await status.and(snippet.locator("[data-reason]")).waitFor({ timeout: LOAD_TIMEOUT_MS });
  return {
    reason: (await status.getAttribute("data-reason")) ?? "",
    exitCode: Number(await status.getAttribute("data-exit-code")),
    status: (await status.textContent()) ?? "",
    output: (await snippet.getByTestId("embed-output").textContent()) ?? "",
  };
}

describe("embedded snippets", () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  before(async () => {
    server = await startStaticServer(DIST);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(LOAD_TIMEOUT_MS);
  });
  after(async () => {
    await browser.close();
    await server.close();
  });

  it("the demo page's snippets run side by side, a runaway holds up none of the others, and a policy denial shows", { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${server.url}embed-demo.html`);
    const python = page.locator("#python");
    const sql = page.locator("#sql");
    const shell = page.locator("#shell");
    const locked = page.locator("#locked");

    // Locked down allows 5 s; a first Python run on a busy machine can need more (it is not what this test is about).
    await locked.evaluate((element) => element.setAttribute("timeout", "30000"));
    await python.evaluate((element) => element.setAttribute("timeout", "120000")); // a runaway that outlives the others: Stop ends it
    await python.getByTestId("embed-code").fill("while True:\n    pass\n");
    await python.getByTestId("embed-run").click();
    await locked.getByTestId("embed-run").click();
    await sql.getByTestId("embed-run").click();
    await shell.getByTestId("embed-run").click();

    const sqlResult = await finished(sql);
    assert.equal(sqlResult.exitCode, 0, sqlResult.output);
    assert.equal(sqlResult.output, "cat|1\ndog|2\n");
    const shellResult = await finished(shell);
    assert.equal(shellResult.output, "      2 a\n      1 b\n      1 c\n");
    const lockedResult = await finished(locked);
    assert.equal(lockedResult.exitCode, 0, lockedResult.status);
    assert.match(lockedResult.output, /^denied: .*Permission denied: '\/workspace\/notes\.txt'/);
    await locked.getByTestId("embed-audit").locator("summary").click();
    assert.match((await locked.getByTestId("embed-audit").textContent()) ?? "", /deny file \/workspace\/notes\.txt/);

    assert.equal(await python.getByTestId("embed-status").getAttribute("data-reason"), null, "the runaway is still running");
    await python.getByTestId("embed-stop").click();
    const stopped = await finished(python);
    assert.equal(stopped.reason, "stopped");

    await python.getByTestId("embed-code").fill('print("after the runaway")\n');
    await python.getByTestId("embed-run").click();
    assert.equal((await finished(python)).output, "after the runaway\n");
    assert.equal(server.hits("/runtimes/python.wasm"), 1, "two Python snippets, one download");
    assert.deepEqual(errors, []);
  });

  it("a snippet made by the page's own script takes files, stdin and readonly", { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.goto(`${server.url}embed-demo.html`);
    const scenario = JSON.stringify({ files: { "greeting.txt": "hello from a file\n" } });
    await page.evaluate((files) => {
      const snippet = document.createElement("playpen-run");
      snippet.id = "made";
      snippet.setAttribute("language", "python");
      snippet.setAttribute("files", `data:application/json,${encodeURIComponent(files)}`);
      snippet.setAttribute("stdin", "Ada\n");
      snippet.setAttribute("readonly", "");
      snippet.textContent = 'print(open("/workspace/greeting.txt").read().strip(), "and", input())';
      document.body.append(snippet);
    }, scenario);
    const made = page.locator("#made");
    assert.equal(await made.getByTestId("embed-code").getAttribute("readonly"), "");
    await made.getByTestId("embed-run").click();
    const result = await finished(made);
    assert.equal(result.output, "hello from a file and Ada\n", result.status);
  });

  it("'Open in Playpen' carries the edited snippet to the app", { timeout: TEST_TIMEOUT_MS }, async () => {
    const sql = page.locator("#sql");
    await sql.getByTestId("embed-code").fill("select 40 + 2;\n");
    const href = (await sql.getByTestId("embed-open").getAttribute("href")) ?? "";
    const app = await browser.context.newPage();
    await app.goto(href);
    await app.locator('.app[data-ready="true"]').waitFor({ timeout: LOAD_TIMEOUT_MS });
    assert.equal(await app.getByTestId("language").inputValue(), "sql");
    assert.match((await app.locator(".monaco-editor").textContent()) ?? "", /select\s40\s\+\s2;/);
    await app.close();
  });

  it("an iframe on another origin drives a snippet with postMessage", { timeout: TEST_TIMEOUT_MS }, async () => {
    const host = await startStaticServer(DIST); // another port: another origin
    try {
      const frameUrl = `${server.url}embed.html?language=python&policy=locked-down&timeout=30000&code=${encodeURIComponent('print("from the query")')}`;
      const other = await browser.context.newPage();
      await other.goto(`${host.url}course-page`);
      await other.setContent("<!doctype html><title>A course page</title><body></body>");
      const result = await other.evaluate(async (src) => {
        const messages: { type: string; text?: string; result?: { exitCode: number; stdout: string } }[] = [];
        const frame = document.createElement("iframe");
        const ready = new Promise<void>((resolve) =>
          window.addEventListener("message", (event) => {
            messages.push(event.data);
            if (event.data?.type === "playpen:ready") resolve();
          }),
        );
        frame.src = src;
        document.body.append(frame);
        await ready;
        const done = new Promise<void>((resolve) => window.addEventListener("message", (event) => event.data?.type === "playpen:result" && resolve()));
        frame.contentWindow!.postMessage({ type: "playpen:run", code: 'print("from the host", 6 * 7)' }, "*");
        await done;
        return messages;
      }, frameUrl);
      const outputs = result.filter((m) => m.type === "playpen:output").map((m) => m.text).join("");
      const final = result.find((m) => m.type === "playpen:result")!.result!;
      assert.equal(final.exitCode, 0);
      assert.equal(final.stdout, "from the host 42\n");
      assert.equal(outputs, "from the host 42\n", "output streamed before the result");
      await other.close();
    } finally {
      await host.close();
    }
  });
});
