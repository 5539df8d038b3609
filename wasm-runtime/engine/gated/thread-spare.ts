import type { RunThread, RunThreadFactory } from "./protocol.ts";

/**
 * One started run thread kept warm for the engine's next run, whichever sandbox
 * it is for: starting a thread (a worker loading the WASI host) costs more than
 * a short guest's whole run. A thread is handed back only after a job that ended
 * cleanly (each job builds its filesystem and host afresh, so nothing carries
 * over).
 */
export class ThreadSpare {
  readonly #start: RunThreadFactory;
  #spare: RunThread | undefined;

  constructor(start: RunThreadFactory) {
    this.#start = start;
  }

  /** Starts the spare ahead of the first run. */
  warm(): void {
    this.#spare ??= this.#start();
  }

  take(): RunThread {
    const thread = this.#spare ?? this.#start();
    this.#spare = undefined;
    return thread;
  }

  /** A thread whose job ended cleanly: kept as the spare, or ended when one is already kept. */
  giveBack(thread: RunThread): void {
    if (this.#spare) thread.terminate();
    else this.#spare = thread;
  }

  /**
   * A thread that was killed. Its replacement starts with the next run, not now:
   * a run that hit its time limit must leave the CPU idle behind it, and starting
   * a thread is a burst of work.
   */
  discard(thread: RunThread): void {
    thread.terminate();
  }

  close(): void {
    this.#spare?.terminate();
    this.#spare = undefined;
  }
}
