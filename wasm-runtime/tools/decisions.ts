import { describeResource, type AccessRequest, type AuditEvent, type Verdict } from "../capabilities.ts";
import { auditEvent, explainDenial } from "../policy/index.ts";
import type { AskAnswer } from "../types.ts";
import type { Permission } from "./tool.ts";

export type Ask = (request: AccessRequest, syscall: string) => Promise<AskAnswer>;

/**
 * Turns the verdicts of one run's tool calls into final decisions: asks the
 * person when the verdict is `ask` (no one to ask means deny), remembers
 * "allow always" for the rest of the run, and audits every decision.
 */
export class ToolDecisions {
  readonly #runId: string;
  readonly #ask: Ask | undefined;
  readonly #audit: (event: AuditEvent) => void;
  readonly #allowedByAnswer = new Set<string>();

  constructor(runId: string, ask: Ask | undefined, audit: (event: AuditEvent) => void) {
    this.#runId = runId;
    this.#ask = ask;
    this.#audit = audit;
  }

  async settle(request: AccessRequest, verdict: Verdict, syscall: string): Promise<Permission> {
    const resource = describeResource(request);
    let { decision, rule } = verdict;
    if (decision === "ask") {
      const key = `${request.capability}:${resource}`;
      if (this.#allowedByAnswer.has(key)) {
        decision = "allow";
        rule = "answered: allow always";
      } else {
        const answer = this.#ask ? await this.#ask(request, syscall).catch(() => "deny" as const) : "deny";
        decision = answer === "deny" ? "deny" : "allow";
        rule = `answered: ${answer === "once" ? "allow once" : answer === "always" ? "allow always" : "deny"}`;
        if (answer === "always") this.#allowedByAnswer.add(key);
      }
    }
    const event = auditEvent(this.#runId, request, decision, rule, syscall);
    this.#audit(event);
    return { allowed: decision === "allow", rule, ...(decision === "deny" && { explanation: explainDenial(event) }) };
  }
}
