import type { OutputStream, RunResult } from "../../wasm-runtime/index.ts";
import type { Write } from "./terminal-session.ts";

/**
 * A run's output on its way to the terminal. Streamed chunks travel on their
 * own channel and may trail the result, whose copy is complete: at the end,
 * what the stream did not deliver is written from the result, and any chunk
 * arriving later is dropped, so nothing shows twice.
 */
export class StreamedOutput {
  readonly #write: Write;
  readonly #written: Record<OutputStream, number> = { stdout: 0, stderr: 0 };
  #finished = false;

  constructor(write: Write) {
    this.#write = write;
  }

  /** The run observer's `output` callback. */
  readonly output = (stream: OutputStream, text: string): void => {
    if (this.#finished) return;
    this.#written[stream] += text.length;
    this.#write(stream, text);
  };

  /** The run has ended: writes the rest of its output, and its error if it could not run. */
  finish(result: RunResult): void {
    this.#finished = true;
    this.#write("stdout", result.stdout.slice(this.#written.stdout));
    this.#write("stderr", result.stderr.slice(this.#written.stderr));
    if (result.error) this.#write("stderr", `${result.error}\n`);
  }
}
