import { readFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "./options.ts";

/**
 * Where the values of a run's secrets come from: `--secret NAME=VALUE`,
 * `--secret NAME` (the caller's environment) and `--secrets-file FILE`
 * (dotenv). No error message, log line or argument list ever holds a value:
 * errors name the flag, the line and the name only.
 */

/** `--secret NAME=VALUE` or `--secret NAME`, as given (the value not yet looked up). */
export interface SecretOption {
  name: string;
  value?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function secretOptionOf(text: string): SecretOption {
  const eq = text.indexOf("=");
  const name = eq < 0 ? text : text.slice(0, eq);
  if (!NAME.test(name)) {
    // The text may be a value put in the wrong place: name what is wrong, never echo it.
    throw new UsageError(`--secret takes NAME=VALUE or NAME (a value from your environment); ${eq === 0 ? "the name is missing" : "the name must be letters, digits and _, not starting with a digit"}`);
  }
  return eq < 0 ? { name } : { name, value: text.slice(eq + 1) };
}

/** The values, in order: the file's first, then each --secret (a later one wins). */
export async function secretValues(
  options: readonly SecretOption[],
  file: string | undefined,
  cwd: string,
  callerEnv: (name: string) => string | undefined,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(path.resolve(cwd, file), "utf8");
    } catch (error) {
      throw new UsageError(`cannot read the secrets file "${file}": ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
    }
    Object.assign(values, parseDotenv(text, file));
  }
  for (const { name, value } of options) {
    const chosen = value ?? callerEnv(name);
    if (chosen === undefined) throw new UsageError(`--secret ${name}: there is no variable ${name} in your environment (or give --secret ${name}=VALUE)`);
    values[name] = chosen;
  }
  return values;
}

/**
 * dotenv: `NAME=VALUE` per line, optionally after `export `; blank lines and
 * `#` comments skipped; a value in single quotes is literal, in double quotes
 * it may span lines and knows `\n`, `\t`, `\"` and `\\`; an unquoted value ends
 * at ` #` and is trimmed.
 */
export function parseDotenv(text: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const lineNumber = i + 1;
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/s.exec(line);
    if (!match) throw new UsageError(`${file}, line ${lineNumber}: expected NAME=VALUE (names are letters, digits and _)`);
    const name = match[1]!;
    let rest = match[2]!;
    if (rest.startsWith("'") || rest.startsWith('"')) {
      const quote = rest[0]!;
      // A double-quoted value may go on over the next lines until its closing quote.
      while (!closes(rest, quote) && i + 1 < lines.length) rest += `\n${lines[++i]!}`;
      if (!closes(rest, quote)) throw new UsageError(`${file}, line ${lineNumber}: the value of ${name} has no closing ${quote}`);
      const end = closingIndex(rest, quote);
      const trailing = rest.slice(end + 1).trim();
      if (trailing !== "" && !trailing.startsWith("#")) throw new UsageError(`${file}, line ${lineNumber}: unexpected text after the quoted value of ${name}`);
      const inner = rest.slice(1, end);
      values[name] = quote === "'" ? inner : inner.replace(/\\([nt"\\])/g, (_, c: string) => ({ n: "\n", t: "\t" })[c] ?? c);
    } else {
      values[name] = rest.replace(/\s+#.*$/, "").trim();
    }
  }
  return values;
}

function closingIndex(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function closes(text: string, quote: string): boolean {
  return closingIndex(text, quote) > 0;
}
