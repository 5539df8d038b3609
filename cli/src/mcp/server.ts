import { newToken } from "../loopback-http.ts";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parsePolicy } from "../../../wasm-runtime/policy/index.ts";
import { loadAlertHook } from "../alerts.ts";
import { UsageError } from "../options.ts";
import { checkEnforceable, policyOf } from "../run-command.ts";
import { RunnerPool } from "../runner-pool.ts";
import { secretValues } from "../secret-values.ts";
import { serveHttp } from "./http.ts";
import { MCP_USAGE, parseMcpOptions, type McpOptions } from "./options.ts";
import { MAX_MESSAGE_BYTES, Session, type ServerContext } from "./session.ts";
import { LineStdioTransport } from "./stdio-transport.ts";
import { createSessionServer } from "./tools.ts";

const VERSION = "0.1.0";

/**
 * `playpen mcp`: one server, many sessions (one per client connection), each
 * run on a runner process of its own from a warm pool, as `playpen run` gets
 * in the daemon. Returns once the server is listening; stdio ends the process
 * when the client closes its end.
 */
export async function serveMcp(argv: readonly string[]): Promise<void> {
  let options: McpOptions;
  let context: ServerContext;
  const pool = new RunnerPool();
  try {
    options = parseMcpOptions(argv);
    context = await contextOf(options, process.cwd(), pool);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`playpen mcp: ${error.message}\n\n${MCP_USAGE}\n`);
    process.exit(2);
  }
  pool.warm();
  const stop = () => {
    pool.close();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  const sessionDir = options.sessionDir && path.resolve(options.sessionDir);
  if (options.httpPort !== undefined) {
    const token = process.env.PLAYPEN_MCP_TOKEN || newToken();
    const { port } = await serveHttp({ port: options.httpPort, token, context, version: VERSION, ...(sessionDir && { sessionDir }) });
    process.stderr.write(`playpen mcp: listening on http://127.0.0.1:${port}/mcp\nplaypen mcp: token ${token}\n`);
    return;
  }
  const session = await Session.open(context, sessionDir);
  const server = createSessionServer(context, session, VERSION);
  const transport = new LineStdioTransport(MAX_MESSAGE_BYTES);
  transport.onerror = (error) => void process.stderr.write(`playpen mcp: ${error.message}\n`);
  transport.onclose = () => void session.close().finally(stop);
  await server.connect(transport);
}

/** The server's sandbox settings from `playpen run`'s flags, read as `playpen run` reads them. */
async function contextOf(options: McpOptions, cwd: string, pool: RunnerPool): Promise<ServerContext> {
  const run = options.run;
  const given = await policyOf(run, cwd);
  const ceiling = options.timeoutGiven ? parsePolicy({ ...given, limits: { ...given.limits, wallMs: run.timeoutMs } }) : given;
  const engine = run.engine ?? "gated";
  checkEnforceable(engine, ceiling, run);
  const secrets = await secretValues(run.secrets, run.secretsFile, cwd, (name) => process.env[name]);
  const tools: Record<string, string> = {};
  for (const [name, file] of Object.entries(run.toolFiles)) {
    tools[name] = await readFile(path.resolve(cwd, file), "utf8").catch((error: Error) => {
      throw new UsageError(`cannot read the tool "${name}" from "${file}": ${error.message}`);
    });
  }
  const alertHook = run.alertHookFile === undefined ? undefined : await loadAlertHook(path.resolve(cwd, run.alertHookFile)).catch((error: Error) => {
    throw new UsageError(`cannot load the alert hook "${run.alertHookFile}": ${error.message}`);
  });
  return { ceiling, engine, secrets, env: run.env, tools, backend: pool.runSandbox, ...(alertHook && { alertHook }) };
}
