import type { CapturedOutput } from "../engine/captured-output.ts";
import type { OutputStream } from "../types.ts";

/** Where a command's stdout or stderr goes: the script's own output, a pipe buffer or a file. */
export interface Sink {
  write(text: string): void;
}

const encoder = new TextEncoder();

/** The script's stdout or stderr: capped, streamed to the observer, secrets hidden. */
export function outputSink(output: CapturedOutput, stream: OutputStream): Sink {
  return { write: (text) => output.push(stream, encoder.encode(text)) };
}

/**
 * A pipe between two commands, or a file being written by a redirection.
 * Stages of a pipeline are separate WASI instances run one after another, so a
 * pipe is a buffer, capped at the output limit like any output.
 */
export class BufferSink implements Sink {
  #text = "";
  #bytes = 0;
  readonly #cap: number;

  constructor(cap: number, initial = "") {
    this.#cap = cap;
    this.#text = initial;
    this.#bytes = encoder.encode(initial).length;
  }

  write(text: string): void {
    const room = this.#cap - this.#bytes;
    if (room <= 0) return;
    const bytes = encoder.encode(text);
    if (bytes.length <= room) {
      this.#text += text;
      this.#bytes += bytes.length;
    } else {
      this.#text += new TextDecoder().decode(bytes.subarray(0, room));
      this.#bytes = this.#cap;
    }
  }

  get text(): string {
    return this.#text;
  }
}

/** Stdin shared by the commands of a script: the first one that reads it takes it all, as from a pipe. */
export class ScriptStdin {
  #text: string | undefined;

  constructor(text: string | undefined) {
    this.#text = text;
  }

  take(): string | undefined {
    const text = this.#text;
    this.#text = text === undefined ? undefined : "";
    return text;
  }
}

/** A command's three streams; `stdin` undefined means the script's own. */
export interface Io {
  stdin: string | undefined;
  stdout: Sink;
  stderr: Sink;
}
