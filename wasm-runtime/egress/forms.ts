import { OTHER, SKIP, type Alphabet } from "./scanner.ts";

/**
 * The spellings of a secret the filter looks for. Text is read as its
 * "skeleton": ASCII letters and digits only, lower-cased, everything else
 * skipped. So one skeleton pattern catches the value plain, case-changed,
 * spaced out, one character per line or with punctuation between; its
 * reverse catches it reversed; the skeleton of its hex catches hex in either
 * case and fully percent-encoded bytes; and the skeleton of the part of its
 * base64 that does not depend on the bytes around it catches base64 at each
 * of the three alignments, in either alphabet (`+/` and `-_` are skipped),
 * with or without padding or line breaks.
 */
export type Form = "plain" | "reversed" | "hex" | "base64" | "exact";

export interface Pattern {
  /** Index of the watched value. */
  value: number;
  form: Form;
  symbols: number[];
}

/** Values with a shorter skeleton are looked for only as exact text: their spellings would match ordinary text. */
export const MIN_SKELETON = 8;
/** Values shorter than this are not looked for at all (a 3-letter "secret" is in every text). */
export const MIN_EXACT = 4;

// Skeleton symbols: 0-9 → 0…9, a-z (and A-Z) → 10…35.
const SKELETON_TABLE = new Int32Array(128).fill(SKIP);
for (let c = 48; c <= 57; c++) SKELETON_TABLE[c] = c - 48;
for (let c = 97; c <= 122; c++) SKELETON_TABLE[c] = SKELETON_TABLE[c - 32] = c - 87;

export const SKELETON: Alphabet & { size: number } = { size: 36, ascii: SKELETON_TABLE, wide: () => SKIP };

export function skeletonOf(text: string): number[] {
  const symbols: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const symbol = code < 128 ? SKELETON_TABLE[code]! : SKIP;
    if (symbol !== SKIP) symbols.push(symbol);
  }
  return symbols;
}

/** Skeleton patterns of one value (none when its skeleton is too short to be told from ordinary text). */
export function skeletonPatterns(value: string, index: number): Pattern[] {
  const plain = skeletonOf(value);
  if (plain.length < MIN_SKELETON) return [];
  const bytes = new TextEncoder().encode(value);
  const patterns: Pattern[] = [
    { value: index, form: "plain", symbols: plain },
    { value: index, form: "reversed", symbols: [...plain].reverse() },
    { value: index, form: "hex", symbols: skeletonOf(hexOf(bytes)) },
  ];
  for (let align = 0; align < 3; align++) {
    const symbols = skeletonOf(base64Core(bytes, align));
    if (symbols.length >= MIN_SKELETON) patterns.push({ value: index, form: "base64", symbols });
  }
  return patterns;
}

/** An alphabet of the characters of exact-only values, case-sensitive: anything else breaks a match. */
export function exactAlphabet(values: readonly string[]): Alphabet & { size: number; symbolsOf: (text: string) => number[] } {
  const symbols = new Map<number, number>();
  for (const value of values) for (let i = 0; i < value.length; i++) if (!symbols.has(value.charCodeAt(i))) symbols.set(value.charCodeAt(i), symbols.size);
  const table = new Int32Array(128).fill(OTHER);
  for (const [code, symbol] of symbols) if (code < 128) table[code] = symbol;
  return {
    size: Math.max(1, symbols.size),
    ascii: table,
    wide: (code) => symbols.get(code) ?? OTHER,
    symbolsOf: (text) => Array.from({ length: text.length }, (_, i) => symbols.get(text.charCodeAt(i))!),
  };
}

function hexOf(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * The base64 characters that encode only the value's own bytes when it
 * starts `align` bytes into a 3-byte group: the whole groups inside it, and
 * the characters of the groups at either end whose 6 bits all come from it.
 * What stays visible around a hit is at most two characters holding a few
 * bits of the value.
 */
function base64Core(bytes: Uint8Array, align: number): string {
  const padded = new Uint8Array(align + bytes.length + 2);
  padded.set(bytes, align);
  const end = align + bytes.length;
  const encoded = base64(padded.subarray(0, Math.ceil(end / 3) * 3));
  // Character i covers bits 6i…6i+5 of the stream: it is the value's own when they all lie within its bytes.
  const first = Math.ceil((align * 8) / 6);
  const last = Math.floor((end * 8) / 6);
  return encoded.slice(first, last);
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 without padding (the input is whole groups); own code: the core runs in browsers and Node. */
function base64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  return out;
}
