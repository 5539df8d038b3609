import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, afterEach, before } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { launchBrowser, startPreview, type Browser, type PreviewServer } from "../support/browser.ts";

/** Generous: the first run on a page downloads and compiles the Python runtime. */
export const LOAD_TIMEOUT_MS = 60_000;
/** Per-test budget for node:test. */
export const TEST_TIMEOUT_MS = 120_000;

/** One run as seen from the page: when the status showed "running…", and when it showed a result. */
export interface RunRecord {
  /** performance.now() in the page when the status switched to "running…". */
  startedAt: number;
  /** performance.now() in the page when the status got its data-reason. */
  endedAt?: number;
  reason?: string;
}

/** State the init script keeps in every page (see `installProbe`). */
export interface E2EProbe {
  runs: RunRecord[];
  /** performance.now() of every click on the Stop button (capture phase, i.e. when the click reached the page). */
  stopClicks: number[];
  lag: { timer: number; samples: number[]; startedAt: number; stoppedAt: number };
}

declare global {
  interface Window {
    __e2e: E2EProbe;
  }
}

/**
 * Runs in every page before the app: a MutationObserver follows the exit-status
 * element so tests know exactly when each run starts and ends (in page time),
 * even runs too short for polling to catch the "running…" state.
 */
export function installProbe(): void {
  const probe: E2EProbe = { runs: [], stopClicks: [], lag: { timer: 0, samples: [], startedAt: 0, stoppedAt: 0 } };
  window.__e2e = probe;
  let state = "none";
  const check = () => {
    const el = document.querySelector<HTMLElement>('[data-testid="exit-status"]');
    const next = !el ? "none" : el.hasAttribute("data-reason") ? "done" : el.classList.contains("running") ? "running" : "idle";
    if (next === state) return;
    state = next;
    const now = performance.now();
    if (next === "running") probe.runs.push({ startedAt: now });
    const last = probe.runs.at(-1);
    if (next === "done" && last && last.endedAt === undefined) {
      last.endedAt = now;
      last.reason = el!.dataset.reason;
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["class", "data-reason"],
  });
  document.addEventListener(
    "click",
    (event) => {
      if ((event.target as Element | null)?.closest?.('[data-testid="stop"]')) probe.stopClicks.push(performance.now());
    },
    true,
  );
}

/**
 * Runs in every page before the app: a new page (tab) starts without the setup
 * the page saves per workspace (code, policy, tools…), as if on a fresh profile,
 * so each test starts from the defaults; a reload of the same page keeps it
 * (sessionStorage outlives a reload, not a new tab).
 */
export function freshSetup(): void {
  if (sessionStorage.getItem("e2e-setup-cleared")) return;
  sessionStorage.setItem("e2e-setup-cleared", "1");
  for (const key of Object.keys(localStorage)) if (key.startsWith("playpen.setup.")) localStorage.removeItem(key);
}

export interface App {
  readonly server: PreviewServer;
  readonly context: BrowserContext;
  /** The browser's profile folder. */
  readonly profile: string;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** A fresh page on the app (optionally at `url`), once no runtime is loading. Closed after the test. */
  open(url?: string): Promise<Page>;
}

/**
 * One preview server and one browser for the calling test file (or describe
 * block); every `open()` is a fresh page, closed after its test, which fails
 * if the page threw an uncaught exception.
 */
export function useApp(): App {
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  let pages: { page: Page; errors: Error[] }[] = [];

  before(async () => {
    assert.ok(existsSync(new URL("../../dist/index.html", import.meta.url)), "no production build in dist/: run `npm run build` first");
    server = await startPreview();
    browser = await launchBrowser();
    // Paste (to type programs verbatim, without Monaco's auto-indent) and copy (to read the editor back).
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(server.url).origin });
    await browser.context.addInitScript(installProbe);
    await browser.context.addInitScript(freshSetup);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async () => {
    const opened = pages;
    pages = [];
    await Promise.all(opened.map(({ page }) => page.close()));
    const errors = opened.flatMap(({ errors }) => errors.map((e) => e.message));
    assert.deepEqual(errors, [], "uncaught exceptions in the page");
  });

  return {
    get server() {
      assert.ok(server, "preview server not started");
      return server;
    },
    get context() {
      assert.ok(browser, "browser not launched");
      return browser.context;
    },
    get profile() {
      assert.ok(browser, "browser not launched");
      return browser.profile;
    },
    get origin() {
      return new URL(this.server.url).origin;
    },
    async open(url?: string) {
      const page = await this.context.newPage();
      const errors: Error[] = [];
      page.on("pageerror", (error) => errors.push(error));
      pages.push({ page, errors });
      page.setDefaultTimeout(LOAD_TIMEOUT_MS);
      await page.goto(url ?? this.server.url);
      await waitReady(page);
      return page;
    },
  };
}

/** Waits until no runtime is loading and no run is active. */
export async function waitReady(page: Page): Promise<void> {
  await page.locator('.app[data-ready="true"]').waitFor({ timeout: LOAD_TIMEOUT_MS });
}

/** Replaces the editor's text: paste through the clipboard, so Monaco's auto-indent and auto-close leave it verbatim. */
export async function setEditorText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.getByTestId("editor").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Control+V");
  assert.equal(await editorText(page), text, "the editor should hold exactly the pasted program");
}

