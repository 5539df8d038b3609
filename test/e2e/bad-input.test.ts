import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { exampleModule, run, TEST_TIMEOUT_MS, useApp, type RunOutcome } from "./helpers.ts";

/**
 * Uploads `bytes` as `name`: straight into the hidden file input, or through the
 * file chooser the Upload button opens.
 */
async function upload(page: Page, name: string, bytes: Uint8Array, via: "input" | "button" = "input"): Promise<void> {
  const file = { name, mimeType: "application/wasm", buffer: Buffer.from(bytes) };
  if (via === "input") await page.getByTestId("upload-input").setInputFiles(file);
  else {
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByTestId("upload").click()]);
    await chooser.setFiles(file);
  }
  // The editor describes the uploaded module instead of showing source.
  await page.locator(".monaco-editor .view-lines", { hasText: `${name}: an uploaded WebAssembly module` }).waitFor();
  assert.equal(await page.getByTestId("language").inputValue(), "wasm");
}

/** A module that cannot run: the status says so (exit 126, "could not run") and stderr carries the reason. */
function assertRejected(result: RunOutcome, reason: RegExp): void {
  assert.equal(result.reason, "error", `status: ${result.status}`);
  assert.equal(result.exitCode, 126);
  assert.match(result.status, /^exit 126 · could not run/);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, reason);
}

const hello = exampleModule("hello.wasm");

const BAD_MODULES: { what: string; name: string; bytes: Uint8Array; error: RegExp }[] = [
  {
    what: "a text file named .wasm",
    name: "x.wasm",
    bytes: new TextEncoder().encode("this is not a WebAssembly module\n"),
    error: /^not a WebAssembly module: it starts with bytes 74 68 69 73 \(looks like text or source code: "this is not a WebAssembly module"\)$/,
  },
  {
    what: "an ELF executable",
    name: "a.out.wasm",
    bytes: Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array<number>(56).fill(0)]),
    error: /^not a WebAssembly module: it starts with bytes 7f 45 4c 46 \(looks like an ELF executable\)$/,
  },
  {
    what: "a real module cut in half",
    name: "half.wasm",
    bytes: hello.subarray(0, Math.floor(hello.length / 2)),
    error: /^truncated WebAssembly module: /,
  },
  {
    what: "a header-only module",
    name: "empty.wasm",
    bytes: Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
    error: /^this module has no `_start` export, so it is not a WASI command \(it exports no functions at all\)$/,
  },
];

describe("bad uploads", () => {
  const app = useApp();

  it("each bad module gets a specific error, and a valid upload then runs", { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const page = await app.open();
    for (const bad of BAD_MODULES) {
      await upload(page, bad.name, bad.bytes);
      const result = await run(page);
      t.diagnostic(`${bad.what}: ${result.stderr.trim()}`);
      assertRejected(result, bad.error);
    }

    await upload(page, "hello.wasm", hello, "button");
    await page.getByTestId("args").fill("after errors");
    const ok = await run(page);
    assert.equal(ok.reason, "exited");
    assert.equal(ok.exitCode, 0);
    assert.equal(ok.stdout, "Hello from WASI!\nargv[1] = after\nargv[2] = errors\n");
    assert.equal(ok.stderr, "");
  });

  it("an uploaded module is not put in a share link", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    const before = page.url();
    await upload(page, "hello.wasm", hello);
    await page.getByTestId("share").click();
    assert.match(await page.getByTestId("notice").textContent() ?? "", /uploaded module cannot be shared/);
    assert.equal(page.url(), before);
  });
});
