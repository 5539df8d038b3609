// Regenerates the README's screenshots from the production build: `npm run build && npx tsx scripts/screenshot.ts`.
import { launchBrowser, startPreview } from "../test/support/browser.ts";

const READY = '.app[data-ready="true"]';


const preview = await startPreview();
const browser = await launchBrowser();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });

  // The gated engine, a traceback marked in the editor, and the audit log of the run.
  await page.goto(preview.url);
  await page.waitForSelector(READY, { timeout: 60_000 });
  await page.selectOption('[data-testid="engine"]', "gated");
  await page.waitForSelector(READY, { timeout: 60_000 });
  await page.selectOption('[data-testid="examples"]', "traceback-py");
  await page.click('[data-testid="run"]');
  await page.waitForSelector('[data-testid="exit-status"][data-reason]', { timeout: 60_000 });
  await page.waitForSelector(".squiggly-error", { timeout: 10_000 }).catch(() => undefined);
  await page.click('[data-testid="tab-audit"]');
  await page.screenshot({ path: "docs/screenshot.png" });

  // The policy's rules as rows, with a precedence hint and what the engine enforces.
  await page.click('[data-testid="tab-policy"]');
  await page.fill(
    '[data-testid="policy-json"]',
    JSON.stringify({ version: 1, name: "Ask before the secret", files: [{ path: "/workspace/**", access: "write" }, { path: "/workspace/secret.txt", access: "read", decision: "ask" }], secrets: [{ name: "API_KEY" }], tools: [{ name: "secrets" }] }, null, 2),
  );
  await page.waitForSelector('[data-testid="rule-hint"]');
  await page.screenshot({ path: "docs/policy.png" });

  // The shell's terminal: a busybox pipeline over the workspace, and the review of what it changed.
  await page.selectOption('[data-testid="language"]', "shell");
  await page.waitForSelector(READY, { timeout: 60_000 });
  await page.click('[data-testid="terminal"]');
  await page.keyboard.type("seq 12 | sort -rn | head -n 3 | tee top.txt");
  await page.keyboard.press("Enter");
  await page.waitForSelector('[data-testid="review"]', { timeout: 60_000 });
  await page.screenshot({ path: "docs/shell.png" });

  // The phone layout: the panes stacked, the editor first.
  const phone = await browser.context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(preview.url);
  await phone.waitForSelector(READY, { timeout: 60_000 });
  await phone.selectOption('[data-testid="examples"]', "hello-py");
  await phone.click('[data-testid="run"]');
  await phone.waitForSelector('[data-testid="exit-status"][data-reason]', { timeout: 60_000 });
  await phone.screenshot({ path: "docs/phone.png" });

  // The Compare page, charted from the committed reference result (a new page: the view is chosen at load).
  const compare = await browser.context.newPage();
  await compare.setViewportSize({ width: 1440, height: 900 });
  await compare.goto(`${preview.url}#compare`);
  await compare.waitForSelector('[data-testid="chart-startup"]', { timeout: 60_000 });
  await compare.screenshot({ path: "docs/compare.png", fullPage: true });
  console.log("wrote docs/screenshot.png, docs/policy.png, docs/shell.png, docs/phone.png and docs/compare.png (1440×900; the phone 390×844)");
} finally {
  await browser.close();
  await preview.close();
}
