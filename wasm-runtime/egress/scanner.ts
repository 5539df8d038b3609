import type { Automaton } from "./automaton.ts";

/** A pattern found: which one, and the text it spans (absolute offsets, end exclusive). */
export interface Hit {
  pattern: number;
  start: number;
  end: number;
}

/**
 * How a scanner reads characters. `classOf` maps a UTF-16 code unit to a
 * symbol of the automaton; SKIP drops the character (a separator), OTHER
 * breaks any match.
 */
export interface Alphabet {
  /** Symbols of the ASCII code units (the hot path: one array read). */
  readonly ascii: Int32Array;
  /** The symbol of any other code unit. */
  readonly wide: (code: number) => number;
}
export const SKIP = -1;
export const OTHER = -2;

/** Longest escape a decoding scanner may need to see whole: `\uXXXX`. */
const LONGEST_ESCAPE = 6;

/**
 * Feeds text through an automaton chunk by chunk, remembering where each
 * symbol came from, so a hit maps back to the exact text to hide even when it
 * was written over many chunks. A decoding scanner first reads `%XX`, `\xXX`,
 * `\uXXXX` and JSON's one-letter escapes as the character they stand for.
 */
export class Scanner {
  readonly #automaton: Automaton;
  readonly #alphabet: Alphabet;
  readonly #decode: boolean;
  /** Where the last `automaton.longest` symbols started, as a ring. */
  readonly #starts: Float64Array;
  #state = 0;
  /** Symbols consumed so far. */
  #count = 0;
  /** Undecided text at the end of the last chunk (an escape cut in two), and where it starts. */
  #carry = "";
  #carryAt = 0;

  constructor(automaton: Automaton, alphabet: Alphabet, decode: boolean) {
    this.#automaton = automaton;
    this.#alphabet = alphabet;
    this.#decode = decode;
    this.#starts = new Float64Array(Math.max(1, automaton.longest));
  }

  /** Scans `text`, which starts at absolute offset `at`; `final` means no more text follows. */
  feed(text: string, at: number, final: boolean, onHit: (hit: Hit) => void): void {
    if (this.#carry) {
      text = this.#carry + text;
      at = this.#carryAt;
      this.#carry = "";
    }
    const { next, size, out, lengths } = this.#automaton;
    const starts = this.#starts;
    const ring = starts.length;
    const { ascii, wide } = this.#alphabet;
    const decode = this.#decode;
    let state = this.#state;
    let count = this.#count;
    const n = text.length;
    for (let i = 0; i < n; ) {
      let code = text.charCodeAt(i);
      let width = 1;
      if (decode && (code === 37 /* % */ || code === 92) /* \ */) {
        if (!final && n - i < LONGEST_ESCAPE) {
          this.#carry = text.slice(i);
          this.#carryAt = at + i;
          break;
        }
        const escape = decodeEscape(text, i);
        if (escape) [code, width] = escape;
      }
      const symbol = code < 128 ? ascii[code]! : wide(code);
      if (symbol === SKIP) {
        i += width;
        continue;
      }
      state = symbol === OTHER ? 0 : next[state * size + symbol]!;
      starts[count % ring] = at + i;
      count++;
      const matched = out[state];
      if (matched) {
        for (const pattern of matched) onHit({ pattern, start: starts[(count - lengths[pattern]!) % ring]!, end: at + i + width });
      }
      i += width;
    }
    this.#state = state;
    this.#count = count;
  }

  /** The lowest offset a later chunk could still make part of a hit; Infinity when none. */
  holdFrom(): number {
    const depth = this.#automaton.depth[this.#state]!;
    const pending = depth > 0 ? this.#starts[(this.#count - depth) % this.#starts.length]! : Infinity;
    return this.#carry ? Math.min(pending, this.#carryAt) : pending;
  }
}

const ONE_LETTER: Record<number, number> = { 110: 10, 116: 9, 114: 13, 98: 8, 102: 12, 34: 34, 92: 92, 47: 47, 39: 39 };

/** The character an escape at `i` stands for and the escape's length, or undefined when it is not one. */
function decodeEscape(text: string, i: number): [number, number] | undefined {
  if (text.charCodeAt(i) === 37) {
    const value = hexValue(text, i + 1, 2);
    return value === undefined ? undefined : [value, 3];
  }
  const letter = text.charCodeAt(i + 1);
  if (letter === 117 /* u */) {
    const value = hexValue(text, i + 2, 4);
    return value === undefined ? undefined : [value, 6];
  }
  if (letter === 120 /* x */) {
    const value = hexValue(text, i + 2, 2);
    return value === undefined ? undefined : [value, 4];
  }
  const simple = ONE_LETTER[letter];
  return simple === undefined ? undefined : [simple, 2];
}

function hexValue(text: string, from: number, digits: number): number | undefined {
  if (from + digits > text.length) return undefined;
  let value = 0;
  for (let k = from; k < from + digits; k++) {
    const c = text.charCodeAt(k);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return undefined;
    value = value * 16 + d;
  }
  return value;
}
