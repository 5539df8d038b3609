import { describe, expect, it } from "vitest";
import { pythonErrorMarks } from "../../web/python-errors.ts";

const script = "/workspace/main.py";

describe("pythonErrorMarks", () => {
  it("marks the innermost frame of the user's script with the exception", () => {
    const stderr = [
      "Traceback (most recent call last):",
      `  File "${script}", line 6, in <module>`,
      `  File "${script}", line 3, in average`,
      '  File "/usr/lib/python3.12/statistics.py", line 9, in mean',
      "ZeroDivisionError: division by zero",
      "",
    ].join("\n");
    expect(pythonErrorMarks(stderr, script)).toEqual([{ line: 3, message: "ZeroDivisionError: division by zero" }]);
  });

  it("marks a syntax error", () => {
    const stderr = `  File "${script}", line 2\n    print(\n         ^\nSyntaxError: '(' was never closed\n`;
    expect(pythonErrorMarks(stderr, script)).toEqual([{ line: 2, message: "SyntaxError: '(' was never closed" }]);
  });

  it("names a WASI errno, whose numbers are not Linux's", () => {
    const stderr = `Traceback (most recent call last):\n  File "${script}", line 1, in <module>\nPermissionError: [Errno 2] Permission denied: '/etc/passwd'\n`;
    expect(pythonErrorMarks(stderr, script)).toEqual([
      { line: 1, message: "PermissionError: [Errno 2] Permission denied: '/etc/passwd' — WASI errno 2 is EACCES; Linux numbers differ" },
    ]);
  });

  it("marks nothing when the output names no line of the script", () => {
    expect(pythonErrorMarks("warning: something\n", script)).toEqual([]);
  });
});
