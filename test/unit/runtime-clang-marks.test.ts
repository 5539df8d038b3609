import { describe, expect, it } from "vitest";
import { cErrorMarks } from "../../web/error-marks.ts";

const source = "/workspace/main.c";

describe("cErrorMarks", () => {
  it("marks every error clang reports, not warnings or notes", () => {
    const stderr = [
      "/workspace/main.c:3:7: warning: unused variable 'y' [-Wunused-variable]",
      "/workspace/main.c:4:10: error: use of undeclared identifier 'missing'",
      "    4 |   return missing;",
      "/workspace/main.c:6:1: error: expected '}'",
      "/workspace/main.c:2:16: note: to match this '{'",
      "1 warning and 2 errors generated.",
    ].join("\n");
    expect(cErrorMarks(stderr, source)).toEqual([
      { line: 4, message: "error: use of undeclared identifier 'missing'" },
      { line: 6, message: "error: expected '}'" },
    ]);
  });

  it("marks a missing header as a fatal error", () => {
    const stderr = "/workspace/main.c:1:10: fatal error: 'nope.h' file not found\n";
    expect(cErrorMarks(stderr, source)).toEqual([{ line: 1, message: "fatal error: 'nope.h' file not found" }]);
  });
});
