import type { TraceCall } from "../../wasm-runtime/index.ts";

/** Calls drawn at most; the rest are counted. */
const SHOWN_CALLS = 2000;

/** The verbose mode's view: every WASI call of the run, with its paths, errno and time. */
export function TraceLog({ calls, truncated }: { calls: readonly TraceCall[]; truncated: boolean }) {
  if (calls.length === 0) return <p className="muted">Tick “Trace calls” and run on the gated engine to see every WASI call the program makes.</p>;
  return (
    <div className="trace" data-testid="trace-log">
      <div className="muted">
        {calls.length} calls{truncated && " (the first ones kept; the run made more)"}
        {calls.length > SHOWN_CALLS && `, showing the first ${SHOWN_CALLS}`}
      </div>
      <ol className="trace-rows">
        {calls.slice(0, SHOWN_CALLS).map((call, i) => (
          <li key={i} className={call.result ? "failed" : ""}>
            <span className="name">{call.name}</span>
            <span className="args">{call.paths?.join(" → ") ?? call.args.map(String).join(", ")}</span>
            <span className="result">{call.result === undefined ? "—" : call.result === 0 ? "ok" : `errno ${call.result}`}</span>
            <span className="time">{(call.durationNs / 1000).toFixed(0)} µs</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
