import type { Plugin } from "vite";

/** just-bash's parse entry point inside its minified browser bundle: `function NAME(e,t){return new CLASS().parse(e,t)}`. */
const PARSE_FUNCTION = /function ([A-Za-z_$][\w$]*)\(e,t\)\{return new [A-Za-z_$][\w$]*\(\)\.parse\(e,t\)\}/;

/**
 * just-bash (3.4) exports `parse` from its Node bundle but not from its
 * browser bundle, which has the same parser inside: this exports it there too,
 * so the shell parses with the same code in the worker as in Node. A later
 * bundle without that function fails the build here rather than at run time.
 */
export function justBashParse(): Plugin {
  return {
    name: "playpen:just-bash-parse",
    transform(code, id) {
      if (!id.replace(/\\/g, "/").endsWith("/just-bash/dist/bundle/browser.js")) return null;
      const name = PARSE_FUNCTION.exec(code)?.[1];
      if (!name) throw new Error("just-bash's browser bundle has no parse function this plugin recognises: check the just-bash version");
      return { code: `${code}\nexport { ${name} as parse };\n`, map: null };
    },
  };
}
