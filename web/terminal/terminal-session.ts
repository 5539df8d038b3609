import type { Terminal } from "@xterm/xterm";
import type { OutputStream } from "../../wasm-runtime/index.ts";
import { LineEditor, type LineAction } from "./line-editor.ts";

/** Writes a run's output into the terminal as it arrives. */
export type Write = (stream: OutputStream, text: string) => void;

/** What the terminal needs from the page: run a line in the sandbox, stop it. */
export interface ShellTerminalHost {
  /** Runs one command line, its output through `write`; resolves with the shell's folder afterwards (undefined: unchanged). */
  runLine(line: string, write: Write): Promise<string | undefined>;
  stop(): void;
  /** The shell's folder now (the terminal may open on a shell that has already moved). */
  cwd(): Promise<string>;
}

export const INITIAL_CWD = "/workspace";

const RED = "\x1b[31m";
const DIM = "\x1b[2m";
const BLUE = "\x1b[1;34m";
const RESET = "\x1b[0m";

/**
 * The shell's terminal: a prompt showing the shell's folder, line editing,
 * history, one line run at a time, output streamed in (stderr red). Ctrl+C
 * stops the running command, or drops the line at the prompt; Ctrl+L clears.
 * Lines pasted together run one after another.
 */
export class TerminalSession {
  readonly #term: Terminal;
  readonly #host: ShellTerminalHost;
  readonly #editor = new LineEditor();
  #cwd = INITIAL_CWD;
  /** A line (or the editor's Run) is running: input other than Ctrl+C waits for the prompt. */
  #busy = false;
  /** Lines submitted together (a paste) waiting for their turn. */
  #pending: string[] = [];
  /** Whether the last output ended its line, so the prompt starts on a line of its own. */
  #atLineStart = true;
  /** Rows between the prompt's first row and the cursor: a long line wraps, and a redraw starts from the top. */
  #cursorRow = 0;

  constructor(term: Terminal, host: ShellTerminalHost) {
    this.#term = term;
    this.#host = host;
    term.onData((data) => this.#onData(data));
    this.#prompt();
    void host.cwd().then((cwd) => {
      this.#cwd = cwd;
      if (!this.#busy) this.#drawLine();
    });
  }

  /** Output of a run started elsewhere (the editor's Run): a header, then its output; the prompt comes back at `end`. */
  begin(title: string): Write {
    this.#busy = true;
    this.#note(title);
    return this.#write;
  }

  end(): void {
    this.#busy = false;
    this.#prompt();
  }

  /** The sandbox behind the shell was replaced (engine switched): the shell starts over in /workspace. */
  restart(reason: string): void {
    this.#cwd = INITIAL_CWD;
    if (this.#busy) return;
    this.#note(reason);
    this.#prompt();
  }

  #onData(data: string): void {
    if (this.#busy) {
      if (data.includes("\x03")) {
        this.#pending = [];
        this.#host.stop();
      }
      return;
    }
    for (const action of this.#editor.input(data)) {
      if (action.kind === "submit") this.#pending.push(action.line);
      else if (this.#pending.length === 0) this.#apply(action);
    }
    void this.#drain();
  }

  #apply(action: Exclude<LineAction, { kind: "submit" }>): void {
    switch (action.kind) {
      case "redraw":
        this.#drawLine();
        break;
      case "interrupt":
        this.#drawLine(action.dropped, action.dropped.length);
        this.#term.write("^C\r\n");
        this.#prompt();
        break;
      case "clear":
        // Only the cursor's row survives a clear: the prompt is drawn again from there.
        this.#term.clear();
        this.#cursorRow = 0;
        this.#drawLine();
        break;
    }
  }

  async #drain(): Promise<void> {
    if (this.#busy || this.#pending.length === 0) return;
    this.#busy = true;
    try {
      for (let line = this.#pending.shift(); line !== undefined; line = this.#pending.shift()) {
        this.#drawLine(line, line.length);
        this.#term.write("\r\n");
        this.#cursorRow = 0;
        this.#atLineStart = true;
        if (line.trim()) this.#cwd = (await this.#host.runLine(line, this.#write)) ?? this.#cwd;
      }
    } catch (error) {
      this.#pending = [];
      this.#write("stderr", `${error instanceof Error ? error.message : String(error)}\n`);
    } finally {
      this.#busy = false;
      this.#prompt();
    }
  }

  readonly #write: Write = (stream, text) => {
    if (!text) return;
    const body = text.replace(/\r?\n/g, "\r\n");
    this.#term.write(stream === "stderr" ? `${RED}${body}${RESET}` : body);
    this.#atLineStart = text.endsWith("\n");
    this.#cursorRow = 0;
  };

  /** A dim comment line of the terminal's own, on a line of its own. */
  #note(text: string): void {
    this.#drawLine("", 0);
    this.#term.write(`${DIM}# ${text}${RESET}\r\n`);
    this.#cursorRow = 0;
    this.#atLineStart = true;
  }

  #prompt(): void {
    if (!this.#atLineStart) this.#term.write("\r\n");
    this.#atLineStart = true;
    this.#cursorRow = 0;
    this.#drawLine();
  }

  /**
   * Draws the prompt and `line` again from the prompt's first row (a long line
   * wraps over several), then puts the cursor at `cursor` in the line.
   */
  #drawLine(line = this.#editor.line, cursor = this.#editor.cursor): void {
    const cols = this.#term.cols;
    const promptWidth = this.#cwd.length + 3;
    const end = promptWidth + line.length;
    let out = this.#cursorRow > 0 ? `\x1b[${this.#cursorRow}A` : "";
    out += `\r\x1b[J${BLUE}${this.#cwd}${RESET} $ ${line}`;
    // Text that ends exactly at the right edge leaves the cursor there, waiting to wrap: go to the next row's start.
    if (end % cols === 0) out += "\r\n";
    const endRow = Math.floor(end / cols);
    const target = promptWidth + cursor;
    const targetRow = Math.floor(target / cols);
    if (endRow > targetRow) out += `\x1b[${endRow - targetRow}A`;
    out += "\r";
    if (target % cols > 0) out += `\x1b[${target % cols}C`;
    this.#term.write(out);
    this.#cursorRow = targetRow;
  }
}
