/**
 * On the page: a denial says how to allow it, "Allow this" adds exactly that
 * rule, and "Learn a policy from this run" proposes a policy as a diff that,
 * applied, lets the program run again with no denial.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { run, setEditorText, TEST_TIMEOUT_MS, useApp, waitReady } from "./helpers.ts";

async function useGatedEngine(page: Page): Promise<void> {
  await page.getByTestId("engine").selectOption("gated");
  await waitReady(page);
}

async function policyJson(page: Page): Promise<{ name?: string; files: { path: string; access: string }[] }> {
  await page.getByTestId("tab-policy").click();
  return JSON.parse(await page.getByTestId("policy-json").inputValue()) as { name?: string; files: { path: string; access: string }[] };
}

const WRITE_TWO = [
  "for name in ('a.txt', 'b.txt'):",
  "    try:",
  "        open(name, 'w').write('x')",
  "        print(name, 'ok')",
  "    except PermissionError:",
  "        print(name, 'denied')",
].join("\n");

describe("denials an agent (or a person) can act on", () => {
  const app = useApp();

  it("a denial names its fix on stderr and in the audit log, and Allow this adds exactly that rule", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await useGatedEngine(page);
    await page.getByTestId("tab-policy").click();
    const readOnly = { version: 1, files: [{ path: "/workspace", access: "read" }, { path: "/workspace/main.py", access: "read" }] };
    await page.getByTestId("policy-json").fill(JSON.stringify(readOnly, null, 2));
    await setEditorText(page, WRITE_TWO);

    const first = await run(page);
    assert.equal(first.stdout, "a.txt denied\nb.txt denied\n");
    assert.match(first.stderr, /playpen: denied write \/workspace\/a\.txt by default \(not granted\); allow it with --allow-write=\/workspace\/a\.txt/);

    await page.getByTestId("tab-audit").click();
    const denial = page.getByTestId("audit-log").locator('li[data-decision="deny"]', { hasText: "/workspace/a.txt" }).first();
    assert.equal(await denial.getByTestId("denial-fix").textContent(), "--allow-write=/workspace/a.txt");
    await denial.getByTestId("allow-this").click();

    const policy = await policyJson(page);
    assert.deepEqual(policy.files.slice(2), [{ path: "/workspace/a.txt", access: "write" }]);
    assert.equal((await run(page)).stdout, "a.txt ok\nb.txt denied\n");
  });

  it("Learn a policy from this run shows the learned policy as a diff; applied, the program runs with no denial", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await useGatedEngine(page);
    await setEditorText(page, "import os\nos.makedirs('out', exist_ok=True)\nopen('out/x.txt', 'w').write('x')\nprint(open('out/x.txt').read())\n");
    await page.getByTestId("tab-policy").click();

    const learning = await run(page, (p) => p.getByTestId("learn-policy").click());
    assert.equal(learning.stdout, "x\n");
    const diff = page.getByTestId("learned-diff");
    await diff.waitFor();
    const text = (await diff.textContent()) ?? "";
    // The diff is against the current policy (Workspace only): /workspace/** loses write, out/ gets it, limits shrink.
    assert.match(text, /- +"name": "Workspace only"/);
    assert.match(text, /\+ +"name": "Learned from main\.py"/);
    assert.match(text, /\+ +"path": "\/workspace\/out\/\*\*",\+ +"access": "write"/);
    assert.match(text, /- +"memoryMiB": 512/);
    await page.getByTestId("learned-apply").click();

    const policy = await policyJson(page);
    assert.equal(policy.name, "Learned from main.py");
    assert.ok(!policy.files.some((r) => r.path === "/workspace/**" && r.access === "write"), "the learned policy writes only where the run wrote");
    const again = await run(page);
    assert.equal(again.stdout, "x\n");
    await page.getByTestId("tab-audit").click();
    assert.ok((await page.getByTestId("audit-log").locator('li[data-decision="allow"]').count()) > 0);
    assert.equal(await page.getByTestId("audit-log").locator('li[data-decision="deny"]').count(), 0);
  });
});
