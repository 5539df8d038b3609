import { startPreview, launchBrowser } from "../support/browser.ts";
const server = await startPreview();
const browser = await launchBrowser();
const reqs: string[] = [];
browser.context.on("request", (r) => reqs.push(r.url().slice(0, 120)));
const page = await browser.context.newPage();
page.on("console", (m) => console.log("console:", m.type(), m.text()));
const t0 = Date.now();
await page.goto(server.url);
await page.waitForSelector('.app[data-ready="true"]', { timeout: 60000 });
console.log("ready after", Date.now() - t0);
console.log(page.workers().map((w) => w.url()));
for (const id of ["flood-py", "hello"]) {
  await page.getByTestId("examples").selectOption(id);
  const t1 = Date.now();
  await page.getByTestId("run").click();
  await page.waitForSelector('[data-testid="exit-status"][data-reason]', { timeout: 60000 });
  console.log(id, Date.now() - t1, await page.getByTestId("exit-status").textContent(), (await page.getByTestId("stdout").textContent())!.length, (await page.getByTestId("stdout").textContent())!.slice(-200));
}
console.log(reqs.join("\n"));
await browser.close();
await server.close();
