import { describe, expect, it } from "vitest";
import type { RunResult } from "../../wasm-runtime/index.ts";
import { LineEditor } from "../../web/terminal/line-editor.ts";
import { StreamedOutput } from "../../web/terminal/streamed-output.ts";

const UP = "\x1b[A";
const DOWN = "\x1b[B";
const LEFT = "\x1b[D";
const RIGHT = "\x1b[C";

describe("the terminal's line editor", () => {
  it("types, moves, erases and submits; a submitted line empties the prompt", () => {
    const editor = new LineEditor();
    expect(editor.input("echo hx")).toEqual([{ kind: "redraw" }]);
    editor.input(`\x7fi${LEFT}${LEFT}${LEFT}\x7f`);
    expect([editor.line, editor.cursor]).toEqual(["ech hi", 3]);
    editor.input(`o${RIGHT}\x1b[3~`);
    expect([editor.line, editor.cursor]).toEqual(["echo i", 5]);
    editor.input("\x1b[Hx\x1b[F!");
    expect([editor.line, editor.cursor]).toEqual(["xecho i!", 8]);
    expect(editor.input("\r")).toEqual([{ kind: "submit", line: "xecho i!" }]);
    expect([editor.line, editor.cursor]).toEqual(["", 0]);
  });

  it("walks the history with Up and Down, keeping the line being typed", () => {
    const editor = new LineEditor();
    editor.input("one\rtwo\rtwo\r\r");
    editor.input("draft");
    editor.input(UP);
    expect(editor.line).toBe("two");
    editor.input(UP + UP);
    expect(editor.line).toBe("one");
    editor.input(DOWN);
    expect(editor.line).toBe("two");
    editor.input(DOWN);
    expect(editor.line).toBe("draft");
    editor.input(DOWN);
    expect(editor.line).toBe("draft");
  });

  it("Ctrl+C drops the line, Ctrl+U erases it, Ctrl+L asks for a clear screen", () => {
    const editor = new LineEditor();
    expect(editor.input("ls\x03")).toEqual([{ kind: "redraw" }, { kind: "interrupt", dropped: "ls" }]);
    expect(editor.line).toBe("");
    editor.input("pwd\x15");
    expect(editor.line).toBe("");
    expect(editor.input("\x0c")).toEqual([{ kind: "clear" }]);
  });

  it("a paste with line ends submits each line, CR LF once; unknown escape sequences are skipped", () => {
    const editor = new LineEditor();
    const actions = editor.input("echo a\r\necho b\nec\x1b[1;5Aho");
    expect(actions.filter((a) => a.kind === "submit")).toEqual([
      { kind: "submit", line: "echo a" },
      { kind: "submit", line: "echo b" },
    ]);
    expect(editor.line).toBe("echo");
  });
});

function resultWith(stdout: string, stderr: string, error?: string): RunResult {
  return { exitCode: 0, reason: "exited", stdout, stderr, stdoutTruncated: false, stderrTruncated: false, durationMs: 1, ...(error && { error }) };
}

describe("a run's output on its way to the terminal", () => {
  it("writes what streamed, then the rest of the result, and drops chunks that trail it", () => {
    const written: string[] = [];
    const output = new StreamedOutput((stream, text) => written.push(`${stream}:${text}`));
    output.output("stdout", "a\n");
    output.output("stderr", "warn");
    output.finish(resultWith("a\nb\n", "warning\n"));
    output.output("stdout", "b\n");
    expect(written).toEqual(["stdout:a\n", "stderr:warn", "stdout:b\n", "stderr:ing\n"]);
  });

  it("a run that could not start shows its error on stderr", () => {
    const written: string[] = [];
    new StreamedOutput((stream, text) => text && written.push(`${stream}:${text}`)).finish(resultWith("", "", "the busybox runtime is missing"));
    expect(written).toEqual(["stderr:the busybox runtime is missing\n"]);
  });
});
