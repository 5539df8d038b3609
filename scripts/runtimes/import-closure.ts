import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

const RELATIVE_IMPORT = /(?:from|import)\s+"(\.{1,2}\/[^"]+)"/g;

/**
 * `entry` and every file it imports by relative path, directly or not: what a
 * build step's output can depend on, so that its build key changes with them
 * and with nothing else. Files `leaveOut` rejects are not followed.
 */
export function importClosure(entry: string, leaveOut: (file: string) => boolean = () => false): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || leaveOut(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(RELATIVE_IMPORT)) visit(resolve(dirname(file), specifier!));
  };
  visit(resolve(entry));
  return [...seen].sort();
}
