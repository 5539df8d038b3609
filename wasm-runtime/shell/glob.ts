import type { ShellFiles } from "./files.ts";
import { resolvePath } from "./paths.ts";

/**
 * Pathname expansion against the sandbox's filesystem. A pattern is the word
 * with quoted characters escaped by a backslash, so `"*".txt` stays literal
 * while `*.txt` globs.
 */

const GLOB_CHAR = /(?<!\\)(?:\\\\)*[*?[]/;

export function hasGlob(pattern: string): boolean {
  return GLOB_CHAR.test(pattern);
}

/** Escapes the characters a glob gives meaning to, for text that came from quotes. */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, "\\$&");
}

export function unescapeGlob(pattern: string): string {
  return pattern.replace(/\\(.)/g, "$1");
}

/** The paths matching `pattern` (relative ones stay relative to `cwd`), sorted; empty when none does. */
export async function expandGlob(pattern: string, cwd: string, files: ShellFiles): Promise<string[]> {
  const absolute = pattern.startsWith("/");
  const segments = pattern.split("/").filter((s) => s !== "");
  let matches = [absolute ? "/" : ""];
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const prefix of matches) {
      if (!hasGlob(segment)) {
        next.push(join(prefix, unescapeGlob(segment)));
        continue;
      }
      const regex = globRegex(segment);
      const entries = await files.list(resolvePath(cwd, prefix || "."));
      for (const entry of entries) {
        // Hidden files match only a pattern that starts with a dot, as in every shell.
        if (entry.name.startsWith(".") && !segment.startsWith(".") && !segment.startsWith("\\.")) continue;
        if ((last || entry.kind === "directory") && regex.test(entry.name)) next.push(join(prefix, entry.name));
      }
    }
    matches = next;
  }
  return matches.sort();
}

function join(prefix: string, name: string): string {
  return prefix === "" ? name : prefix.endsWith("/") ? prefix + name : `${prefix}/${name}`;
}

/** One path segment's pattern as a regular expression: `*`, `?`, `[…]` (with `!` or `^`), backslash escapes. */
export function globRegex(segment: string): RegExp {
  let source = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "\\" && i + 1 < segment.length) source += escapeRegex(segment[++i]!);
    else if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[") {
      const close = segment.indexOf("]", i + 2);
      if (close < 0) {
        source += "\\[";
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negated = body.startsWith("!") || body.startsWith("^");
      if (negated) body = body.slice(1);
      source += `[${negated ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = close;
    } else source += escapeRegex(c);
  }
  return new RegExp(`^${source}$`, "s");
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
