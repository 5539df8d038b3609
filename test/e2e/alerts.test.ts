import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { run, setEditorText, TEST_TIMEOUT_MS, useApp, waitReady } from "./helpers.ts";

const SECRET = "sk-live-Qw7rT2yU9iO4pA6s";

describe("alerts on the page", () => {
  const app = useApp();

  it("a secret leaving in base64 is hidden, notified, and listed in the Alerts view; a decoy opened is too", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await page.getByTestId("engine").selectOption("gated");
    await waitReady(page);
    await page.getByTestId("tab-policy").click();
    const policy = {
      version: 1,
      files: [{ path: "/workspace/**", access: "write" }],
      secrets: [{ name: "API_KEY" }],
      decoys: { files: [{ path: "/workspace/.aws/credentials" }] },
    };
    await page.getByTestId("policy-json").fill(JSON.stringify(policy, null, 2));
    const secrets = page.getByTestId("secrets");
    await secrets.getByRole("button", { name: "+ secret" }).click();
    await secrets.getByLabel("Secret name").fill("API_KEY");
    await secrets.getByLabel("Secret value").fill(SECRET);

    await setEditorText(page, "import base64, os\nprint(base64.b64encode(os.environ['API_KEY'].encode()).decode())\nopen('/workspace/.aws/credentials').read()\nprint('done')\n");
    const result = await run(page);
    assert.equal(result.stdout, "«secret API_KEY»\ndone\n");
    assert.ok(!(await page.content()).includes(Buffer.from(SECRET).toString("base64").slice(4, 20)));

    const notification = page.getByTestId("alert-notification");
    await notification.waitFor();
    assert.match((await notification.textContent()) ?? "", /Alert \(high\): decoy file \/workspace\/\.aws\/credentials touched .* 2 this run/);

    await page.getByTestId("tab-alerts").click();
    const alerts = page.getByTestId("alerts");
    const rows = alerts.locator("li");
    assert.equal(await rows.count(), 2);
    assert.deepEqual(await rows.evaluateAll((items) => items.map((li) => `${li.getAttribute("data-severity")} ${li.getAttribute("data-kind")}`)), ["high decoy", "high secret-in-output"]);
    assert.match((await rows.nth(1).textContent()) ?? "", /secret API_KEY found in stdout \(base64\); hidden/);
    // The decoy never reaches the workspace.
    assert.equal(await page.getByTestId("file-tree").getByText(".aws").count(), 0);
  });
});
