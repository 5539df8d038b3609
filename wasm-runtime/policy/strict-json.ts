/**
 * JSON.parse with what a security document needs and JSON.parse lacks: a key
 * that appears twice in one object is reported (JSON.parse silently keeps the
 * last, so a second `"files"` would erase the first), with where it is. Also
 * bounded nesting (no stack overflow on `[[[[…`) and `__proto__` kept as a
 * plain field. Otherwise RFC 8259 exactly: same values as JSON.parse.
 */

/** JSON text that is not JSON; `line` and `column` count from 1. */
export class JsonSyntaxError extends Error {
  override name = "JsonSyntaxError";
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
  }
}

/** A key seen twice in one object; `path` is the duplicated field's, e.g. `["files", 0, "access"]`. */
export interface DuplicateKey {
  path: (string | number)[];
}

export interface StrictJson {
  value: unknown;
  duplicates: DuplicateKey[];
}

/** Deeper than this is an error, not a crash: no policy nests beyond 4. */
export const MAX_JSON_DEPTH = 64;

/** Parses `text`; throws JsonSyntaxError. Duplicate keys are returned, not thrown, so every one can be listed. */
export function parseStrictJson(text: string): StrictJson {
  return new Parser(text).document();
}

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;
// eslint-disable-next-line no-control-regex
const PLAIN_CHARS = /[^"\\\u0000-\u001f]*/y;

class Parser {
  readonly #text: string;
  #at = 0;
  readonly #path: (string | number)[] = [];
  readonly #duplicates: DuplicateKey[] = [];

  constructor(text: string) {
    this.#text = text;
  }

  document(): StrictJson {
    const value = this.#value(0);
    this.#skipWhitespace();
    if (this.#at < this.#text.length) this.#fail(`unexpected ${this.#describeNext()} after the document`);
    return { value, duplicates: this.#duplicates };
  }

  #value(depth: number): unknown {
    this.#skipWhitespace();
    const c = this.#text[this.#at];
    if (c === "{" || c === "[") {
      if (depth >= MAX_JSON_DEPTH) this.#fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
      return c === "{" ? this.#object(depth + 1) : this.#array(depth + 1);
    }
    if (c === '"') return this.#string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.#number();
    for (const [word, value] of LITERALS) {
      if (this.#text.startsWith(word, this.#at)) {
        this.#at += word.length;
        return value;
      }
    }
    return this.#fail(`unexpected ${this.#describeNext()}`);
  }

  #object(depth: number): Record<string, unknown> {
    this.#at++;
    const object: Record<string, unknown> = {};
    const seen = new Set<string>();
    if (this.#consume("}")) return object;
    do {
      this.#skipWhitespace();
      if (this.#text[this.#at] !== '"') this.#fail(`expected a field name in quotes, found ${this.#describeNext()}`);
      const key = this.#string();
      this.#expect(":");
      this.#path.push(key);
      if (seen.has(key)) this.#duplicates.push({ path: [...this.#path] });
      seen.add(key);
      // defineProperty: `__proto__` stays a field (an assignment would replace the prototype).
      Object.defineProperty(object, key, { value: this.#value(depth), enumerable: true, writable: true, configurable: true });
      this.#path.pop();
    } while (this.#consume(","));
    this.#expect("}");
    return object;
  }

  #array(depth: number): unknown[] {
    this.#at++;
    const array: unknown[] = [];
    if (this.#consume("]")) return array;
    do {
      this.#path.push(array.length);
      array.push(this.#value(depth));
      this.#path.pop();
    } while (this.#consume(","));
    this.#expect("]");
    return array;
  }

  #string(): string {
    this.#at++;
    let out = "";
    for (;;) {
      PLAIN_CHARS.lastIndex = this.#at;
      out += PLAIN_CHARS.exec(this.#text)![0];
      this.#at = PLAIN_CHARS.lastIndex;
      const c = this.#text[this.#at];
      if (c === '"') {
        this.#at++;
        return out;
      }
      if (c === undefined) this.#fail("unterminated string");
      if (c !== "\\") this.#fail("control character in a string (write it as an escape such as \\n)");
      const e = this.#text[this.#at + 1];
      if (e === "u") {
        const hex = this.#text.slice(this.#at + 2, this.#at + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.#fail("\\u must be followed by four hex digits");
        out += String.fromCharCode(parseInt(hex, 16));
        this.#at += 6;
      } else if (e !== undefined && Object.hasOwn(ESCAPES, e)) {
        out += ESCAPES[e];
        this.#at += 2;
      } else {
        this.#fail(`invalid escape \\${e ?? ""}`);
      }
    }
  }

  #number(): number {
    NUMBER.lastIndex = this.#at;
    const match = NUMBER.exec(this.#text);
    if (!match) this.#fail("invalid number");
    this.#at = NUMBER.lastIndex;
    return Number(match![0]);
  }

  #skipWhitespace(): void {
    WHITESPACE.lastIndex = this.#at;
    WHITESPACE.exec(this.#text);
    this.#at = WHITESPACE.lastIndex;
  }

  #consume(char: string): boolean {
    this.#skipWhitespace();
    if (this.#text[this.#at] !== char) return false;
    this.#at++;
    return true;
  }

  #expect(char: string): void {
    if (!this.#consume(char)) this.#fail(`expected "${char}", found ${this.#describeNext()}`);
  }

  #describeNext(): string {
    const c = this.#text[this.#at];
    if (c === undefined) return "the end of the text";
    // Invisible characters (a byte-order mark, a no-break space) are named by their code.
    return /[\p{L}\p{N}\p{P}\p{S}]/u.test(c) ? JSON.stringify(c) : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  }

  #fail(message: string): never {
    const before = this.#text.slice(0, this.#at);
    const line = before.split("\n").length;
    throw new JsonSyntaxError(message, line, this.#at - before.lastIndexOf("\n"));
  }
}

const LITERALS: [string, unknown][] = [
  ["true", true],
  ["false", false],
  ["null", null],
];
