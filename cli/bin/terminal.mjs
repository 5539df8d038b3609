// The client's side of a run's output and prompts. Plain JavaScript: the thin
// client loads it before anything heavy; the in-process run uses it too.
import { createInterface } from "node:readline/promises";

/**
 * Writes a run's output to this process's stdout and stderr, and asks on the
 * terminal so that a prompt never mixes with it (issue 13): the prompt waits
 * until the output written so far has left the process, and starts a line
 * of its own when the output stopped mid-line.
 */
export function terminalOutput() {
  let atLineStart = true;
  return {
    /** Which streams are terminals: what reaches one is made visible text (cli/src/visible-text.ts) unless --raw-output. */
    terminals: { stdout: Boolean(process.stdout.isTTY), stderr: Boolean(process.stderr.isTTY) },
    write(stream, text) {
      if (text === "") return;
      atLineStart = text.endsWith("\n");
      process[stream].write(text);
    },
    async prompt(question) {
      await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
      if (!atLineStart) process.stderr.write("\n");
      // Lines before the question's last are written as they are: readline draws one line of prompt.
      const lastLine = question.lastIndexOf("\n") + 1;
      process.stderr.write(question.slice(0, lastLine));
      const terminal = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await terminal.question(question.slice(lastLine));
      } finally {
        terminal.close();
        atLineStart = true;
      }
    },
  };
}

/** Resolves once everything written to `stream` so far has been handed to the system. */
function flushed(stream) {
  return new Promise((resolve) => stream.write("", () => resolve()));
}
