import type { BrowserContext, Page } from "playwright-core";
import { codeCacheBytes, codeCacheReaches, launchBrowser } from "../../test/support/browser.ts";
import type { EngineName } from "../../wasm-runtime/index.ts";

/** Time limit set in the page for the long runs, and how long the script waits for one. */
export const LONG_RUN_LIMIT_S = 120;
export const LONG_RUN_WAIT_MS = (LONG_RUN_LIMIT_S + 30) * 1000;
export const QUICK_RUN_WAIT_MS = 30_000;

/** One run started from the page's Run button. */
export interface PageRun {
  /** From the click to the exit status being rendered with the page idle again (measured in the page). */
  roundTripMs: number;
  /** data-duration-ms: the run as the sandbox worker measured it, spawn to exit. */
  durationMs: number;
  reason: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Set when the output reached the page after the exit status: how long after (see runOnce). */
  lateOutputMs?: number;
}

/** Timings of one cold page load, in ms from navigation start (performance.timeOrigin). */
export interface ColdLoad {
  /** `.app[data-ready="true"]` with a visible `.monaco-editor`: the page can run code. */
  readyMs: number;
  /** The Monaco editor first in the DOM with a size. */
  editorMs: number;
  domContentLoadedMs: number;
  loadEventMs: number;
  /** When the Python runtime's download (in the sandbox worker) finished, if the browser reported it. */
  runtimeFetchedMs: number | null;
}

interface ReadyMarks {
  editorAt: number | null;
  readyAt: number | null;
}

declare global {
  interface Window {
    __playpenBench?: ReadyMarks;
  }
}

const READY = '.app[data-ready="true"]';

export async function waitIdle(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForSelector(READY, { timeout: timeoutMs });
}

/** Opens the page and waits until it can run code. */
export async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await waitIdle(page);
  await page.waitForSelector(".monaco-editor", { timeout: 30_000 });
  return page;
}

export async function chooseExample(page: Page, id: string): Promise<void> {
  await waitIdle(page);
  await page.getByTestId("examples").selectOption(id);
  // Over edited code the page asks before opening an example.
  const confirm = page.getByTestId("example-confirm-open");
  if (await confirm.isVisible()) await confirm.click();
}

/**
 * Switches the page's engine (select `engine`: wasmer or gated), which gives a
 * fresh sandbox on it, and waits until the page is idle again. When the page
 * already uses it: nothing, or with `fresh`, a switch away and back.
 */
export async function setEngine(page: Page, engine: EngineName, options: { fresh?: boolean } = {}): Promise<void> {
  await waitIdle(page);
  const select = page.getByTestId("engine");
  if ((await select.inputValue()) === engine) {
    if (!options.fresh) return;
    // Away and back: switching is what gives a fresh sandbox.
    await select.selectOption(engine === "gated" ? "wasmer" : "gated");
    await waitIdle(page);
  }
  await select.selectOption(engine);
  await waitIdle(page);
  const now = await select.inputValue();
  if (now !== engine) throw new Error(`the page did not switch to the ${engine} engine (it shows ${now})`);
}

/** Picks a .wasm file in the page's upload input, which makes it the program (language wasm). */
export async function uploadModule(page: Page, file: string): Promise<void> {
  await waitIdle(page);
  await page.getByTestId("upload-input").setInputFiles(file);
  // The page reads the file asynchronously; it is the program once the editor describes it.
  const name = file.split("/").pop()!;
  await page.waitForFunction(
    (expected) =>
      document.querySelector<HTMLSelectElement>('[data-testid="language"]')?.value === "wasm" &&
      (document.querySelector('[data-testid="editor"] .view-lines')?.textContent ?? "").replace(/\u00a0/g, " ").includes(expected),
    `${name}: an uploaded WebAssembly module`,
    { timeout: 10_000, polling: 50 },
  );
  await waitIdle(page);
}

export async function setArgs(page: Page, args: string): Promise<void> {
  await page.getByTestId("args").fill(args);
}

export async function setStdin(page: Page, stdin: string): Promise<void> {
  const field = page.getByTestId("stdin");
  // For a shell script the editor's streams fold away under the terminal: open them first.
  if (!(await field.isVisible())) await page.locator("details.streams > summary").click();
  await field.fill(stdin);
}

export async function setTimeLimit(page: Page, seconds: number): Promise<void> {
  await page.getByTestId("timeout").fill(String(seconds));
}

/**
 * Replaces the program in Monaco: click, select all, then the text as one
 * input event (per-key typing lets autocomplete and bracket closing rewrite
 * it). Checked against what the editor shows, with a few tries.
 */
