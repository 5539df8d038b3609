import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { run, selectExample, useApp, waitReady } from "./helpers.ts";

/** Examples made to fail: they must still end on their own (an exit status), not at the time limit. */
const FAILS_ON_PURPOSE = /^(error-|traceback-)/;
/** Made to meet the limit or Stop (a runaway loop, a 200 MB output flood): runaway.test.ts runs them. */
const NEVER_ENDS = new Set(["runaway-py", "flood-py"]);
/** Needs host tools, which only the gated engine has. */
const GATED_ONLY = new Set(["tools-py"]);

/**
 * Every example in the menu, run as a new user would from a cold profile
 * (runtimes not cached yet) under the default time limit: it finishes in time.
 * One page for all of them, in menu order (a language's runtime loads once);
 * runtime downloads and C's compile are outside the limit by design.
 */
describe("the shipped examples", () => {
  const app = useApp();

  it("each runs to its end within the default time limit, from a cold profile", { timeout: 900_000 }, async () => {
    const page = await app.open();
    const ids = await page.locator('[data-testid="examples"] option:not([disabled])').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    assert.ok(ids.length >= 20, `the menu lists the examples: ${ids.join(", ")}`);
    const limitS = Number(await page.getByTestId("timeout").inputValue());
    const report: string[] = [];
    for (const engine of ["wasmer", "gated"] as const) {
      if (engine === "gated") {
        await page.getByTestId("engine").selectOption("gated");
        await waitReady(page);
      }
      for (const id of ids.filter((id) => !NEVER_ENDS.has(id) && GATED_ONLY.has(id) === (engine === "gated"))) {
        await selectExample(page, id);
        const started = Date.now();
        const outcome = await run(page);
        report.push(`${id}: ${outcome.reason} ${outcome.exitCode} in ${Math.round(outcome.durationMs)} ms (${Date.now() - started} ms with loading)`);
        assert.equal(outcome.reason, "exited", `${id} ended by "${outcome.reason}" (limit ${limitS} s):\n${outcome.stderr.slice(0, 2000)}`);
        if (FAILS_ON_PURPOSE.test(id)) assert.notEqual(outcome.exitCode, 0, `${id} fails on purpose`);
        else assert.equal(outcome.exitCode, 0, `${id} exits 0:\n${outcome.stderr.slice(0, 2000)}`);
      }
    }
    console.log(report.join("\n"));
  });
});
