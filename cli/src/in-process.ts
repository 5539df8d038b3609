import { terminalOutput } from "../bin/terminal.mjs";
import { nodeEngines } from "./node-engine.ts";
import { runCommand } from "./run-command.ts";

/** Runs one command in this process, without a daemon (PLAYPEN_NO_DAEMON=1, or no daemon could start). */
export async function runInProcess(argv: string[], stdin: Uint8Array | undefined): Promise<number> {
  const { terminals, write, prompt } = terminalOutput();
  const io = { cwd: process.cwd(), stdin, write, terminal: terminals, env: (name: string) => process.env[name], ...(process.stdin.isTTY && { prompt }) };
  return runCommand(argv, io, nodeEngines());
}
