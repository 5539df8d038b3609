import { parseArgs } from "node:util";
import type { Language } from "../../wasm-runtime/index.ts";
import { DEFAULT_TIMEOUT_MS } from "../../wasm-runtime/index.ts";

export const USAGE = `usage: playpen run [--lang python|wasm] [--timeout MS] [--json] FILE|- [ARGS...]

Runs FILE (or the program read from stdin, with -) inside the WebAssembly sandbox.
  --lang LANG     python or wasm (default: from the file extension, .py or .wasm;
                  python for -)
  --timeout MS    wall-clock limit in milliseconds (default ${DEFAULT_TIMEOUT_MS})
  --json          print one JSON object {exitCode, reason, stdout, stderr, durationMs}
Without --json the guest's output streams through and playpen exits with the
guest's exit code (124 when the time limit is reached, 126 when it cannot run).
When FILE is not - and stdin is not a terminal, stdin is passed to the guest.`;

export interface RunOptions {
  language: Language;
  timeoutMs: number;
  json: boolean;
  file: string;
  args: string[];
}

/** A mistake in the command line: reported with the usage, exit status 2. */
export class UsageError extends Error {}

const EXTENSIONS: Record<string, Language> = { ".py": "python", ".wasm": "wasm" };

export function parseRunOptions(argv: readonly string[]): RunOptions {
  const [command, ...rest] = argv;
  if (command !== "run") throw new UsageError(command ? `unknown command "${command}"` : "missing command");
  // Playpen's own flags come first; everything from FILE on belongs to the guest, flags included.
  let fileIndex = 0;
  while (fileIndex < rest.length && rest[fileIndex]!.startsWith("--")) {
    const flag = rest[fileIndex]!;
    fileIndex += flag === "--lang" || flag === "--timeout" ? 2 : 1;
    if (flag === "--") break;
  }
  const own = rest.slice(0, fileIndex).filter((a) => a !== "--");
  const { values } = parseOwnFlags(own);
  const [file, ...args] = rest.slice(fileIndex);
  if (!file) throw new UsageError("missing FILE (use - to read the program from stdin)");
  return { language: languageOf(file, values.lang), timeoutMs: timeoutOf(values.timeout), json: values.json, file, args };
}

function languageOf(file: string, lang: string | undefined): Language {
  if (lang !== undefined) {
    if (lang === "python" || lang === "wasm") return lang;
    throw new UsageError(`unknown --lang "${lang}": expected python or wasm`);
  }
  if (file === "-") return "python";
  const ext = /\.[^./]+$/.exec(file)?.[0]?.toLowerCase() ?? "";
  const language = EXTENSIONS[ext];
  if (!language) {
    throw new UsageError(`cannot tell the language of "${file}" from its extension: pass --lang python|wasm`);
  }
  return language;
}

function timeoutOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new UsageError(`--timeout takes a positive whole number of milliseconds, not "${value}"`);
  return ms;
}

function parseOwnFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      options: {
        lang: { type: "string" },
        timeout: { type: "string" },
        json: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
