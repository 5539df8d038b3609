import { createInterface } from "node:readline/promises";
import type { AccessRequest } from "../../wasm-runtime/index.ts";
import { answerOf, askQuestion } from "./ask-question.ts";
import { nodeEngines } from "./node-engine.ts";
import { runCommand } from "./run-command.ts";

/** Runs one command in this process, without a daemon (PLAYPEN_NO_DAEMON=1, or no daemon could start). */
export async function runInProcess(argv: string[], stdin: Uint8Array | undefined): Promise<number> {
  const ask = process.stdin.isTTY
    ? async (request: AccessRequest, syscall: string) => {
        const terminal = createInterface({ input: process.stdin, output: process.stderr });
        try {
          return answerOf(await terminal.question(askQuestion(request, syscall)));
        } finally {
          terminal.close();
        }
      }
    : undefined;
  const write = (stream: "stdout" | "stderr", text: string) => process[stream].write(text);
  return runCommand(argv, { cwd: process.cwd(), stdin, write, env: (name) => process.env[name], ...(ask && { ask }) }, nodeEngines());
}
