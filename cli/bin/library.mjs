// The package's entry in Node: `import { createSandbox } from "playpen"`.
// The sources are TypeScript, loaded through tsx as the CLI loads them.
import { tsImport } from "tsx/esm/api";

const library = await tsImport("../src/library.ts", import.meta.url);

export const { createSandbox, engineBackend, runFresh, runReportOf, alertsOf, PlaypenSandbox, parsePolicy, parsePolicyJson, PolicyError } = library;
