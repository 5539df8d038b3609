// Regenerates docs/screenshot.png from the production build: `npm run build && npx tsx scripts/screenshot.ts`.
import { launchBrowser, startPreview } from "../test/support/browser.ts";

const preview = await startPreview();
const browser = await launchBrowser();
try {
  const page = await browser.context.newPage();
  await page.goto(preview.url);
  await page.waitForSelector('.app[data-ready="true"]', { timeout: 60_000 });
  // The gated engine, a traceback marked in the editor, and the audit log of the run.
  await page.selectOption('[data-testid="engine"]', "gated");
  await page.waitForSelector('.app[data-ready="true"]', { timeout: 60_000 });
  await page.selectOption('[data-testid="examples"]', "traceback-py");
  await page.click('[data-testid="run"]');
  await page.waitForSelector('[data-testid="exit-status"][data-reason]', { timeout: 60_000 });
  await page.waitForSelector(".squiggly-error", { timeout: 10_000 }).catch(() => undefined);
  await page.click('[data-testid="tab-audit"]');
  await page.screenshot({ path: "docs/screenshot.png" });
  console.log("wrote docs/screenshot.png");
} finally {
  await browser.close();
  await preview.close();
}
