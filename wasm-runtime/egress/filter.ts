import { Automaton } from "./automaton.ts";
import { exactAlphabet, MIN_EXACT, MIN_SKELETON, SKELETON, skeletonOf, skeletonPatterns, type Form, type Pattern } from "./forms.ts";
import { Scanner, type Alphabet, type Hit } from "./scanner.ts";

/** A value that must not leave in any spelling: a secret given to the run, or a decoy planted in it. */
export interface Watched {
  name: string;
  value: string;
  decoy?: boolean;
}

/** One spelling of a watched value found in text. `escaped`: read through %XX or JSON/C escapes. */
export interface Finding {
  name: string;
  decoy: boolean;
  form: Form;
  escaped: boolean;
}

/**
 * The exfiltration filter: the one place that recognises watched values in
 * anything leaving a run (output, files, audit, traces, tool requests) and
 * hides them. Built once per run from its secrets and decoys; see forms.ts for
 * the spellings it knows and egress/README.md for what it cannot catch.
 */
export class EgressFilter {
  static readonly NONE = new EgressFilter([]);
  readonly #watched: Watched[];
  /** Per scanner kind: its automaton and alphabet, the patterns by automaton index, and whether it reads escapes. */
  readonly #kinds: { automaton: Automaton; alphabet: Alphabet; patterns: Pattern[]; escaped: boolean }[] = [];

  constructor(watched: readonly Watched[]) {
    this.#watched = watched.filter((w) => w.value.length >= MIN_EXACT);
    const skeleton = this.#watched.flatMap((w, i) => skeletonPatterns(w.value, i));
    if (skeleton.length > 0) {
      const automaton = new Automaton(skeleton.map((p) => p.symbols), SKELETON.size);
      this.#kinds.push({ automaton, alphabet: SKELETON, patterns: skeleton, escaped: false });
      this.#kinds.push({ automaton, alphabet: SKELETON, patterns: skeleton, escaped: true });
    }
    // A value whose skeleton is short is looked for as its exact text only.
    const exact = this.#watched.map((w, i) => ({ w, i })).filter(({ w }) => skeletonOf(w.value).length < MIN_SKELETON);
    if (exact.length > 0) {
      const alphabet = exactAlphabet(exact.map(({ w }) => w.value));
      const patterns: Pattern[] = exact.map(({ w, i }) => ({ value: i, form: "exact", symbols: alphabet.symbolsOf(w.value) }));
      this.#kinds.push({ automaton: new Automaton(patterns.map((p) => p.symbols), alphabet.size), alphabet, patterns, escaped: false });
    }
  }

  /** Whether there is anything to look for. */
  get active(): boolean {
    return this.#watched.length > 0;
  }

  /** A redacting stream over any number of named streams read as one (a value split between them is caught). */
  streams<S extends string>(onFinding?: (finding: Finding, stream: S) => void): RedactingStreams<S> {
    return new RedactingStreams<S>(this.#scanners(), onFinding);
  }

  /** `text` with every watched value hidden, and what was found. */
  redact(text: string): { text: string; findings: Finding[] } {
    if (!this.active || text === "") return { text, findings: [] };
    const findings: Finding[] = [];
    const streams = this.streams<"text">((finding) => findings.push(finding));
    streams.push("text", text);
    return { text: streams.take(true).text ?? "", findings };
  }

  /** What `text` carries, without changing it (tool requests are refused, not rewritten). */
  findings(text: string): Finding[] {
    return this.redact(text).findings;
  }

  /** Bytes with every watched value hidden: UTF-8 text as text, anything else byte for byte (as Latin-1). */
  redactBytes(bytes: Uint8Array): { bytes: Uint8Array; findings: Finding[] } {
    if (!this.active) return { bytes, findings: [] };
    let text: string;
    let utf8 = true;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      utf8 = false;
      text = latin1(bytes);
    }
    const { text: redacted, findings } = this.redact(text);
    if (findings.length === 0) return { bytes, findings };
    return { bytes: utf8 ? new TextEncoder().encode(redacted) : fromLatin1(redacted), findings };
  }

  #scanners(): ScannerOf[] {
    return this.#kinds.map(({ automaton, alphabet, patterns, escaped }) => ({
      scanner: new Scanner(automaton, alphabet, escaped),
      describe: (hit: Hit) => {
        const pattern = patterns[hit.pattern]!;
        const watched = this.#watched[pattern.value]!;
        const decoy = watched.decoy ?? false;
        return { name: watched.name, decoy, form: pattern.form, escaped, label: labelOf(watched.name, decoy) };
      },
    }));
  }
}

