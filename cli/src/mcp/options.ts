import { parseRunOptions, UsageError, VALUE_FLAGS, type RunOptions } from "../options.ts";

export const MCP_USAGE = `usage: playpen mcp [--http PORT] [--session-dir DIR] [OPTIONS]

Serves Playpen as an MCP server: over stdio (default), or over Streamable HTTP on
127.0.0.1:PORT (--http; a bearer token is printed on stderr at start, every request
must carry it). Tools: run, write_file, read_file, list_files, delete_file,
get_policy, propose_policy, get_audit.
  --session-dir DIR    keep each session's files, granted policy and audit on disk
                       (stdio: DIR itself; HTTP: DIR/<session id>) instead of in memory
OPTIONS are playpen run's: --policy FILE and the --allow-/--deny- flags (the ceiling:
what sessions start with; an agent's propose_policy beyond it goes to the person),
--engine (default gated), --memory, --timeout (the ceiling's limits.wallMs), --tool,
--env, --secret, --secrets-file, --alert-hook.`;

/** Flags of `playpen run` that mean nothing to a server of sessions. */
const RUN_ONLY = ["--json", "--learn", "--audit", "--trace", "--mount", "--commit", "--cwd", "--lang", "--fail-on-alert"];

export interface McpOptions {
  /** The sandbox flags, parsed by `playpen run`'s own parser. */
  run: RunOptions;
  /** --http PORT: serve Streamable HTTP on loopback instead of stdio. */
  httpPort?: number;
  sessionDir?: string;
  /** --timeout was given: it becomes the ceiling's limits.wallMs (each run's limit, unless the call asks for less). */
  timeoutGiven: boolean;
}

/** `playpen mcp …`: the server's own flags, then `playpen run`'s (parsed by its parser, so they mean the same). */
export function parseMcpOptions(argv: readonly string[]): McpOptions {
  const [command, ...rest] = argv;
  if (command !== "mcp") throw new UsageError(`expected "mcp", not "${command}"`);
  const runFlags: string[] = [];
  let httpPort: number | undefined;
  let sessionDir: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = splitFlag(rest[i]!);
    const value = () => inline ?? rest[++i] ?? missing(flag);
    if (flag === "--http") httpPort = port(value());
    else if (flag === "--session-dir") sessionDir = value();
    else if (RUN_ONLY.includes(flag)) throw new UsageError(`${flag} is a playpen run flag that playpen mcp does not take`);
    else if (!flag.startsWith("--")) throw new UsageError(`playpen mcp takes no file: "${flag}"`);
    else if (VALUE_FLAGS.has(flag) && inline === undefined) runFlags.push(flag, value());
    else runFlags.push(rest[i]!);
  }
  // FILE is the placeholder `-`: every run's program comes from the client.
  const run = parseRunOptions(["run", ...runFlags, "-"]);
  const timeoutGiven = runFlags.some((flag) => flag === "--timeout" || flag.startsWith("--timeout="));
  return { run, timeoutGiven, ...(httpPort !== undefined && { httpPort }), ...(sessionDir !== undefined && { sessionDir }) };
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return arg.startsWith("--") && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function missing(flag: string): never {
  throw new UsageError(`${flag} needs a value`);
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--http takes a port (0–65535; 0 picks a free one), not "${value}"`);
  return n;
}
