import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { launchBrowser, type Browser } from "../support/browser.ts";
import { startStaticServer, type StaticServer } from "../support/static-server.ts";
import { installProbe, LOAD_TIMEOUT_MS, run, TEST_TIMEOUT_MS, waitReady } from "./helpers.ts";

// dist/ on hosts that send no headers at all (GitHub Pages, S3, a plain file server).
const DIST = path.resolve(import.meta.dirname, "../../dist");
const HELLO = "Hello from Python";

async function openApp(browser: Browser, url: string): Promise<Page> {
  await browser.context.addInitScript(installProbe);
  const page = await browser.context.newPage();
  page.setDefaultTimeout(LOAD_TIMEOUT_MS);
  const errors: Error[] = [];
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(url);
  await waitReady(page);
  assert.deepEqual(errors.map(String), [], "uncaught exceptions in the page");
  return page;
}

describe("static host without headers", () => {
  let server: StaticServer;
  let browser: Browser;
  before(async () => {
    server = await startStaticServer(DIST);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
    await server.close();
  });

  it("the service worker isolates the page after one reload, Python runs, and it runs again offline", { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const page = await openApp(browser, server.url);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, "isolated through the service worker");
    assert.equal(await page.getByTestId("isolation-error").count(), 0);

    const first = await run(page);
    assert.equal(first.exitCode, 0, first.stderr);
    assert.match(first.stdout, new RegExp(HELLO));
    await page.getByTestId("offline-status").locator("summary").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="offline-status"]')?.getAttribute("data-count") !== "0");
    assert.deepEqual(await page.getByTestId("offline-runtime").allTextContents(), ["python"]);

    await browser.context.setOffline(true);
    try {
      await page.reload();
      await waitReady(page);
      assert.equal(await page.evaluate(() => crossOriginIsolated), true, "isolated offline too");
      const offline = await run(page);
      assert.equal(offline.exitCode, 0, offline.stderr);
      assert.match(offline.stdout, new RegExp(HELLO));
    } finally {
      await browser.context.setOffline(false);
    }

    await page.getByTestId("offline-status").locator("summary").click();
    await page.getByTestId("offline-clear").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="offline-status"]')?.getAttribute("data-count") === "0");
    await page.close();
  });
});

describe("static host where service workers are refused", () => {
  let server: StaticServer;
  let browser: Browser;
  before(async () => {
    server = await startStaticServer(DIST);
    browser = await launchBrowser({ serviceWorkers: "block" });
  });
  after(async () => {
    await browser.close();
    await server.close();
  });

  it("says the page is not isolated, Run refuses on Wasmer with the reason (never exit 0 without a run), and the gated engine still runs", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openApp(browser, server.url);
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    assert.match((await page.getByTestId("isolation-error").textContent()) ?? "", /not cross-origin isolated.*Wasmer.*cannot run/s);

    await page.getByTestId("run").click();
    await page.getByTestId("notice").filter({ hasText: "SharedArrayBuffer is unavailable" }).waitFor();
    assert.equal(await page.getByTestId("exit-status").getAttribute("data-reason"), null, "no run result was shown");
    assert.equal(await page.getByTestId("stdout").textContent(), "");

    await page.getByTestId("engine").selectOption("gated");
    const gated = await run(page);
    assert.equal(gated.exitCode, 0, gated.stderr);
    assert.match(gated.stdout, new RegExp(HELLO));
    await page.close();
  });
});

describe("a build under a sub-path", () => {
  let server: StaticServer;
  let browser: Browser;
  let outDir: string;
  before(async () => {
    outDir = mkdtempSync(path.join(tmpdir(), "playpen-subpath-"));
    execFileSync("npx", ["vite", "build", "--base", "/playpen/", "--outDir", outDir, "--emptyOutDir", "--logLevel", "error"], { stdio: "inherit" });
    server = await startStaticServer(outDir, "/playpen/");
    browser = await launchBrowser();
  });
  after(async () => {
    await browser.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it("loads, isolates itself and runs Python from /playpen/", { timeout: TEST_TIMEOUT_MS }, async () => {
    const requests: string[] = [];
    browser.context.on("request", (request) => requests.push(new URL(request.url()).pathname));
    const page = await openApp(browser, server.url);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    const result = await run(page);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, new RegExp(HELLO));
    const outside = requests.filter((p) => !p.startsWith("/playpen/"));
    assert.deepEqual(outside, [], "every request stays under the sub-path");
    await page.close();
  });
});
