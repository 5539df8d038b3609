import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { run, selectExample, startRun, TEST_TIMEOUT_MS, useApp, waitReady, type RunOutcome } from "./helpers.ts";

const PROMPT_TIMEOUT_MS = 10_000;

/** Chooses the Shell language and waits for the terminal's first prompt. */
async function openShell(page: Page): Promise<void> {
  await page.getByTestId("language").selectOption("shell");
  await waitForPrompt(page, "/workspace");
}

/** The terminal's visible rows, as text, without trailing blank rows. */
async function screen(page: Page): Promise<string[]> {
  const rows = await page.getByTestId("terminal").locator(".xterm-rows > div").allTextContents();
  const lines = rows.map((row) => row.replace(/\u00a0/g, " ").trimEnd());
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  return lines;
}

/** Waits until the screen satisfies `check` (xterm draws on the next animation frame). */
async function waitForScreen(page: Page, check: (rows: string[]) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + PROMPT_TIMEOUT_MS;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await screen(page);
    if (check(rows)) return;
    await page.waitForTimeout(50);
  }
  assert.fail(`${what}; the terminal shows:\n${rows.join("\n")}`);
}

function waitForLastRow(page: Page, expected: string): Promise<void> {
  return waitForScreen(page, (rows) => rows.at(-1) === expected, `the last row is not "${expected}"`);
}

/** Waits until the last row is an empty prompt in `cwd`. */
function waitForPrompt(page: Page, cwd: string): Promise<void> {
  return waitForLastRow(page, `${cwd} $`);
}

/** Types a command line into the terminal and presses Enter. */
async function typeLine(page: Page, line: string): Promise<void> {
  await page.getByTestId("terminal").click();
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}

/** Runs one line to its end: what the status line, the panes and the terminal show. */
async function runLine(page: Page, line: string, cwdAfter = "/workspace"): Promise<RunOutcome & { screen: string[] }> {
  const outcome = await (await startRun(page, (p) => typeLine(p, line))).finished();
  await waitForPrompt(page, cwdAfter);
  return { ...outcome, screen: await screen(page) };
}

/** The rows printed between the prompt line of `line` (which may wrap over rows) and the prompt after it. */
function outputOf(rows: string[], line: string): string[] {
  for (let end = rows.length - 2; end >= 0; end--) {
    for (let start = end; start >= 0 && end - start < 4; start--) {
      if (rows.slice(start, end + 1).join("").endsWith(`$ ${line}`)) return rows.slice(end + 1, -1);
    }
  }
  assert.fail(`the line "${line}" is not on the screen:\n${rows.join("\n")}`);
}

describe("the shell's terminal", () => {
  const app = useApp();

  it("runs a busybox pipeline typed at the prompt, its status on the status line", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await openShell(page);
    const result = await runLine(page, "echo hi | wc -c");
    assert.deepEqual(outputOf(result.screen, "echo hi | wc -c"), ["3"]);
    assert.equal(result.stdout, "3\n");
    assert.equal(result.reason, "exited");
    assert.equal(result.exitCode, 0);

    const failing = await runLine(page, "ls /no-such-folder");
    assert.equal(failing.reason, "exited");
    assert.notEqual(failing.exitCode, 0, "ls of a missing folder fails");
    assert.match(outputOf(failing.screen, "ls /no-such-folder").join("\n"), /no-such-folder/);
    // stderr is drawn in red (xterm's DOM renderer: a foreground colour class on the span).
    const red = await page.getByTestId("terminal").locator(".xterm-rows span.xterm-fg-1").allTextContents();
    assert.match(red.join(""), /no-such-folder/, "the error should be red");
  });

  it("keeps the folder and variables from line to line, and pipes Python into busybox", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await openShell(page);
    await runLine(page, "mkdir -p sub && cd sub", "/workspace/sub");
    const pwd = await runLine(page, "pwd", "/workspace/sub");
    assert.deepEqual(outputOf(pwd.screen, "pwd"), ["/workspace/sub"]);
    await runLine(page, "export GREETING=hello; echo made > here.txt", "/workspace/sub");
    const cat = await runLine(page, 'cat /workspace/sub/here.txt; echo "$GREETING"', "/workspace/sub");
    assert.equal(cat.stdout, "made\nhello\n");
    // The lines work on the page's workspace: what they made is in the file tree.
    await page.locator('[data-testid="file-tree-item"][data-path="sub"]').waitFor();

    const python = await runLine(page, `python3 -c "print(1)" | wc -l`, "/workspace/sub");
    assert.deepEqual(outputOf(python.screen, `python3 -c "print(1)" | wc -l`), ["1"]);
    assert.equal(python.exitCode, 0);
  });

  it("stops a runaway loop with Ctrl+C and gives the prompt back", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await openShell(page);
    const started = await startRun(page, (p) => typeLine(p, "while true; do :; done"));
    await page.waitForTimeout(300);
    await page.keyboard.press("Control+C");
    const stopped = await started.finished();
    assert.equal(stopped.reason, "stopped");
    assert.equal(stopped.exitCode, 130);
    assert.ok(stopped.observedMs < 5_000, `Ctrl+C took ${stopped.observedMs} ms to stop the loop`);
    await waitForPrompt(page, "/workspace");
    // The shell still works afterwards.
    const after = await runLine(page, "echo after");
    assert.deepEqual(outputOf(after.screen, "echo after"), ["after"]);
  });

  it("edits the line: history with Up and Down, Ctrl+C drops a typed line, Ctrl+L clears", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await openShell(page);
    await runLine(page, "echo first");
    await runLine(page, "echo second");
    const terminal = page.getByTestId("terminal");
    await terminal.click();
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowDown");
    await waitForLastRow(page, "/workspace $ echo second");
    await page.keyboard.press("ArrowUp");
    await waitForLastRow(page, "/workspace $ echo first");
    const again = await (await startRun(page, (p) => p.keyboard.press("Enter"))).finished();
    assert.equal(again.stdout, "first\n");
    await waitForPrompt(page, "/workspace");

    await page.keyboard.type("echo never");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("Control+C");
    await waitForPrompt(page, "/workspace");
    assert.equal((await screen(page)).at(-2), "/workspace $ echo never^C");
    await page.keyboard.press("Control+L");
    await waitForScreen(page, (rows) => rows.length === 1 && rows[0] === "/workspace $", "Ctrl+L should leave only the prompt");
  });

  it("runs a .sh example with Run: its output in the panes and in the terminal", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await selectExample(page, "python-grep-sh");
    await waitForPrompt(page, "/workspace");
    const result = await run(page);
    assert.equal(result.reason, "exited");
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, "5 even lines in evens.txt:\nline 2 even\nline 4 even\nline 6 even\nno odd lines (grep exited 1)\n");
    await waitForPrompt(page, "/workspace");
    const rows = await screen(page);
    assert.ok(rows.includes("line 6 even"), `the terminal should show the script's output:\n${rows.join("\n")}`);
    // The script's file is in the sandbox the terminal works in.
    const cat = await runLine(page, "cat evens.txt | wc -l");
    assert.deepEqual(outputOf(cat.screen, "cat evens.txt | wc -l"), ["5"]);
    await waitReady(page);
  });
});
