import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const DOC = path.resolve(import.meta.dirname, "../../docs/benchmarks.md");

/**
 * Writes a bench script's own section of docs/benchmarks.md, between
 * `<!-- BEGIN GENERATED: NAME -->` and `<!-- END GENERATED: NAME -->`, leaving
 * the rest of the page as it is; a section not there yet is appended with `intro`
 * (a heading and a sentence) before it.
 */
export function writeDocSection(name: string, body: string, intro = ""): void {
  const begin = `<!-- BEGIN GENERATED: ${name} -->`;
  const end = `<!-- END GENERATED: ${name} -->`;
  const section = `${begin}\n${body.trim()}\n${end}`;
  const doc = readFileSync(DOC, "utf8");
  const at = doc.indexOf(begin);
  const to = doc.indexOf(end);
  const next = at >= 0 && to > at ? doc.slice(0, at) + section + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n${intro ? `${intro.trim()}\n\n` : ""}${section}\n`;
  writeFileSync(DOC, next);
}
