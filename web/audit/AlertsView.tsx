import type { AuditEvent } from "../../wasm-runtime/index.ts";

/** The alerts of the runs so far (audit events with `alert` set), newest first, each with its severity. */
export function AlertsView({ alerts, runStartedAt }: { alerts: readonly AuditEvent[]; runStartedAt: number }) {
  return (
    <div className="alerts" data-testid="alerts">
      {alerts.length === 0 && (
        <span className="muted">
          No alerts. They are raised on the gated engine when a decoy is touched, a secret is found leaving, denials pile up, a rate limit is hit, a
          protected path is written or “Allow always” widens the policy.
        </span>
      )}
      <ol className="alert-rows">
        {[...alerts].reverse().map((e, i) => (
          <li key={i} className={`severity-${e.alert!.severity}`} data-kind={e.alert!.kind} data-severity={e.alert!.severity}>
            <span className="severity">{e.alert!.severity}</span>
            <span className="kind">{e.alert!.kind}</span>
            <span className="time">+{Math.max(0, e.time - runStartedAt)} ms</span>
            <span className="message">{e.alert!.message}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
