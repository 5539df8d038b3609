import { describe, expect, it } from "vitest";
import { rubyErrorMarks } from "../../web/error-marks.ts";

const script = "/workspace/main.rb";

describe("rubyErrorMarks", () => {
  it("marks the innermost frame in the script with the message", () => {
    const stderr =
      "/workspace/main.rb:3:in 'Integer#/': divided by 0 (ZeroDivisionError)\n\tfrom /workspace/main.rb:3:in 'Object#average'\n\tfrom /workspace/main.rb:7:in '<main>'\n";
    expect(rubyErrorMarks(stderr, script)).toEqual([{ line: 3, message: "divided by 0 (ZeroDivisionError)" }]);
  });

  it("marks a syntax error's line", () => {
    const stderr = "/workspace/main.rb:2: syntax errors found (SyntaxError)\n  1 | puts 1\n> 2 | puts(2\n";
    expect(rubyErrorMarks(stderr, script)).toEqual([{ line: 2, message: "syntax errors found (SyntaxError)" }]);
  });

  it("marks nothing when the error is in another file", () => {
    expect(rubyErrorMarks("/usr/local/lib/ruby/3.4.0/json.rb:9:in 'x': boom (RuntimeError)\n", script)).toEqual([]);
  });
});
