import { createNodeEngine } from "./node-engine.ts";
import { runCommand } from "./run-command.ts";

/** Runs one command in this process, without a daemon (PLAYPEN_NO_DAEMON=1, or no daemon could start). */
export async function runInProcess(argv: string[], stdin: Uint8Array | undefined): Promise<number> {
  const engine = createNodeEngine();
  return runCommand(argv, { cwd: process.cwd(), stdin, write: (stream, text) => process[stream].write(text) }, engine);
}
