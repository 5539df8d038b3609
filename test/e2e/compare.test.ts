/**
 * The Compare page in Chromium against the production build served by `vite
 * preview`, whose native-runner plugin (scripts/vite-plugin-native-runner.ts)
 * mounts the real local runner under /native/ and prints its token.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { parseCompareResult, type CompareResult } from "../../web/compare/result.ts";
import { formatMs } from "../../web/compare/scale.ts";
import { TEST_TIMEOUT_MS, useApp } from "./helpers.ts";

const DIST_REFERENCE = new URL("../../dist/compare/reference.json", import.meta.url);
const FIXTURE = new URL("../fixtures/compare-result.json", import.meta.url);
const LIVE_TIMEOUT_MS = 180_000;

/** The committed reference as built into dist/; until it is committed, the test fixture is served in its place. */
function referenceToServe(): { result: CompareResult; body: string; fromFixture: boolean } {
  const fromFixture = !existsSync(DIST_REFERENCE);
  const body = readFileSync(fromFixture ? FIXTURE : DIST_REFERENCE, "utf8");
  return { result: parseCompareResult(JSON.parse(body)), body, fromFixture };
}

/** The token the runner plugin printed in the preview server's banner. */
function runnerToken(output: string): string {
  // eslint-disable-next-line no-control-regex
  const match = /Native runner: .*token: ([0-9a-f]+)/.exec(output.replace(/\x1b\[[0-9;]*m/g, ""));
  assert.ok(match, `vite preview printed no native-runner token:\n${output}`);
  return match[1]!;
}

async function barValues(page: Page, chart: string): Promise<Map<string, number>> {
  const bars = await page.getByTestId(chart).locator('[data-testid="bar"]').evaluateAll((nodes) => nodes.map((n) => [n.getAttribute("data-backend")!, Number(n.getAttribute("data-value"))] as const));
  return new Map(bars);
}

describe("Compare page", () => {
  const app = useApp();
  const reference = referenceToServe();
  let token = "";

  before(async () => {
    token = runnerToken(app.server.output());
    if (reference.fromFixture) {
      console.log("# dist/compare/reference.json is missing: serving test/fixtures/compare-result.json in its place");
      await app.context.route("**/compare/reference.json", (route) => route.fulfill({ contentType: "application/json", body: reference.body }));
    }
  });

  /** The app at `hash`, once the Compare view shows. */
  async function open(hash: string): Promise<Page> {
    const page = await app.open(`${app.server.url}${hash}`);
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

    // Where and when, once at the top; the versions under each figure.
    const meta = `${(await page.getByTestId("compare-measured").textContent()) ?? ""} ${(await page.getByTestId("figure-startup").getByTestId("figure-meta").textContent()) ?? ""}`;
    assert.equal(await page.getByTestId("compare-measured").count(), 1, "one measured-on note per page");
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
    const noRunner = await open("#compare");
    // What a static host without the runner answers; a new token makes the page ask again.
    await noRunner.route("**/native/**", (route) => route.fulfill({ status: 404, body: "not found" }));
    await noRunner.getByTestId("compare-token").fill("no-runner-here");
    await noRunner.getByText("No local runner: start the playground with `npm start` to run native backends live; showing the reference result.").waitFor();
    assert.equal(await noRunner.getByTestId("compare-source").inputValue(), "reference");
  });

  it("refuses a wrong token and names the fix", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await open("#compare&token=0000");
    await page.getByTestId("compare-runner").getByText("needs its token").waitFor();
    assert.equal(await page.getByTestId("compare-backend-plain").count(), 0, "no native checklist without the runner's answer");
  });

  it("a live run (plain on the runner, both engines in the page) replaces the reference in the charts", { timeout: LIVE_TIMEOUT_MS + 30_000 }, async () => {
    const page = await open(`#compare&token=${token}`);
    assert.ok(!page.url().includes(token), `the token is removed from the URL: ${page.url()}`);
    assert.equal(await page.getByTestId("compare-token").inputValue(), token);
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

    const meta = (await page.getByTestId("compare-measured").textContent()) ?? "";
    assert.ok(meta.includes(live.host.cpu) && meta.includes("median of 1 sample "), meta);
    assert.equal(await page.getByTestId("compare").getAttribute("data-source"), "live");

    // Back to the reference with the toggle.
    await page.getByTestId("compare-source").selectOption("reference");
    assert.deepEqual([...(await barValues(page, "chart-startup")).keys()].includes("wasm-gated-chromium"), reference.result.measurements.some((m) => m.backend === "wasm-gated-chromium" && m.workload === "hello"));
  });

  it("Stop cancels a live run and leaves the charts as they were", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await open(`#compare&token=${token}`);
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
      token,
      { timeout: 60_000, polling: 500 },
    );
  });
});
