import type { Alert, AlertKind, AuditEvent, Capability, Severity } from "../capabilities.ts";
import { compilePathGlob } from "../policy/glob.ts";
import type { Policy } from "../policy/index.ts";
import type { Finding } from "./filter.ts";
import type { PlantedDecoys } from "./decoys.ts";
import type { ShapeFinding } from "./shapes.ts";

/** How long a window the per-second probing rule looks at. */
const SECOND_MS = 1000;

/**
 * The alert rules over one run's events. Each alert is an audit event with
 * `alert` set (kind, severity, message), raised once per thing it is about
 * (a path, a secret and where it went…), so a loop cannot flood the log.
 */
export class AlertRules {
  readonly #runId: string;
  readonly #raise: (event: AuditEvent) => void;
  readonly #thresholds: Policy["alerts"];
  readonly #protected: ((path: string) => boolean)[];
  readonly #decoyFiles: ReadonlySet<string>;
  readonly #decoySecrets: ReadonlySet<string>;
  readonly #raised = new Set<string>();
  #denialsInARow = 0;
  #denialTimes: number[] = [];

  constructor(policy: Policy, decoys: PlantedDecoys, runId: string, raise: (event: AuditEvent) => void) {
    this.#runId = runId;
    this.#raise = raise;
    this.#thresholds = policy.alerts;
    this.#protected = policy.alerts.protectedPaths.map(compilePathGlob);
    this.#decoyFiles = new Set(decoys.files.keys());
    this.#decoySecrets = new Set(Object.keys(decoys.secrets));
  }

  /** Looks at one decision of the run (never at an alert). */
  observe(event: AuditEvent): void {
    const about = { capability: event.capability, resource: event.resource, decision: event.decision, syscall: event.syscall };
    // A move names both ends, `from → to`: each is touched, and written.
    const paths = event.capability !== "file" ? [] : event.access === "move" ? event.resource.split(" → ") : [event.resource];
    if (paths.some((path) => this.#decoyFiles.has(path))) {
      this.#alert("decoy", "high", `decoy file ${event.resource} touched (${event.syscall}, ${event.decision === "allow" ? "allowed" : "denied"})`, about);
    }
    if (event.capability === "secret" && this.#decoySecrets.has(event.resource)) {
      this.#alert("decoy", "high", `decoy secret ${event.resource} asked for (${event.decision === "allow" ? "handed out" : "denied"})`, about);
    }
    const written = event.access === "write" || event.access === "move";
    if (written && paths.some((path) => this.#protected.some((matches) => matches(path)))) {
      const severity = event.decision === "allow" ? "high" : "medium";
      this.#alert("protected-path", severity, `write to protected path ${event.resource} ${event.decision === "allow" ? "allowed" : "attempted (denied)"}`, about);
    }
    if (event.rule.startsWith("rate limit")) {
      this.#alert("rate-limit", "low", `${event.capability} ${event.resource} hit the ${event.rule}`, about, event.resource);
    }
    if (event.rule === "answered: allow always") {
      this.#alert("policy-widened", "medium", `"Allow always" widened the policy during the run: ${event.capability} ${event.resource}`, about);
    }
    this.#countDenial(event, about);
  }

  /** A watched value was found leaving through `channel` (stdout, stderr, a file, a tool request…) and hidden or refused. */
  found(finding: Finding, channel: string, capability: Capability, syscall: string): void {
    const what = `${finding.decoy ? "decoy" : "secret"} ${finding.name}`;
    const spelling = `${finding.form}${finding.escaped ? ", escaped" : ""}`;
    const kind: AlertKind = finding.decoy ? "decoy" : channel.startsWith("request") ? "secret-in-request" : "secret-in-output";
    const outcome = channel.startsWith("request") ? "refused" : "hidden";
    this.#alert(kind, "high", `${what} found in ${channel} (${spelling}); ${outcome}`, { capability, resource: `${channel}: ${finding.name}`, decision: "deny", syscall }, `${finding.name}:${channel}`);
  }

  /**
   * Data shaped like a credential (an AWS key id, a PEM private key, a token…)
   * that is none of the run's secrets or decoys, seen in `channel`: whose it is
   * and how the run got it are for a person to look at. Named by its shape and
   * a hint, never in full.
   */
  shaped(finding: ShapeFinding, channel: string, capability: Capability, syscall: string): void {
    const message = `credential-shaped data in ${channel}: ${finding.kind} ${finding.hint}, not a secret given to the run`;
    this.#alert("secret-shaped", finding.severity, message, { capability, resource: `${channel}: ${finding.kind}`, decision: "allow", syscall }, `${finding.kind} ${finding.hint}:${channel}`);
  }

  #countDenial(event: AuditEvent, about: Omit<AuditEvent, "time" | "runId" | "rule">): void {
    if (event.decision !== "deny") {
      this.#denialsInARow = 0;
      return;
    }
    const { denialsInARow, denialsPerSecond } = this.#thresholds;
    if (++this.#denialsInARow === denialsInARow) {
      this.#alert("probing", "medium", `${denialsInARow} denials in a row, the last: ${event.capability} ${event.resource}`, about, "in a row");
    }
    const now = event.time;
    this.#denialTimes.push(now);
    while (this.#denialTimes.length > 0 && this.#denialTimes[0]! <= now - SECOND_MS) this.#denialTimes.shift();
    if (this.#denialTimes.length >= denialsPerSecond) {
      this.#alert("probing", "medium", `${this.#denialTimes.length} denials within a second, the last: ${event.capability} ${event.resource}`, about, "per second");
    }
  }

  #alert(kind: AlertKind, severity: Severity, message: string, about: Omit<AuditEvent, "time" | "runId" | "rule">, key = about.resource): void {
    const id = `${kind}:${key}`;
    if (this.#raised.has(id)) return;
    this.#raised.add(id);
    const alert: Alert = { kind, severity, message };
    this.#raise({ time: Date.now(), runId: this.#runId, ...about, rule: `alert: ${kind}`, alert });
  }
}
