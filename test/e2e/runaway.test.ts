import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it, type TestContext } from "node:test";
import type { Page } from "playwright-core";
import {
  assertResponsive,
  formatLag,
  run,
  type LagStats,
  type RunOutcome,
  selectExample,
  setEditorText,
  sleep,
  startLagProbe,
  startRun,
  stopLagProbe,
  TEST_TIMEOUT_MS,
  useApp,
} from "./helpers.ts";

/** The output cap per stream (DEFAULT_OUTPUT_BYTES). */
const CAP = 1024 * 1024;
/**
 * Stop must end a run within 200 ms of the click. The client's own budget is
 * 150 ms (STOP_GRACE_MS) before it replaces the worker; the 50 ms of tolerance
 * covers React committing the result and the observer noticing it, all in page time.
 */
const STOP_BUDGET_MS = 200;
const STOP_TOLERANCE_MS = 50;

/** CPU time (ms) the browser's processes (those started with `profile`) use over `ms`; Linux /proc only. */
async function browserCpuOver(profile: string, ms: number): Promise<number> {
  const pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name) && cmdline(name).includes(profile));
  const ticks = () => pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
  const before = ticks();
  await sleep(ms);
  return (ticks() - before) * 10;
}

function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}

function cpuTicks(pid: string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Runs a normal program and checks it works: the sandbox recovered. */
async function assertNormalRun(page: Page): Promise<void> {
  await setEditorText(page, "print(sum(range(10)))\n");
  const result = await run(page);
  assert.equal(result.stdout, "45\n");
  assert.equal(result.stderr, "");
  assert.equal(result.reason, "exited");
  assert.equal(result.exitCode, 0);
}

/** Checks a flood's visible outcome: truncated marker, stdout capped and holding the first bytes. */
function assertCapped(t: TestContext, result: { stdout: string; truncated: boolean; status: string }, firstLine: string): void {
  t.diagnostic(`stdout kept ${result.stdout.length} characters; status "${result.status}"`);
  assert.ok(result.truncated, `the truncated marker should show: "${result.status}"`);
  assert.match(result.status, /output truncated/);
  assert.ok(result.stdout.length <= CAP + 4096, `stdout holds ${result.stdout.length} characters, over the 1 MiB cap`);
  assert.ok(result.stdout.length >= CAP - 4096, `stdout holds only ${result.stdout.length} characters, less than the cap`);
  assert.ok(result.stdout.startsWith(firstLine), "the kept output is the beginning of the stream");
}

describe("runaway and flooding guests", () => {
  const app = useApp();

  it("a busy loop leaves the page responsive, Stop ends it within 200 ms, and the next run works", { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const page = await app.open();
    await setEditorText(page, "while True: pass\n");
    const running = await startRun(page);

    await startLagProbe(page);
    await sleep(2_000);
    const lag = await stopLagProbe(page);
    t.diagnostic(`main thread during the busy loop: ${formatLag(lag)}`);
    // The guest runs in workers: nothing should stall the page for long.
    assertResponsive(lag, 500);
    assert.equal(await page.getByTestId("exit-status").textContent(), "running…", "the loop is still running");

    const wallStart = Date.now();
    await page.getByTestId("stop").click();
    const stopped = await running.finished();
    const wallMs = Date.now() - wallStart;
    const clicks = await page.evaluate(() => window.__e2e.stopClicks);
    assert.equal(clicks.length, 1);
    const latency = stopped.record.endedAt! - clicks[0]!;
    t.diagnostic(`Stop: result shown ${latency.toFixed(1)} ms (page time) after the click; ${wallMs} ms wall time including Playwright round trips`);
    assert.equal(stopped.reason, "stopped");
    assert.equal(stopped.exitCode, 130);
    assert.match(stopped.status, /^exit 130 · stopped/);
    assert.ok(latency <= STOP_BUDGET_MS + STOP_TOLERANCE_MS, `Stop took ${latency.toFixed(1)} ms`);

    // The keyboard round trip: Ctrl+Enter in the editor starts it, Ctrl+. (focus still in the editor) stops it.
    const second = await startRun(page, "keyboard");
    await sleep(300);
    await page.keyboard.press("Control+.");
    const stoppedByKey = await second.finished();
    assert.equal(stoppedByKey.reason, "stopped");
    assert.equal(stoppedByKey.exitCode, 130);

    await assertNormalRun(page);
  });

  it("the time limit ends a runaway between 1 and 3 s, and the next run works", { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const page = await app.open();
    await page.getByTestId("timeout").fill("1");
    await setEditorText(page, "while True: pass\n");
    const result = await run(page);
    t.diagnostic(
      `time limit 1 s: result shown ${result.observedMs.toFixed(0)} ms after "running…" (page time); run's own duration ${result.durationMs} ms`,
    );
    assert.equal(result.reason, "timeout");
    assert.equal(result.exitCode, 124);
    assert.match(result.status, /^exit 124 · time limit reached/);
    assert.ok(result.observedMs >= 1_000, `ended after ${result.observedMs} ms, before the 1 s limit`);
    assert.ok(result.observedMs <= 3_000, `ended after ${result.observedMs} ms, long after the 1 s limit`);
    assert.ok(result.durationMs >= 1_000 && result.durationMs <= 3_000, `reported duration ${result.durationMs} ms`);

    await page.getByTestId("timeout").fill("10");
    await assertNormalRun(page);
  });

  it("a timed-out busy loop leaves no CPU burning in the browser, and the next run works", { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const page = await app.open();
    await page.getByTestId("timeout").fill("1");
    await setEditorText(page, "while True: pass\n");
    const result = await run(page);
    assert.equal(result.reason, "timeout");
    // The replacement worker starts (and compiles the SDK) in the meantime; the guest, if alive, would burn a whole core.
    await sleep(5_000);
    const burnt = await browserCpuOver(app.profile, 1_000);
    t.diagnostic(`the browser's processes used ${burnt} ms of CPU in one second, 5 s after the time limit`);
    assert.ok(burnt < 500, `the browser used ${burnt} ms of CPU in one second after the run ended: a guest is still running`);
    // The fresh worker loads Python again: room for a loaded machine.
    await page.getByTestId("timeout").fill("60");
    await assertNormalRun(page);
  });

  it("a 20+ MB flood is capped at 1 MiB per stream while the page stays responsive", { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const page = await app.open();
    // Floods for ~2 s in 64 KiB writes (at least 20 MiB), then reports how much it wrote.
    await setEditorText(
      page,
      [
        "import sys, time",
        "block = ''.join(f'{i:07d} flood flood flood flood flood flood flood flood flood\\n' for i in range(1024))",
        "written = 0",
        "start = time.monotonic()",
        "while written < 20 * 1024 * 1024 or (time.monotonic() - start < 2 and written < 512 * 1024 * 1024):",
        "    sys.stdout.write(block)",
        "    written += len(block)",
        "sys.stdout.flush()",
        "print(f'wrote {written} bytes', file=sys.stderr)",
        "",
      ].join("\n"),
    );
    await startLagProbe(page);
    const result = await run(page);
    const lag = await stopLagProbe(page);
    t.diagnostic(`main thread during the flood run: ${formatLag(lag)}`);
    assert.equal(result.reason, "exited");
    assert.equal(result.exitCode, 0);
    const written = Number(/^wrote (\d+) bytes\n$/.exec(result.stderr)?.[1]);
    t.diagnostic(`the guest wrote ${(written / 1024 / 1024).toFixed(1)} MiB in ${result.durationMs} ms`);
    assert.ok(written >= 20 * 1024 * 1024, `stderr: ${result.stderr}`);
    assertCapped(t, result, "0000000 flood");
    // The capped 1 MiB arrives in a chunk or two; laying it out once may take a few hundred ms, not seconds.
    assertResponsive(lag, 1_000);
  });

  it(
    "the time limit field takes values typed key by key",
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      const page = await app.open();
      const field = page.getByTestId("timeout");
      for (const typed of ["0.5", "3", "2.5"]) {
        await field.click();
        await page.keyboard.press("Control+A");
        await page.keyboard.press("Backspace");
        await page.keyboard.type(typed);
        assert.equal(await field.inputValue(), typed, `typed ${typed}`);
      }
    },
  );

  /** Runs the flood-py example (2 million lines, ~200 MB) under a 3 s time limit, sampling the page's responsiveness. */
  async function runFloodExample(t: TestContext): Promise<{ page: Page; result: RunOutcome; lag: LagStats }> {
    const page = await app.open();
    await selectExample(page, "flood-py");
    await page.getByTestId("timeout").fill("3");
    await startLagProbe(page);
    const result = await run(page);
    const lag = await stopLagProbe(page);
    t.diagnostic(`main thread during the flood-py example: ${formatLag(lag)}`);
    return { page, result, lag };
  }

  it("the output-flood example is capped while the page stays responsive", { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { page, result, lag } = await runFloodExample(t);
    assert.equal(result.reason, "timeout");
    assertCapped(t, result, "0 flood flood");
    assertResponsive(lag);

    await page.getByTestId("timeout").fill("10");
    await assertNormalRun(page);
  });

  it(
    "the output-flood example never freezes the page for half a second",
    { timeout: TEST_TIMEOUT_MS },
    async (t) => {
      const { lag } = await runFloodExample(t);
      assertResponsive(lag, 500);
    },
  );
});
