import { BUILTIN_TOOLS } from "./builtins.ts";

/** What a user tool gets besides the guest's request. */
export interface UserToolContext {
  readonly runId: string;
  /** Aborted when the run ends: pass it to fetch and the like. */
  readonly signal: AbortSignal;
}

export type UserTool = (args: unknown, context: UserToolContext) => unknown;

/** Letters, digits, `_` and `-`: a file name in every shell and a plain string in every language. */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Turns RunRequest.tools (name → JavaScript source of a function) into
 * functions, once per run. The source is the user's own code, run with the
 * host's full powers (it is how agent tools are prototyped): it is evaluated
 * as an expression in the global scope, not confined. Throws an error naming
 * the tool when a name or a source is not usable.
 */
export function compileUserTools(sources: Readonly<Record<string, string>>): Map<string, UserTool> {
  const tools = new Map<string, UserTool>();
  for (const [name, source] of Object.entries(sources)) {
    if (!TOOL_NAME.test(name)) throw new Error(`tool name ${JSON.stringify(name)}: use 1 to 64 letters, digits, _ or -`);
    if (Object.hasOwn(BUILTIN_TOOLS, name)) throw new Error(`tool "${name}" is built in and cannot be redefined`);
    let tool: unknown;
    try {
      tool = new Function(`"use strict";\nreturn (${source}\n);`)();
    } catch (error) {
      throw new Error(`tool "${name}": ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
    }
    if (typeof tool !== "function") throw new Error(`tool "${name}": the source must be a function, such as async (args, context) => ({ ok: true })`);
    tools.set(name, tool as UserTool);
  }
  return tools;
}
