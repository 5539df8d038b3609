import { describe, expect, it } from "vitest";
import { javascriptErrorMarks, luaErrorMarks, sqlErrorMarks } from "../../web/error-marks.ts";

// stderr as the runtimes print it (captured from `playpen run` on each).
describe("error marks for the editor", () => {
  it("marks QuickJS's innermost frame in the script, with the error's message", () => {
    const thrown = "Error: boom\n    at f (/workspace/main.js:2)\n    at <eval> (/workspace/main.js:4)\n\n";
    expect(javascriptErrorMarks(thrown, "/workspace/main.js")).toEqual([{ line: 2, message: "Error: boom" }]);
    const syntax = "SyntaxError: unexpected token in expression: ';'\n    at /workspace/main.js:1\n\n";
    expect(javascriptErrorMarks(syntax, "/workspace/main.js")).toEqual([{ line: 1, message: "SyntaxError: unexpected token in expression: ';'" }]);
    expect(javascriptErrorMarks("Error: x\n    at g (/workspace/lib.js:9)\n", "/workspace/main.js")).toEqual([]);
  });

  it("marks Lua's error line", () => {
    const stderr = "lua: /workspace/main.lua:2: attempt to perform arithmetic on a nil value\nstack traceback:\n\t/workspace/main.lua:2: in main chunk\n\t[C]: in ?\n";
    expect(luaErrorMarks(stderr, "/workspace/main.lua")).toEqual([{ line: 2, message: "attempt to perform arithmetic on a nil value" }]);
  });

  it("marks the script line the SQLite shell names", () => {
    expect(sqlErrorMarks("Parse error near line 2: no such table: nope\n")).toEqual([{ line: 2, message: "no such table: nope" }]);
    expect(sqlErrorMarks("1\n")).toEqual([]);
  });
});
