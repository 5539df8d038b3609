import type { AccessRequest, AuditEvent } from "../capabilities.ts";
import { auditEvent, compilePolicy, type Policy } from "../policy/index.ts";
import type { RunObserver } from "../types.ts";

/**
 * Decides, before a guest starts, which variables and secrets it will see:
 * each one is a policy decision (asked for when a rule says so) and an audit
 * event. What is not granted is absent, not empty. Secrets granted appear as
 * variables under their own name.
 */
export async function decideEnvironment(
  policy: Policy,
  vars: Record<string, string>,
  secrets: Record<string, string>,
  runId: string,
  ask: RunObserver["ask"],
): Promise<{ env: Record<string, string>; events: AuditEvent[] }> {
  const decider = compilePolicy(policy);
  const env: Record<string, string> = {};
  const events: AuditEvent[] = [];
  const consider = async (request: AccessRequest & { name: string }, value: string) => {
    let { decision, rule } = decider.decide(request);
    if (decision === "ask") {
      const answer = ask ? await ask(request, "environ_get").catch(() => "deny" as const) : "deny";
      decision = answer === "deny" ? "deny" : "allow";
      rule = `answered: ${answer}`;
    }
    events.push(auditEvent(runId, request, decision, rule, "environ_get"));
    if (decision === "allow") env[request.name] = value;
  };
  for (const [name, value] of Object.entries(vars)) await consider({ capability: "env", name }, value);
  for (const [name, value] of Object.entries(secrets)) await consider({ capability: "secret", name }, value);
  return { env, events };
}
