/**
 * The Compare page in Chromium against the production build served by `vite
 * preview`, whose native-runner plugin (scripts/vite-plugin-native-runner.ts)
 * mounts the real local runner under /native/ and prints its token.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { after, afterEach, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { parseCompareResult, type CompareResult } from "../../web/compare/result.ts";
import { formatMs } from "../../web/compare/scale.ts";
import { launchBrowser, type Browser } from "../support/browser.ts";
import { LOAD_TIMEOUT_MS, TEST_TIMEOUT_MS, waitReady } from "./helpers.ts";

const DIST_REFERENCE = new URL("../../dist/compare/reference.json", import.meta.url);
const FIXTURE = new URL("../fixtures/compare-result.json", import.meta.url);
const LIVE_TIMEOUT_MS = 180_000;

interface Preview {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** `vite preview` on a free port (--port 0 is not supported: try a random high one), reading the runner's token from its banner. */
async function startPreviewWithRunner(): Promise<Preview> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child: ChildProcess = spawn("npx", ["vite", "preview", "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    env: { ...process.env, PLAYPEN_NATIVE_RUNNER: "1", NO_COLOR: "1" },
  });
  let output = "";
  const token = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vite preview printed no runner token within 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Native runner: .*token: ([0-9a-f]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", (code) => reject(new Error(`vite preview exited with status ${code}:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    close: async () => {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
      await new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(null)));
    },
  };
}

/** The committed reference as built into dist/; until it is committed, the test fixture is served in its place. */
function referenceToServe(): { result: CompareResult; body: string; fromFixture: boolean } {
  const fromFixture = !existsSync(DIST_REFERENCE);
  const body = readFileSync(fromFixture ? FIXTURE : DIST_REFERENCE, "utf8");
  return { result: parseCompareResult(JSON.parse(body)), body, fromFixture };
}

async function barValues(page: Page, chart: string): Promise<Map<string, number>> {
  const bars = await page.getByTestId(chart).locator('[data-testid="bar"]').evaluateAll((nodes) => nodes.map((n) => [n.getAttribute("data-backend")!, Number(n.getAttribute("data-value"))] as const));
  return new Map(bars);
}

