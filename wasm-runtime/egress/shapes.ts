import type { Severity } from "../capabilities.ts";

/** A credential format recognisable by its shape alone, whoever's it is. */
interface Shape {
  kind: string;
  severity: Severity;
  /** One alternative of the combined pattern; its first group is the credential. */
  source: string;
  /** A candidate that matched the shape but is ordinary text after all (a placeholder, a word). */
  plausible?: (value: string) => boolean;
}

/**
 * The shapes looked for. Each has a fixed, rare prefix or an assignment to a
 * credential-named key, so ordinary text (source code, prose) does not match;
 * the generic `key = value` shape also needs a value that looks random.
 */
const SHAPES: readonly Shape[] = [
  { kind: "AWS access key id", severity: "high", source: String.raw`\b((?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16})\b` },
  { kind: "private key (PEM)", severity: "high", source: String.raw`(-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----)` },
  { kind: "GitHub token", severity: "high", source: String.raw`\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b` },
  { kind: "Slack token", severity: "high", source: String.raw`\b(xox[abposr]-[0-9]{2,}-[0-9A-Za-z-]{10,})` },
  { kind: "Stripe secret key", severity: "high", source: String.raw`\b((?:sk|rk)_live_[0-9A-Za-z]{20,})\b` },
  { kind: "Google API key", severity: "medium", source: String.raw`\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])` },
  {
    kind: "JSON Web Token",
    severity: "medium",
    source: String.raw`\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})`,
  },
  {
    kind: "credential assignment",
    severity: "medium",
    source: String.raw`(?:api[_-]?key|apikey|secret[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token|private[_-]?token|password|passwd)["']?\s{0,3}[:=]\s{0,3}["']?([A-Za-z0-9+/_-]{20,200}={0,2})(?![A-Za-z0-9+/_-])`,
    plausible: looksRandom,
  },
];

/** Every shape in one pass; shape i's value is capture group i + 1. Case is ignored for the key names and checked again per shape. */
const COMBINED = new RegExp(SHAPES.map((shape) => shape.source).join("|"), "gi");
const EXACT = SHAPES.map((shape) => new RegExp(`^(?:${shape.source})$`, shape.plausible ? "i" : ""));

/** Text kept from the end of a stream so a credential split across two writes is still seen whole. */
const OVERLAP = 300;

/** A credential-shaped value found in text: its shape and a hint that does not give it away. */
export interface ShapeFinding {
  kind: string;
  severity: Severity;
  /** The first 4 characters, then how long it is: `AKIA… (20 characters)`. */
  hint: string;
}

/** Every credential-shaped value in `text`, each once. */
export function findShapes(text: string): ShapeFinding[] {
  const found = new Map<string, ShapeFinding>();
  for (const match of text.matchAll(COMBINED)) {
    const i = match.findIndex((group, k) => k > 0 && group !== undefined) - 1;
    const shape = SHAPES[i]!;
    const value = match[i + 1]!;
    // The fixed prefixes (AKIA, ghp_…) must match in their own case.
    if (!shape.plausible && !EXACT[i]!.test(value)) continue;
    if (shape.plausible && !shape.plausible(value)) continue;
    found.set(`${shape.kind}:${value}`, { kind: shape.kind, severity: shape.severity, hint: `${value.slice(0, 4)}… (${value.length} characters)` });
  }
  return [...found.values()];
}

/**
 * Streams scanned as written: each write with the end of the one before it,
 * so a credential split across writes is found (found again in the overlap
 * too: the alert rules raise one alert per credential and channel).
 */
export class ShapeWatch<S extends string> {
  readonly #tails = new Map<S, string>();
  readonly #onFinding: (finding: ShapeFinding, stream: S) => void;

  constructor(onFinding: (finding: ShapeFinding, stream: S) => void) {
    this.#onFinding = onFinding;
  }

  push(stream: S, text: string): void {
    if (text === "") return;
    const tail = this.#tails.get(stream) ?? "";
    const window = tail + text;
    this.#tails.set(stream, window.slice(-OVERLAP));
    for (const finding of findShapes(window)) this.#onFinding(finding, stream);
  }
}

/**
 * Whether a value assigned to a credential-named key looks generated rather
 * than written: letters and digits mixed, and at least 3.5 bits of entropy
 * per character (`correct_horse_battery` or `get_password_from_env` do not).
 */
function looksRandom(value: string): boolean {
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / value.length) * Math.log2(count / value.length);
  return bits >= 3.5;
}