/** The editor's whole text, read back through Monaco's own copy command. */
export async function editorText(page: Page): Promise<string> {
  await page.evaluate(() => navigator.clipboard.writeText(""));
  await page.getByTestId("editor").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Control+C");
  await page.keyboard.press("Control+End");
  return page.evaluate(() => navigator.clipboard.readText());
}

export interface RunOutcome {
  reason: string;
  exitCode: number;
  /** The run's own duration, as the status reports it. */
  durationMs: number;
  /** Page time from the status showing "running…" to it showing the result. */
  observedMs: number;
  status: string;
  stdout: string;
  stderr: string;
  truncated: boolean;
  record: RunRecord;
}

export interface StartedRun {
  /** Index of this run in `window.__e2e.runs`. */
  index: number;
  finished(): Promise<RunOutcome>;
}

type Trigger = "click" | "keyboard" | ((page: Page) => Promise<void>);

/** Starts a run (Run button, Ctrl+Enter in the editor, or a custom action) and waits until the status says "running…". */
export async function startRun(page: Page, trigger: Trigger = "click"): Promise<StartedRun> {
  await waitReady(page);
  const index = await page.evaluate(() => window.__e2e.runs.length);
  if (trigger === "click") await page.getByTestId("run").click();
  else if (trigger === "keyboard") {
    await page.locator(".monaco-editor").click();
    await page.keyboard.press("Control+Enter");
  } else await trigger(page);
  await page.waitForFunction((i) => window.__e2e.runs.length > i, index, { timeout: LOAD_TIMEOUT_MS });
  return { index, finished: () => runFinished(page, index) };
}

/** Runs the current program to its end and returns what the page shows. */
export async function run(page: Page, trigger: Trigger = "click"): Promise<RunOutcome> {
  return (await startRun(page, trigger)).finished();
}

async function runFinished(page: Page, index: number): Promise<RunOutcome> {
  await page.waitForFunction((i) => window.__e2e.runs[i]?.endedAt !== undefined, index, { timeout: LOAD_TIMEOUT_MS });
  await waitReady(page);
  const runs = await page.evaluate(() => window.__e2e.runs);
  assert.equal(runs.length, index + 1, "exactly one run should have started");
  const record = runs[index]!;
  const status = page.getByTestId("exit-status");
  return {
    reason: (await status.getAttribute("data-reason")) ?? "",
    exitCode: Number(await status.getAttribute("data-exit-code")),
    durationMs: Number(await status.getAttribute("data-duration-ms")),
    observedMs: record.endedAt! - record.startedAt,
    status: (await status.textContent()) ?? "",
    stdout: (await page.getByTestId("stdout").textContent()) ?? "",
    stderr: (await page.getByTestId("stderr").textContent()) ?? "",
    truncated: await page.getByTestId("truncated").isVisible(),
    record,
  };
}

/** Opens an example; over edited code the page asks first, and this answers "Open the example". */
export async function selectExample(page: Page, id: string): Promise<void> {
  await waitReady(page);
  await page.getByTestId("examples").selectOption(id);
  const confirm = page.getByTestId("example-confirm-open");
  if (await confirm.isVisible()) await confirm.click();
}

export interface LagStats {
  samples: number;
  spanMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/** Starts a 10 ms setInterval in the page that records how late each tick fires (main-thread responsiveness). */
export async function startLagProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const lag = window.__e2e.lag;
    clearInterval(lag.timer);
    lag.samples = [];
    lag.startedAt = performance.now();
    let last = lag.startedAt;
    lag.timer = window.setInterval(() => {
      const now = performance.now();
      lag.samples.push(Math.max(0, now - last - 10));
      last = now;
    }, 10);
  });
}

export async function stopLagProbe(page: Page): Promise<LagStats> {
  const { samples, spanMs } = await page.evaluate(() => {
    const lag = window.__e2e.lag;
    clearInterval(lag.timer);
    return { samples: lag.samples, spanMs: performance.now() - lag.startedAt };
  });
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Infinity;
  return { samples: sorted.length, spanMs, medianMs: at(0.5), p95Ms: at(0.95), maxMs: sorted.at(-1) ?? Infinity };
}

export function formatLag(s: LagStats): string {
  return `${s.samples} ticks over ${Math.round(s.spanMs)} ms: median ${s.medianMs.toFixed(1)} ms, p95 ${s.p95Ms.toFixed(1)} ms, max ${s.maxMs.toFixed(1)} ms late`;
}

/**
 * The page's main thread kept up: the median 10 ms tick is under 100 ms late.
 * `maxFreezeMs` also bounds the single longest stall (the latest tick), which a
 * median hides: a thread frozen for seconds between bursts of on-time ticks.
 */
export function assertResponsive(s: LagStats, maxFreezeMs?: number): void {
  assert.ok(s.samples > 0, `no timer ticks at all: ${formatLag(s)}`);
  assert.ok(s.medianMs < 100, `main thread unresponsive: ${formatLag(s)}`);
  if (maxFreezeMs !== undefined) {
    assert.ok(s.maxMs < maxFreezeMs, `the main thread froze for ${s.maxMs.toFixed(0)} ms (limit ${maxFreezeMs} ms): ${formatLag(s)}`);
  }
}

/** A prebuilt example module shipped with the app. */
export function exampleModule(name: string): Buffer {
  return readFileSync(new URL(`../../public/examples/${name}`, import.meta.url));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