export async function typeProgram(page: Page, code: string): Promise<void> {
  const shown = page.locator('[data-testid="editor"] .view-lines');
  let last = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.getByTestId("editor").click();
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(code);
    await page.keyboard.press("Escape"); // closes a suggestion widget, if any
    last = ((await shown.innerText()) ?? "").replace(/\u00a0/g, " ").trim();
    if (last === code.trim()) return;
  }
  throw new Error(`could not type the program into Monaco: it shows ${JSON.stringify(last)}`);
}

/**
 * Clicks Run and waits, inside the page, for the run's exit status: a
 * MutationObserver notes the moment the status carries a new
 * data-duration-ms and the page is idle again, so the round trip is not
 * blurred by Playwright's own latency. The output is read a little later.
 *
 * The page streams output over a channel of its own (a comlink proxy), which
 * is not ordered with the run's result: on a busy machine the output can land
 * after the exit status. With `outputDone`, the panes are read again until it
 * holds for stdout (for up to LATE_OUTPUT_WAIT_MS), and `lateOutputMs` says
 * how long that took.
 */
export async function runOnce(page: Page, timeoutMs: number, outputDone?: (stdout: string) => boolean): Promise<PageRun> {
  await waitIdle(page);
  const run = await page.evaluate(
    (limitMs) =>
      new Promise<PageRun>((resolve, reject) => {
        const app = document.querySelector<HTMLElement>(".app")!;
        const button = document.querySelector<HTMLButtonElement>('[data-testid="run"]')!;
        const status = () => document.querySelector<HTMLElement>('[data-testid="exit-status"]');
        const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? "";
        const before = status()?.getAttribute("data-duration-ms") ?? null;
        let sawBusy = false;
        let started = 0;
        const check = () => {
          if (app.getAttribute("data-ready") !== "true") {
            sawBusy = true;
            return;
          }
          const element = status();
          const duration = element?.getAttribute("data-duration-ms");
          if (!element || !duration || (!sawBusy && duration === before)) return;
          const roundTripMs = performance.now() - started;
          observer.disconnect();
          clearTimeout(timer);
          const outcome = {
            roundTripMs,
            durationMs: Number(duration),
            reason: element.getAttribute("data-reason") ?? "",
            exitCode: Number(element.getAttribute("data-exit-code")),
          };
          // The output panes append what arrived on the next animation frame, which can
          // come after the status: read them two frames later.
          requestAnimationFrame(() =>
            requestAnimationFrame(() => resolve({ ...outcome, stdout: text("stdout"), stderr: text("stderr") })),
          );
        };
        const observer = new MutationObserver(check);
        observer.observe(app, { subtree: true, attributes: true, childList: true, characterData: true });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`no exit status within ${limitMs} ms of clicking Run`));
        }, limitMs);
        if (button.disabled) {
          observer.disconnect();
          clearTimeout(timer);
          reject(new Error("the Run button is disabled"));
          return;
        }
        started = performance.now();
        button.click();
      }),
    timeoutMs,
  );
  await waitIdle(page);
  if (outputDone && !outputDone(run.stdout)) {
    const start = performance.now();
    while (performance.now() - start < LATE_OUTPUT_WAIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const [stdout, stderr] = await Promise.all([page.getByTestId("stdout").textContent(), page.getByTestId("stderr").textContent()]);
      Object.assign(run, { stdout: stdout ?? "", stderr: stderr ?? "" });
      if (outputDone(run.stdout)) {
        run.lateOutputMs = performance.now() - start;
        break;
      }
    }
  }
  return run;
}

/** The hello example's whole output with its arguments `one 'two words'` is in. */
export const helloDone = (stdout: string): boolean => stdout.includes("argv[2] = two words\n");

/** A C benchmark's output is in once it has printed its total. */
export const elapsedPrinted = (stdout: string): boolean => /^elapsed_ms:/m.test(stdout);

/** How long runOnce waits for output that arrives after the exit status. */
const LATE_OUTPUT_WAIT_MS = 3_000;

/** A note for the report when some runs' output reached the page after their exit status. */
export function lateOutputNote(runs: readonly PageRun[]): string[] {
  const late = runs.map((r) => r.lateOutputMs).filter((ms): ms is number => ms !== undefined);
  if (late.length === 0) return [];
  return [
    `In ${late.length} of ${runs.length} runs the page showed the exit status before the program's output, which followed within ${Math.ceil(Math.max(...late))} ms of the script's first look (the page receives output on a channel that is not ordered with the run's result); the timings are unaffected.`,
  ];
}

/** Loads the page in a fresh Chromium (empty profile, so no HTTP or code cache) and times readiness. */
export async function coldLoad(url: string, timeoutMs = 60_000): Promise<ColdLoad> {
  const browser = await launchBrowser();
  try {
    await markReadiness(browser.context);
    return await timedLoad(browser.context.pages()[0] ?? (await browser.context.newPage()), url, timeoutMs);
  } finally {
    await browser.close();
  }
}

