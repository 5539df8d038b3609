import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { run, selectExample, TEST_TIMEOUT_MS, useApp } from "./helpers.ts";

/** Each interpreted language picked in the language menu, its example run in the page (issue 4). */
const LANGUAGES = [
  {
    language: "javascript",
    example: "hello-js",
    stdout: /^Hello, Ada! Arguments: \["--fast","input\.txt"\]\nHOME is .+\n1 line\(s\) in notes\.txt\n$/,
  },
  {
    language: "sql",
    example: "hello-sql",
    stdout: /│ Hello from SQLite 3\.40\.1 │[\s\S]*│ 0 1 1 2 3 5 8 13 21 34 │/,
  },
  {
    language: "lua",
    example: "hello-lua",
    stdout: /^Hello, Ada! Arguments: one two\n[\s\S]*false\terrors can be caught\nsquares:\t1\t4\t9\t16\t25\n$/,
  },
  { language: "python", example: "hello-py", stdout: /^Hello from Python 3\.12\.\d+ on wasi\n/ },
] as const;

describe("every language in the page", () => {
  const app = useApp();

  for (const { language, example, stdout } of LANGUAGES) {
    it(`${language}: picked in the language menu, its example runs`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await app.open();
      await page.getByTestId("language").selectOption(language);
      await selectExample(page, example);
      assert.equal(await page.getByTestId("language").inputValue(), language);
      const result = await run(page);
      assert.equal(result.reason, "exited", result.stderr);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, stdout);
    });
  }

  it("a JavaScript error shows the line it happened on", { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await app.open();
    await page.getByTestId("language").selectOption("javascript");
    await selectExample(page, "error-js");
    const result = await run(page);
    assert.equal(result.exitCode, 1);
    // `JSON.parse(text).items.length` on line 3 fails for "{}".
    assert.match(result.stdout, /^3\n$/);
    assert.match(result.stderr, /TypeError: cannot read property 'length' of undefined\n\s+at parse \(\/workspace\/main\.js:3\)/);
  });
});
