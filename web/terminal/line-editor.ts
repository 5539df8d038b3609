/** What a piece of terminal input asks for, in the order it was typed. */
export type LineAction =
  /** The line or the cursor changed: draw the prompt line again. */
  | { kind: "redraw" }
  /** Enter: run this line. */
  | { kind: "submit"; line: string }
  /** Ctrl+C at the prompt: the line is dropped. */
  | { kind: "interrupt"; dropped: string }
  /** Ctrl+L: clear the screen. */
  | { kind: "clear" };

/** Escape sequences xterm sends for the keys the editor knows; any other sequence is ignored. */
const KEYS: Record<string, (editor: LineEditor) => void> = {
  "\x1b[A": (e) => e.older(),
  "\x1b[B": (e) => e.newer(),
  "\x1b[C": (e) => e.moveTo(e.cursor + 1),
  "\x1b[D": (e) => e.moveTo(e.cursor - 1),
  "\x1b[H": (e) => e.moveTo(0),
  "\x1bOH": (e) => e.moveTo(0),
  "\x1b[1~": (e) => e.moveTo(0),
  "\x1b[F": (e) => e.moveTo(e.line.length),
  "\x1bOF": (e) => e.moveTo(e.line.length),
  "\x1b[4~": (e) => e.moveTo(e.line.length),
  "\x1b[3~": (e) => e.deleteForward(),
};

/** Length of the escape sequence `text` starts with: ESC [ parameters final (CSI), ESC O final (SS3), or a lone ESC. */
function escapeLength(text: string): number {
  if (text[1] === "O") return Math.min(3, text.length);
  if (text[1] !== "[") return 1;
  let end = 2;
  while (end < text.length && /[0-9;?]/.test(text[end]!)) end++;
  return Math.min(end + 1, text.length);
}

/**
 * The command line being typed at the prompt, with its cursor and history;
 * no terminal in it: it takes xterm's `onData` text and says what to draw or run.
 * Up/Down walk the history (the line being typed is kept while walking),
 * Left/Right/Home/End move, Backspace/Delete erase, Ctrl+U erases the line.
 */
export class LineEditor {
  #line = "";
  #cursor = 0;
  readonly #history: string[] = [];
  /** How far back in the history Up has gone; 0 is the line being typed. */
  #back = 0;
  #draft = "";

  get line(): string {
    return this.#line;
  }

  get cursor(): number {
    return this.#cursor;
  }

  /** Feeds input text (keystrokes or a paste; a paste with line ends submits each line). */
  input(data: string): LineAction[] {
    const actions: LineAction[] = [];
    let changed = false;
    const flush = () => {
      if (changed) actions.push({ kind: "redraw" });
      changed = false;
    };
    for (let i = 0; i < data.length; ) {
      const char = data[i]!;
      if (char === "\x1b") {
        const sequence = data.slice(i, i + escapeLength(data.slice(i)));
        KEYS[sequence]?.(this);
        changed = true;
        i += sequence.length;
        continue;
      }
      i++;
      if (char === "\r" || char === "\n") {
        // A CR LF pair from a paste is one line end.
        if (char === "\r" && data[i] === "\n") i++;
        flush();
        actions.push({ kind: "submit", line: this.#submit() });
      } else if (char === "\x03") {
        flush();
        actions.push({ kind: "interrupt", dropped: this.#line });
        this.#reset("");
      } else if (char === "\x0c") {
        flush();
        actions.push({ kind: "clear" });
      } else if (char === "\x7f" || char === "\b") {
        this.#erase(this.#cursor - 1);
        changed = true;
      } else if (char === "\x15") {
        this.#reset("");
        changed = true;
      } else if (char >= " ") {
        this.#line = this.#line.slice(0, this.#cursor) + char + this.#line.slice(this.#cursor);
        this.#cursor++;
        changed = true;
      }
    }
    flush();
    return actions;
  }

  moveTo(position: number): void {
    this.#cursor = Math.min(this.#line.length, Math.max(0, position));
  }

  deleteForward(): void {
    this.#erase(this.#cursor);
  }

  /** Up: the previous line of the history. */
  older(): void {
    if (this.#back >= this.#history.length) return;
    if (this.#back === 0) this.#draft = this.#line;
    this.#back++;
    this.#show(this.#history[this.#history.length - this.#back]!);
  }

  /** Down: the next line of the history, then the line that was being typed. */
  newer(): void {
    if (this.#back === 0) return;
    this.#back--;
    this.#show(this.#back === 0 ? this.#draft : this.#history[this.#history.length - this.#back]!);
  }

  #submit(): string {
    const line = this.#line;
    if (line.trim() && this.#history.at(-1) !== line) this.#history.push(line);
    this.#reset("");
    return line;
  }

  #erase(at: number): void {
    if (at < 0 || at >= this.#line.length) return;
    this.#line = this.#line.slice(0, at) + this.#line.slice(at + 1);
    if (at < this.#cursor) this.#cursor--;
  }

  #show(line: string): void {
    this.#line = line;
    this.#cursor = line.length;
  }

  #reset(line: string): void {
    this.#show(line);
    this.#back = 0;
    this.#draft = "";
  }
}