/** The text that stands in for a hidden value. */
export function labelOf(name: string, decoy: boolean): string {
  return `«${decoy ? "decoy" : "secret"} ${name}»`;
}

interface Segment<S> {
  stream: S;
  start: number;
  text: string;
}

interface ScannerOf {
  scanner: Scanner;
  describe: (hit: Hit) => Finding & { label: string };
}

interface Range {
  start: number;
  end: number;
  label: string;
}

/**
 * Text of several streams, read in the order it was pushed as one text, with
 * watched values hidden. What could still turn out to be the start of a value
 * is held back until later text (or the end) tells.
 */
export class RedactingStreams<S extends string> {
  readonly #scanners: ScannerOf[];
  readonly #onFinding: ((finding: Finding, stream: S) => void) | undefined;
  /** Text pushed and not yet released, in order, each at its absolute offset. */
  #segments: Segment<S>[] = [];
  /** Text to hide, not yet wholly released: sorted, never overlapping. */
  #ranges: Range[] = [];
  #end = 0;
  #lastStream: S | undefined;
  /** Per stream, the range whose label it showed last, while nothing else followed it. */
  readonly #openLabel = new Map<S, Range>();

  constructor(scanners: ScannerOf[], onFinding?: (finding: Finding, stream: S) => void) {
    this.#scanners = scanners;
    this.#onFinding = onFinding;
  }

  push(stream: S, text: string): void {
    if (text === "") return;
    this.#segments.push({ stream, start: this.#end, text });
    this.#lastStream = stream;
    this.#scan(stream, text, false);
    this.#end += text.length;
  }

  /** What can be shown now, per stream (redacted); `final` releases everything. */
  take(final: boolean): Partial<Record<S, string>> {
    if (final && this.#lastStream !== undefined) this.#scan(this.#lastStream, "", true);
    let hold = this.#end;
    if (!final) for (const { scanner } of this.#scanners) hold = Math.min(hold, scanner.holdFrom());
    const shown: Partial<Record<S, string>> = {};
    const kept: Segment<S>[] = [];
    for (const segment of this.#segments) {
      const cut = Math.min(hold - segment.start, segment.text.length);
      if (cut <= 0) {
        kept.push(segment);
        continue;
      }
      shown[segment.stream] = (shown[segment.stream] ?? "") + this.#redacted(segment.stream, segment.start, segment.text.slice(0, cut));
      if (cut < segment.text.length) kept.push({ stream: segment.stream, start: segment.start + cut, text: segment.text.slice(cut) });
    }
    this.#segments = kept;
    this.#ranges = this.#ranges.filter((r) => r.end > hold);
    return shown;
  }

  #scan(stream: S, text: string, final: boolean): void {
    for (const { scanner, describe } of this.#scanners) {
      scanner.feed(text, this.#end, final, (hit) => {
        const { label, ...finding } = describe(hit);
        // The same text found again (by the escape-reading scanner, or a second spelling) is one finding.
        if (this.#hide({ start: hit.start, end: hit.end, label })) this.#onFinding?.(finding, stream);
      });
    }
  }

  /** Adds a range, merged into any it overlaps (the earliest keeps its label); true when it overlapped none. */
  #hide(range: Range): boolean {
    const overlapping = this.#ranges.filter((r) => r.start < range.end && r.end > range.start);
    if (overlapping.length === 0) {
      this.#ranges.push(range);
      this.#ranges.sort((a, b) => a.start - b.start);
      return true;
    }
    const [first, ...rest] = overlapping;
    first!.start = Math.min(first!.start, range.start);
    first!.end = Math.max(range.end, ...overlapping.map((r) => r.end));
    this.#ranges = this.#ranges.filter((r) => !rest.includes(r));
    return false;
  }

  /** `text` (at absolute offset `start`) with the parts inside ranges replaced by their labels, once per run of hidden text. */
  #redacted(stream: S, start: number, text: string): string {
    let out = "";
    let at = start;
    const end = start + text.length;
    for (const range of this.#ranges) {
      if (range.end <= at) continue;
      if (range.start >= end) break;
      if (range.start > at) {
        out += text.slice(at - start, range.start - start);
        this.#openLabel.delete(stream);
      }
      if (this.#openLabel.get(stream) !== range) out += range.label;
      this.#openLabel.set(stream, range);
      at = Math.min(range.end, end);
    }
    if (at < end) {
      out += text.slice(at - start);
      this.#openLabel.delete(stream);
    }
    return out;
  }
}

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

function fromLatin1(text: string): Uint8Array {
  // Labels are not Latin-1: they go in as UTF-8 among the file's own bytes.
  const parts: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 256) parts.push(code);
    else parts.push(...new TextEncoder().encode(char));
  }
  return Uint8Array.from(parts);
}
