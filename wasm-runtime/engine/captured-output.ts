import type { OutputListener, OutputStream } from "../types.ts";
import { SecretRedactor } from "./redact.ts";

/** How often streamed output is handed to the listener: one message per frame, not per write. */
const FLUSH_INTERVAL_MS = 16;

/**
 * Collects one run's stdout and stderr up to a byte cap, decoding UTF-8 across
 * chunk boundaries, and forwards what it keeps in coalesced batches so an
 * output flood costs the page one message per frame rather than per write.
 * Secret values never leave it in clear, streamed or in the result.
 */
export class CapturedOutput {
  readonly #caps: Record<OutputStream, number>;
  readonly #listener: OutputListener | undefined;
  readonly #streams = {
    stdout: { kept: 0, truncated: false, text: "", pending: "", decoder: new TextDecoder() },
    stderr: { kept: 0, truncated: false, text: "", pending: "", decoder: new TextDecoder() },
  };
  readonly #redactor: SecretRedactor;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `caps`: bytes kept per stream, one number for both or one each. */
  constructor(caps: number | Record<OutputStream, number>, listener?: OutputListener, secrets: Record<string, string> = {}) {
    this.#caps = typeof caps === "number" ? { stdout: caps, stderr: caps } : caps;
    this.#listener = listener;
    this.#redactor = new SecretRedactor(secrets);
  }

  push(stream: OutputStream, chunk: Uint8Array): void {
    const s = this.#streams[stream];
    const room = this.#caps[stream] - s.kept;
    if (room <= 0) {
      s.truncated ||= chunk.length > 0;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    s.truncated ||= kept.length < chunk.length;
    s.kept += kept.length;
    s.pending += s.decoder.decode(kept, { stream: true });
    if (this.#listener && this.#timer === undefined) {
      this.#timer = setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
    }
  }

  /**
   * Hands what is pending to the listener now, but for a tail that may be the
   * start of a secret; `final` hands everything and ends any partial UTF-8 sequence.
   */
  flush(final = false): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const stream of ["stdout", "stderr"] as const) {
      const s = this.#streams[stream];
      if (final) s.pending += s.decoder.decode();
      const { shown, held } = this.#redactor.take(s.pending, final);
      s.pending = held;
      s.text += shown;
      if (shown && this.#listener) this.#listener(stream, shown);
    }
  }

  result(): { stdout: string; stderr: string; stdoutTruncated: boolean; stderrTruncated: boolean } {
    this.flush(true);
    const { stdout, stderr } = this.#streams;
    return {
      stdout: stdout.text,
      stderr: stderr.text,
      stdoutTruncated: stdout.truncated,
      stderrTruncated: stderr.truncated,
    };
  }
}
