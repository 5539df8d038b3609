import { describeResource, type AccessRequest, type AskAnswer } from "../../wasm-runtime/index.ts";

/** The terminal prompt for an `ask` decision, naming the exact resource, as Deno does. */
export function askQuestion(request: AccessRequest, syscall: string): string {
  const what = request.capability === "file" ? `${request.access} access to ${request.path}` : `${request.capability} access to ${describeResource(request)}`;
  return `playpen: the program asks for ${what} (${syscall}). Allow? [y]es once, [a]lways, [N]o: `;
}

/** y → once, a → always, anything else → deny. */
export function answerOf(reply: string): AskAnswer {
  const key = reply.trim().toLowerCase();
  return key === "y" || key === "yes" ? "once" : key === "a" || key === "always" ? "always" : "deny";
}
