import { useMemo, useState } from "react";
import type { AuditEvent, Capability } from "../../wasm-runtime/index.ts";
import { RUNTIME_RULE, type PolicyFragment } from "../../wasm-runtime/policy/index.ts";
import { download } from "../workspace/download.ts";

/** Rows drawn at most; counts and the export always cover every event. */
const SHOWN_ROWS = 1000;
const CAPABILITIES: readonly Capability[] = ["file", "network", "env", "secret", "tool", "command", "clock", "random"];

interface Props {
  events: readonly AuditEvent[];
  runStartedAt: number;
  /** "Allow this" on a denial: add exactly the fix's rules to the policy being edited. */
  onAllow: (fragment: PolicyFragment) => void;
}

/** The live audit timeline: every policy decision of the runs so far, filterable, exportable; a denial says how to allow it. */
export function AuditLog({ events, runStartedAt, onAllow }: Props) {
  const [capability, setCapability] = useState<Capability | "">("");
  const [decision, setDecision] = useState<"" | "allow" | "deny">("");
  const [text, setText] = useState("");
  /** The runtime's own start-up reads show as one row until opened. */
  const [startupOpen, setStartupOpen] = useState(false);

  const counts = useMemo(() => {
    const byCapability = new Map<Capability, { allow: number; deny: number }>();
    for (const e of events) {
      const c = byCapability.get(e.capability) ?? { allow: 0, deny: 0 };
      c[e.decision] += e.count ?? 1;
      byCapability.set(e.capability, c);
    }
    return byCapability;
  }, [events]);

  const shown = useMemo(() => {
    const needle = text.toLowerCase();
    const matching = events.filter(
      (e) =>
        (!capability || e.capability === capability) &&
        (!decision || e.decision === decision) &&
        (!needle || `${e.resource} ${e.rule} ${e.syscall}`.toLowerCase().includes(needle)),
    );
    return { rows: matching.slice(-SHOWN_ROWS), total: matching.length };
  }, [events, capability, decision, text]);

  const exportJsonl = () => download("playpen-audit.jsonl", new TextEncoder().encode(events.map((e) => `${JSON.stringify(e)}\n`).join("")), "application/x-ndjson");

  return (
    <div className="audit" data-testid="audit-log">
      <div className="audit-counts" data-testid="audit-counts">
        {CAPABILITIES.filter((c) => counts.has(c)).map((c) => (
          <button key={c} type="button" className={`chip ${capability === c ? "active" : ""}`} onClick={() => setCapability(capability === c ? "" : c)}>
            {c} <span className="allow">{counts.get(c)!.allow}</span>/<span className="deny">{counts.get(c)!.deny}</span>
          </button>
        ))}
        {events.length === 0 && <span className="muted">No decisions yet: run something on the gated engine.</span>}
      </div>
      <div className="audit-filters">
        <select value={capability} onChange={(e) => setCapability(e.target.value as Capability | "")} aria-label="Capability" data-testid="audit-capability">
          <option value="">every capability</option>
          {CAPABILITIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select value={decision} onChange={(e) => setDecision(e.target.value as "" | "allow" | "deny")} aria-label="Decision" data-testid="audit-decision">
          <option value="">allowed and denied</option>
          <option value="allow">allowed</option>
          <option value="deny">denied</option>
        </select>
        <input placeholder="filter: path, rule, call…" value={text} onChange={(e) => setText(e.target.value)} aria-label="Filter text" />
        <button type="button" onClick={exportJsonl} disabled={events.length === 0} data-testid="audit-export">
          Export JSONL
        </button>
      </div>
      {shown.total > shown.rows.length && <div className="muted">showing the last {shown.rows.length} of {shown.total}</div>}
      <ol className="audit-rows">
        {groupStartup(shown.rows).map((item, i) =>
          item.kind === "startup" && !startupOpen ? (
            <li key={`startup-${i}`} className="allow startup" data-capability="file" data-decision="allow" data-testid="audit-startup">
              <span className="time">+{Math.max(0, item.events[0]!.time - runStartedAt)} ms</span>
              <span className="capability">file</span>
              <span className="resource">runtime start-up: {item.events.length} reads of its own files</span>
              <span className="decision">allow</span>
              <span className="why">
                {RUNTIME_RULE}: the runtime's files are always readable, never writable ·{" "}
                <button type="button" className="link" onClick={() => setStartupOpen(true)}>
                  show them
                </button>
              </span>
            </li>
          ) : (
            (item.kind === "startup" ? item.events : [item.event]).map((e, j) => (
                <li key={`${i}-${j}`} className={e.decision} data-capability={e.capability} data-decision={e.decision}>
                  <span className="time">+{Math.max(0, e.time - runStartedAt)} ms</span>
                  <span className="capability">{e.capability}</span>
                  <span className="resource" title={e.resource}>
                    {e.resource}
                  </span>
                  <span className="decision">{e.decision}</span>
                  <span className="why" title={`${e.rule} · ${e.syscall}`}>
                    {e.runtime && <span data-testid="audit-runtime">the runtime's own files · </span>}
                    {e.rule} · {e.syscall}
                    {e.count !== undefined && <span data-testid="audit-count"> · ×{e.count}</span>}
                  </span>
                  {e.fix && (
                    <span className="fix" title={e.fix.text}>
                      {e.fix.policy ? (
                        <button type="button" onClick={() => onAllow(e.fix!.policy!)} data-testid="allow-this">
                          Allow this
                        </button>
                      ) : null}{" "}
                      <span data-testid="denial-fix">{e.fix.policy ? (e.fix.flag ?? "") : e.fix.text}</span>
                    </span>
                  )}
                </li>
              ))
            ),
        )}
      </ol>
    </div>
  );
}

type Item = { kind: "event"; event: AuditEvent } | { kind: "startup"; events: AuditEvent[] };

/** Runs of the runtime's own reads (its rule, not the policy's) become one item: they are not the program's doing. */
function groupStartup(events: readonly AuditEvent[]): Item[] {
  const items: Item[] = [];
  for (const event of events) {
    const last = items.at(-1);
    if (event.rule !== RUNTIME_RULE) items.push({ kind: "event", event });
    else if (last?.kind === "startup") last.events.push(event);
    else items.push({ kind: "startup", events: [event] });
  }
  return items;
}
