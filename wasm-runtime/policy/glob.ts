/**
 * The policy's pattern dialects for paths and names, compiled to predicates once per policy (hosts: hosts.ts).
 * Own code rather than picomatch: the dialects are tiny, must mean exactly what
 * schema.ts says, and the core may not pull in node: imports.
 */

export type Matcher = (subject: string) => boolean;

const escape = (text: string) => text.replace(/[.+^${}()|[\]\\]/g, "\\$&");

/**
 * Path glob over canonical absolute paths: `*` = any characters within one
 * segment, `?` = one character of a segment, `**` (a whole segment) = zero or
 * more segments, so `/a/**` also matches `/a`. Other characters are literal.
 */
export function compilePathGlob(glob: string): Matcher {
  if (!/[*?]/.test(glob)) return (path) => path === glob;
  // Matched as a run of "/segment" units, so the root "/" is the empty run.
  const units = glob === "/" ? [] : glob.slice(1).split("/");
  const source = units
    .map((unit) => (unit === "**" ? "(?:/[^/]+)*" : `/${escape(unit).replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}`))
    .join("");
  const re = new RegExp(`^${source}$`, "u");
  return (path) => re.test(path === "/" ? "" : path);
}

/** Name glob (variables, secrets, tools): `*` = any characters, `?` = one character, case-sensitive. */
export function compileNameGlob(glob: string): Matcher {
  if (glob === "*") return () => true;
  if (!/[*?]/.test(glob)) return (name) => name === glob;
  const re = new RegExp(`^${escape(glob).replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]")}$`, "u");
  return (name) => re.test(name);
}
