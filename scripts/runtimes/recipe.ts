/** One runtime the build produces: where it comes from and how its module is made. */
export interface RuntimeRecipe {
  /** The manifest's `name`; the module is served as public/runtimes/<file>. */
  name: string;
  /** The upstream version, as the runtime reports it. */
  version: string;
  /** Where the source comes from: `npm:<package>@<version>` or `debian:<package>=<version>`. */
  source: string;
  file: string;
  /** For a multi-call module: the commands argv[0] may name (the manifest's `commands`). */
  commands?: readonly string[];
  /** Files whose content decides the output besides the source (scripts, shims, patches). */
  inputs: readonly string[];
  /** What this machine lacks to build it, or undefined when it can. */
  missing(): string | undefined;
  /** Produces the module (before stripping and the poll fix); `log` reports progress. */
  build(log: (line: string) => void): Promise<Uint8Array>;
}
