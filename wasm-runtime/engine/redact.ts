/**
 * Hides secret values in a stream of text: a guest granted a secret can still
 * print it, and output is an escape route. Text that might be the start of a
 * secret is held back until the next chunk tells, so a value split across two
 * writes is caught too.
 */
export class SecretRedactor {
  readonly #secrets: readonly { name: string; value: string }[];
  readonly #longest: number;

  constructor(secrets: Record<string, string>) {
    this.#secrets = Object.entries(secrets)
      .filter(([, value]) => value.length > 0)
      .map(([name, value]) => ({ name, value }))
      // Longer values first, so a secret containing another is hidden whole.
      .sort((a, b) => b.value.length - a.value.length);
    this.#longest = this.#secrets[0]?.value.length ?? 0;
  }

  /** Splits `text` into what can be shown now (redacted) and a tail to hold for the next call. */
  take(text: string, final: boolean): { shown: string; held: string } {
    if (this.#secrets.length === 0) return { shown: text, held: "" };
    const hold = final ? 0 : this.#heldLength(text);
    return { shown: this.#redact(text.slice(0, text.length - hold)), held: text.slice(text.length - hold) };
  }

  #redact(text: string): string {
    let result = text;
    for (const { name, value } of this.#secrets) result = result.split(value).join(`«secret ${name}»`);
    return result;
  }

  /** The longest end of `text` that is a proper start of some secret. */
  #heldLength(text: string): number {
    for (let k = Math.min(this.#longest - 1, text.length); k > 0; k--) {
      const tail = text.slice(-k);
      if (this.#secrets.some(({ value }) => value.length > k && value.startsWith(tail))) return k;
    }
    return 0;
  }
}