describe("Compare page", () => {
  let preview: Preview | undefined;
  let browser: Browser | undefined;
  let pages: { page: Page; errors: Error[] }[] = [];
  const reference = referenceToServe();

  before(async () => {
    assert.ok(existsSync(new URL("../../dist/index.html", import.meta.url)), "no production build in dist/: run `npm run build` first");
    if (reference.fromFixture) console.log("# dist/compare/reference.json is missing: serving test/fixtures/compare-result.json in its place");
    preview = await startPreviewWithRunner();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await preview?.close();
  });

  afterEach(async () => {
    const opened = pages;
    pages = [];
    await Promise.all(opened.map(({ page }) => page.close()));
    assert.deepEqual(
      opened.flatMap(({ errors }) => errors.map((e) => e.message)),
      [],
      "uncaught exceptions in the page",
    );
  });

  /** The app at `hash`, once the Compare view shows; `prepare` runs before the page loads (routes). */
  async function open(hash: string, prepare?: (page: Page) => Promise<unknown>): Promise<Page> {
    const page = await browser!.context.newPage();
    const errors: Error[] = [];
    page.on("pageerror", (error) => errors.push(error));
    pages.push({ page, errors });
    page.setDefaultTimeout(LOAD_TIMEOUT_MS);
    await prepare?.(page);
    if (reference.fromFixture) await page.route("**/compare/reference.json", (route) => route.fulfill({ contentType: "application/json", body: reference.body }));
    await page.goto(`${preview!.url}${hash}`);
    await waitReady(page);
    await page.getByTestId("compare").waitFor();
    return page;
  }

  it("opened at #compare, charts the reference result", { timeout: TEST_TIMEOUT_MS }, async () => {
    const { result } = reference;
    const page = await open("#compare");
    assert.equal(await page.getByTestId("compare-source").inputValue(), "reference");
    await page.getByTestId("chart-startup").waitFor();

    // One start-up bar per available backend with a hello median, each at that median.
    const expected = new Map(
      result.backends
        .filter((b) => b.available)
        .flatMap((b) => result.measurements.filter((m) => m.backend === b.name && m.workload === "hello" && m.medianMs !== null).map((m) => [b.name, m.medianMs!] as const)),
    );
    assert.ok(expected.size > 1, "the reference has start-up medians");
    assert.deepEqual(await barValues(page, "chart-startup"), expected);
    assert.equal(await page.getByTestId("chart-startup").getAttribute("data-scale"), "log");
    const wasm = result.backends.filter((b) => b.kind === "wasm" && expected.has(b.name));
    assert.equal(await page.locator('[data-testid="chart-startup"] .bar.wasm').count(), wasm.length, "WASM rows are highlighted");

    // The CPU overhead chart has its 1× line.
    await page.getByTestId("chart-cpu-reference").waitFor({ state: "attached" });

    // A scorecard cell says what the document says.
    const verdict = result.verdicts.find((v) => v.backend === "plain" && v.probe === "read-canary") ?? result.verdicts[0]!;
    const cell = page.getByTestId(`scorecard-cell-${verdict.backend}-${verdict.probe}`);
    assert.equal((await cell.textContent())?.trim(), verdict.verdict);
    assert.match((await cell.getAttribute("title")) ?? "", new RegExp(verdict.detail.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));

    // Where and when, on every figure.
    const meta = (await page.getByTestId("figure-startup").getByTestId("figure-meta").textContent()) ?? "";
    assert.ok(meta.includes(result.host.cpu) && meta.includes(`${result.host.cores} cores`) && meta.includes(result.host.kernel), meta);
    assert.ok(meta.includes(result.date.slice(0, 10)), `the date is shown: ${meta}`);
    assert.ok(meta.includes(`median of ${result.settings.samples} sample`), meta);
    const plain = result.backends.find((b) => b.name === "plain");
    if (plain?.version) assert.ok(meta.includes(`plain ${plain.version}`), meta);

    // The Compare button leads back to the editor, whose test ids still work.
    await page.getByTestId("view-compare").click();
    await page.getByTestId("run").waitFor();
    assert.equal(await page.getByTestId("compare").count(), 0);
    assert.ok(!page.url().includes("#compare"));
  });

  it("says plainly when there is no local runner, and keeps the reference", { timeout: TEST_TIMEOUT_MS }, async () => {
    // What a static host without the runner answers.
    const noRunner = await open("#compare", (page) => page.route("**/native/**", (route) => route.fulfill({ status: 404, body: "not found" })));
    await noRunner.getByText("No local runner: start the playground with `npm start` to run native backends live; showing the reference result.").waitFor();
    assert.equal(await noRunner.getByTestId("compare-source").inputValue(), "reference");
  });

  it("refuses a wrong token and names the fix", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await open("#compare&token=0000");
    await page.getByTestId("compare-runner").getByText("needs its token").waitFor();
    assert.equal(await page.getByTestId("compare-backend-plain").count(), 0, "no native checklist without the runner's answer");
  });

  it("a live run (plain on the runner, both engines in the page) replaces the reference in the charts", { timeout: LIVE_TIMEOUT_MS + 30_000 }, async () => {
    const page = await open(`#compare&token=${preview!.token}`);
    assert.ok(!page.url().includes(preview!.token), `the token is removed from the URL: ${page.url()}`);
    assert.equal(await page.getByTestId("compare-token").inputValue(), preview!.token);
    await page.getByTestId("compare-runner").getByText("Local runner ready.").waitFor();
    await page.getByTestId("compare-backend-plain").waitFor();
    assert.equal(await page.getByTestId("compare-backend-plain").isChecked(), true);
    const checked = await page.locator('[data-testid^="compare-backend-"]:checked').evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-testid")));
    assert.deepEqual(checked, ["compare-backend-plain", "compare-backend-wasm-wasmer-chromium", "compare-backend-wasm-gated-chromium"], "plain and the page's engines are the default");
    await page.getByTestId("compare-samples").fill("1");

    // Playwright cannot read a body the page consumes as a stream: pass the runner's answer through, keeping a copy.
    let answered: (body: string) => void;
    const nativeAnswer = new Promise<string>((resolve) => (answered = resolve));
    await page.route("**/native/compare", async (route) => {
      const response = await route.fetch({ timeout: LIVE_TIMEOUT_MS });
      const body = await response.text();
      await route.fulfill({ response, body });
      answered(body);
    });
    await page.getByTestId("compare-run").click();
    await page.getByTestId("compare-progress").waitFor();
    const lines = (await nativeAnswer).trim().split("\n").map((l) => JSON.parse(l) as { type: string; line?: string; result?: unknown });
    const live = parseCompareResult(lines.find((l) => l.type === "result")!.result);
    assert.deepEqual(live.backends.map((b) => b.name), ["plain"]);
    const firstLog = lines.find((l) => l.type === "log")!.line!;

    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('[data-testid="compare-source"]')?.value === "live", null, { timeout: LIVE_TIMEOUT_MS });
    const status = (await page.getByTestId("compare-status").textContent()) ?? "";
    assert.ok(status.includes("Done: the charts show the live result"), status);
    assert.ok(status.includes(firstLog), `the streamed log is shown: ${status}`);

    const bars = await barValues(page, "chart-startup");
    const plainHello = live.measurements.find((m) => m.backend === "plain" && m.workload === "hello")!.medianMs!;
    assert.equal(bars.get("plain"), plainHello, "the start-up chart shows the live median of plain");
    assert.equal((await page.locator('[data-testid="chart-startup"] [data-backend="plain"] .value').textContent())?.trim(), formatMs(plainHello));
    assert.deepEqual([...bars.keys()].sort(), ["plain", "wasm-gated-chromium", "wasm-wasmer-chromium"], "only what this run measured is charted");
    for (const [name, value] of bars) assert.ok(value > 0, `${name}: ${value}`);
    const cpu = await barValues(page, "chart-cpu");
    assert.equal(cpu.get("plain"), 1);
    assert.ok((cpu.get("wasm-gated-chromium") ?? 0) > 0, "the gated engine's CPU ratio against the live plain run");

    const meta = (await page.getByTestId("figure-startup").getByTestId("figure-meta").textContent()) ?? "";
    assert.ok(meta.includes(live.host.cpu) && meta.includes("median of 1 sample "), meta);
    assert.equal(await page.getByTestId("compare").getAttribute("data-source"), "live");

    // Back to the reference with the toggle.
    await page.getByTestId("compare-source").selectOption("reference");
    assert.deepEqual([...(await barValues(page, "chart-startup")).keys()].includes("wasm-gated-chromium"), reference.result.measurements.some((m) => m.backend === "wasm-gated-chromium" && m.workload === "hello"));
  });

  it("Stop cancels a live run and leaves the charts as they were", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await open(`#compare&token=${preview!.token}`);
    await page.getByTestId("compare-runner").getByText("Local runner ready.").waitFor();
    await page.getByTestId("compare-samples").fill("20");
    await page.getByTestId("compare-run").click();
    await page.getByTestId("compare-progress").waitFor();
    await page.getByTestId("compare-stop").click();
    await page.getByTestId("compare-status").getByText("Stopped: the live run was cancelled").waitFor();
    assert.equal(await page.getByTestId("compare-source").inputValue(), "reference");
    // The runner noticed the closed connection and cleaned up: it is free again.
    await page.waitForFunction(
      async (token) => !((await (await fetch("/native/status", { headers: { Authorization: `Bearer ${token}` } })).json()) as { busy: boolean }).busy,
      preview!.token,
      { timeout: 60_000, polling: 500 },
    );
  });
});