/** One fresh profile visited twice: the first visit compiles Python, the second finds what the browser kept. */
export interface Revisit {
  first: { load: ColdLoad; run: PageRun };
  second: { load: ColdLoad; run: PageRun };
  /** Bytes of WebAssembly machine code in the profile's code cache before the second visit. */
  codeCacheBytes: number;
}

/**
 * Visits the page in a fresh Chromium, runs `program` once, then the
 * `stdlib-py` example until the browser has kept Python's optimised code
 * (V8 stores it once about a megabyte is optimised); then visits again in a
 * new tab and runs `program` once more.
 */
export async function revisit(url: string, program: string, done: (stdout: string) => boolean, timeoutMs = 60_000): Promise<Revisit> {
  const browser = await launchBrowser();
  try {
    await markReadiness(browser.context);
    const visit = async () => {
      const page = await browser.context.newPage();
      const load = await timedLoad(page, url, timeoutMs);
      await typeProgram(page, program);
      return { page, load, run: await runOnce(page, timeoutMs, done) };
    };
    const first = await visit();
    await chooseExample(first.page, "stdlib-py");
    for (let attempt = 0, stored = false; attempt < 3 && !stored; attempt++) {
      await runOnce(first.page, timeoutMs, (stdout) => stdout === "done\n");
      stored = await codeCacheReaches(browser.profile, 1_000_000, 5_000);
    }
    await first.page.close();
    const stored = codeCacheBytes(browser.profile);
    const second = await visit();
    return { first: { load: first.load, run: first.run }, second: { load: second.load, run: second.run }, codeCacheBytes: stored };
  } finally {
    await browser.close();
  }
}

/** Notes, in every page of `context`, when the editor shows and when the page is ready to run. */
async function markReadiness(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const marks: ReadyMarks = { editorAt: null, readyAt: null };
    window.__playpenBench = marks;
    const editorShown = () => {
      const editor = document.querySelector<HTMLElement>(".monaco-editor");
      return editor !== null && editor.offsetWidth > 0 && editor.offsetHeight > 0;
    };
    const observer = new MutationObserver(() => {
      const now = performance.now();
      // Layout is only read until the editor shows, not to perturb the load.
      if (marks.editorAt === null && editorShown()) marks.editorAt = now;
      if (marks.editorAt !== null && document.querySelector('.app[data-ready="true"]')) {
        marks.readyAt = now;
        observer.disconnect();
      }
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  });
}

/** Navigates `page` to the app and times it until ready (see markReadiness). */
async function timedLoad(page: Page, url: string, timeoutMs: number): Promise<ColdLoad> {
  let runtimeFetchedEpoch: number | null = null;
  page.on("requestfinished", (request) => {
    if (!new URL(request.url()).pathname.endsWith("/runtimes/python.wasm")) return;
    const timing = request.timing();
    if (timing.responseEnd >= 0) runtimeFetchedEpoch = timing.startTime + timing.responseEnd;
  });
  await page.goto(url, { waitUntil: "commit", timeout: timeoutMs });
  await page.waitForFunction(() => window.__playpenBench?.readyAt ?? null, undefined, { timeout: timeoutMs, polling: 50 });
  const marks = await page.evaluate(() => {
    const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
    return {
      timeOrigin: performance.timeOrigin,
      editorAt: window.__playpenBench!.editorAt!,
      readyAt: window.__playpenBench!.readyAt!,
      domContentLoaded: navigation?.domContentLoadedEventEnd ?? Number.NaN,
      loadEvent: navigation?.loadEventEnd ?? Number.NaN,
    };
  });
  const fetched = runtimeFetchedEpoch as number | null;
  return {
    readyMs: marks.readyAt,
    editorMs: marks.editorAt,
    domContentLoadedMs: marks.domContentLoaded,
    loadEventMs: marks.loadEvent,
    runtimeFetchedMs: fetched === null ? null : fetched - marks.timeOrigin,
  };
}

/** The browser's full version, e.g. "Chromium 156.0.8078.108 (headless)" (the user agent only says 156.0.0.0). */
export async function browserVersion(page: Page): Promise<string> {
  const session = await page.context().newCDPSession(page);
  try {
    const { product } = await session.send("Browser.getVersion");
    const version = /Chrome\/([\d.]+)/.exec(product)?.[1];
    return version ? `Chromium ${version} (headless)` : product;
  } finally {
    await session.detach();
  }
}

/** The sandbox engine the page runs code with (its engine selector), or "default" when it has none. */
export async function pageEngine(page: Page): Promise<string> {
  const select = page.getByTestId("engine");
  return (await select.count()) > 0 ? await select.inputValue() : "default";
}
