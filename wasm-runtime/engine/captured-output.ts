import { EgressFilter, type RedactingStreams, type RunGuard } from "../egress/index.ts";
import type { OutputListener, OutputStream } from "../types.ts";

/** How often streamed output is handed to the listener: one message per frame, not per write. */
const FLUSH_INTERVAL_MS = 16;

/**
 * Collects one run's stdout and stderr up to a byte cap, decoding UTF-8 across
 * chunk boundaries, and forwards what it keeps in coalesced batches so an
 * output flood costs the page one message per frame rather than per write.
 * Both streams pass the exfiltration filter as one text in the order they were
 * written: watched values never leave in clear, streamed or in the result,
 * even when split across writes or between the two streams. What is shown is
 * then looked at for credential-shaped data (an alert, not hidden).
 */
export class CapturedOutput {
  readonly #caps: Record<OutputStream, number>;
  readonly #listener: OutputListener | undefined;
  readonly #streams = {
    stdout: { kept: 0, truncated: false, text: "", decoder: new TextDecoder() },
    stderr: { kept: 0, truncated: false, text: "", decoder: new TextDecoder() },
  };
  readonly #filtered: RedactingStreams<OutputStream>;
  readonly #shown: ((stream: OutputStream, text: string) => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `caps`: bytes kept per stream, one number for both or one each; `guard`: the run's filter and what it tells of findings. */
  constructor(caps: number | Record<OutputStream, number>, listener?: OutputListener, guard?: Pick<RunGuard, "filter" | "outputFound" | "outputShown">) {
    this.#caps = typeof caps === "number" ? { stdout: caps, stderr: caps } : caps;
    this.#listener = listener;
    this.#filtered = (guard?.filter ?? EgressFilter.NONE).streams(guard?.outputFound);
    this.#shown = guard?.outputShown;
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
    this.#filtered.push(stream, s.decoder.decode(kept, { stream: true }));
    if (this.#listener && this.#timer === undefined) {
      this.#timer = setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
    }
  }

  /**
   * Hands what is pending to the listener now, but for a tail that may be the
   * start of a watched value; `final` hands everything and ends any partial UTF-8 sequence.
   */
  flush(final = false): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (final) for (const stream of ["stdout", "stderr"] as const) this.#filtered.push(stream, this.#streams[stream].decoder.decode());
    const shown = this.#filtered.take(final);
    for (const stream of ["stdout", "stderr"] as const) {
      const text = shown[stream];
      if (!text) continue;
      this.#streams[stream].text += text;
      this.#shown?.(stream, text);
      this.#listener?.(stream, text);
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
