import { openSync, closeSync } from "node:fs";
import { createReadStream, createWriteStream } from "node:fs";
import { createInterface } from "node:readline/promises";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";

/** The person's answer, and through which channel it came (shown to the agent and in the audit). */
export interface Approval {
  approved: boolean;
  via: "elicitation" | "terminal" | "nobody";
  /** Why, when refused without a person's answer. */
  reason?: string;
}

/**
 * Asks the person to approve `question`: through the MCP client's
 * elicitation when the client supports it (the person sees it in the agent's
 * interface), else on the server's terminal (/dev/tty), else nobody can
 * approve and the answer is no. Never the agent's own answer: the agent
 * cannot reach /dev/tty, and elicitation is answered by the client's user.
 */
export async function askThePerson(server: Server, question: string): Promise<Approval> {
  if (server.getClientCapabilities()?.elicitation) {
    const answer = await server.elicitInput({
      message: question,
      requestedSchema: { type: "object", properties: { approve: { type: "boolean", title: "Approve this policy", description: "true grants it to this session" } }, required: ["approve"] },
    });
    const approved = answer.action === "accept" && answer.content?.approve === true;
    return { approved, via: "elicitation", ...(!approved && { reason: `the person answered ${answer.action === "accept" ? "no" : answer.action}` }) };
  }
  const terminal = openTerminal();
  if (!terminal) return { approved: false, via: "nobody", reason: "nobody can approve it: the MCP client does not support elicitation and the server has no terminal. Ask the person to restart playpen mcp with a wider policy" };
  const input = createReadStream("", { fd: terminal.read, autoClose: true });
  const output = createWriteStream("", { fd: terminal.write, autoClose: true });
  const prompt = createInterface({ input, output });
  try {
    const reply = await prompt.question(`\nplaypen mcp: ${question}\nApprove? [y/N] `);
    const approved = /^y(es)?$/i.test(reply.trim());
    return { approved, via: "terminal", ...(!approved && { reason: "the person answered no on the terminal" }) };
  } finally {
    prompt.close();
    input.destroy();
    output.destroy();
  }
}

/** The controlling terminal, opened for reading and writing; null when the server has none (started by a GUI client, or detached). */
function openTerminal(): { read: number; write: number } | null {
  let read: number | undefined;
  try {
    read = openSync("/dev/tty", "r");
    return { read, write: openSync("/dev/tty", "w") };
  } catch {
    if (read !== undefined) closeSync(read);
    return null;
  }
}
