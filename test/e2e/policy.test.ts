import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { run, setEditorText, startRun, TEST_TIMEOUT_MS, useApp, waitReady } from "./helpers.ts";

async function useGatedEngine(page: Page): Promise<void> {
  await page.getByTestId("engine").selectOption("gated");
  await waitReady(page);
}

async function setPolicy(page: Page, policy: object): Promise<void> {
  await page.getByTestId("tab-policy").click();
  await page.getByTestId("policy-json").fill(JSON.stringify(policy, null, 2));
}

const WRITE_ASKED = [
  "try:",
  "    open('/workspace/asked.txt', 'w').write('x')",
  "    print('wrote')",
  "except PermissionError:",
  "    print('denied')",
].join("\n");

const ASK_POLICY = {
  version: 1,
  files: [
    { path: "/workspace", access: "read" },
    { path: "/workspace/main.py", access: "read" },
    { path: "/workspace/asked.txt", access: "write", decision: "ask" },
  ],
};

describe("capabilities on the page", () => {
  const app = useApp();

  it("the gated engine denies what the policy does not grant, and the audit log shows the rule", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await useGatedEngine(page);
    await setEditorText(page, "print(open('/etc/passwd').read())\n");
    const result = await run(page);
    assert.match(result.stderr, /PermissionError: \[Errno 2\] Permission denied: '\/etc\/passwd'/);
    await page.getByTestId("tab-audit").click();
    const log = page.getByTestId("audit-log");
    const denial = log.locator('li[data-decision="deny"]', { hasText: "/etc/passwd" });
    await denial.waitFor();
    assert.match((await denial.textContent()) ?? "", /default \(not granted\) · path_open/);
    // Filters narrow the timeline to what was asked for.
    await page.getByTestId("audit-decision").selectOption("allow");
    assert.equal(await log.locator('li[data-decision="deny"]').count(), 0);
    assert.ok((await log.locator('li[data-decision="allow"]').count()) > 0);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audit-export").click()]);
    const lines = (await readFile((await download.path())!, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { resource: string; decision: string });
    assert.ok(lines.some((e) => e.resource === "/etc/passwd" && e.decision === "deny"));
  });

  it("an ask rule pauses the guest until the prompt is answered: once, then deny, then always", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await useGatedEngine(page);
    await setPolicy(page, ASK_POLICY);
    await setEditorText(page, WRITE_ASKED);

    for (const [button, expected] of [["ask-once", "wrote\n"], ["ask-deny", "denied\n"]] as const) {
      const started = await startRun(page);
      const prompt = page.getByTestId("ask-prompt");
      await prompt.waitFor();
      assert.equal(await page.getByTestId("ask-resource").textContent(), "write /workspace/asked.txt");
      await page.getByTestId(button).click();
      assert.equal((await started.finished()).stdout, expected);
    }

    const started = await startRun(page);
    await page.getByTestId("ask-always").click();
    assert.equal((await started.finished()).stdout, "wrote\n");
    // "Allow always" added a rule, so the next run is not asked.
    const policy = JSON.parse(await page.getByTestId("policy-json").inputValue()) as { files: { path: string; access: string; decision?: string }[] };
    assert.ok(policy.files.some((r) => r.path === "/workspace/asked.txt" && r.access === "write" && r.decision === undefined));
    assert.equal((await run(page)).stdout, "wrote\n");
  });

  it("an invalid policy lists each bad field and blocks the run", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await setPolicy(page, { version: 1, fils: [], limits: { memoryMiB: 0 } });
    const issues = page.getByTestId("policy-issues");
    await issues.waitFor();
    const text = (await issues.textContent()) ?? "";
    assert.match(text, /fils/);
    assert.match(text, /limits\.memoryMiB/);
    await page.getByTestId("run").click();
    assert.match((await page.getByTestId("notice").textContent()) ?? "", /policy has errors/);
    assert.equal(await page.getByTestId("exit-status").getAttribute("data-reason"), null);
  });

  it("the Wasmer engine refuses a policy it cannot enforce, and the matrix says why", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await page.getByTestId("tab-policy").click();
    await page.getByTestId("policy-preset").selectOption("locked");
    const result = await run(page);
    assert.equal(result.reason, "error");
    assert.match(result.stderr, /wasmer engine cannot enforce this policy: file rules other than read-write \/workspace/);
    await page.getByTestId("tab-engines").click();
    const matrix = page.getByTestId("capability-matrix");
    const files = matrix.locator("tr").filter({ has: page.locator("th", { hasText: /^Files$/ }) });
    assert.match((await files.textContent()) ?? "", /partly/);
  });

  it("host tools: a user tool and kv called from Python, one of them asked for; the trace lists the calls", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await useGatedEngine(page);
    await page.getByTestId("examples").selectOption("tools-py");
    await page.getByTestId("tab-policy").click();
    const policy = JSON.parse(await page.getByTestId("policy-json").inputValue()) as Record<string, unknown>;
    await setPolicy(page, { ...policy, tools: [{ name: "kv" }, { name: "lookup_weather", decision: "ask" }] });
    await page.getByTestId("trace-toggle").check();
    const started = await startRun(page);
    await page.getByTestId("ask-prompt").waitFor();
    assert.equal(await page.getByTestId("ask-resource").textContent(), "tool lookup_weather");
    await page.getByTestId("ask-once").click();
    const result = await started.finished();
    assert.equal(
      result.stdout,
      "tools offered: ['http', 'kv', 'secrets', 'lookup_weather']\nkv → hello\nlookup_weather → {'city': 'Lisbon', 'forecast': 'sunny', 'celsius': 21}\n",
    );
    await page.getByTestId("tab-trace").click();
    const trace = page.getByTestId("trace-log");
    await trace.locator("li", { hasText: "path_open" }).first().waitFor();
    // Paths are shown as the guest passed them: relative to the preopened "/".
    assert.ok((await trace.locator("li", { hasText: "host/lookup_weather" }).count()) > 0);
  });

  it("without a grant every tool call is refused, and the Wasmer engine refuses tracing", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await useGatedEngine(page);
    await page.getByTestId("examples").selectOption("tools-py");
    const refused = await run(page);
    assert.match(refused.stdout, /kv refused: playpen: denied tool kv by default \(not granted\); allow it with --allow-tool=kv /);
    await page.getByTestId("engine").selectOption("wasmer");
    await waitReady(page);
    await page.getByTestId("trace-toggle").check();
    await setEditorText(page, "print(1)\n");
    const traced = await run(page);
    assert.equal(traced.reason, "error");
    assert.match(traced.stderr, /syscall trace needs the gated engine/);
  });

  it("a guest that needs more memory than the limit fails inside, and the status says so", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await useGatedEngine(page);
    await setPolicy(page, { version: 1, files: [{ path: "/workspace/**", access: "write" }], limits: { memoryMiB: 64 } });
    await setEditorText(page, "chunks = []\nwhile True:\n    chunks.append(bytearray(8 * 1024 * 1024))\n");
    const result = await run(page);
    assert.match(result.stderr, /MemoryError/);
    assert.match(result.status, /memory limit reached/);
  });
});
