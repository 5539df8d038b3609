import { useMemo, useState } from "react";
import type { TraceCall } from "../../wasm-runtime/index.ts";
import { download } from "../workspace/download.ts";
import { errnoLabel } from "./errno-names.ts";

/** Calls drawn at most; the filter and the export cover every call. */
const SHOWN_CALLS = 2000;

/** A call's arguments in full: paths decoded, 64-bit values as numbers. */
function argsText(call: TraceCall): string {
  const args = call.args.map(String).join(", ");
  return call.paths ? `${call.paths.join(" → ")}  (${args})` : args;
}

const resultText = (call: TraceCall) => (call.result === undefined ? "—" : errnoLabel(call.result));

/** The verbose mode's view: every WASI call of the run, with its paths, errno (by name) and time; filter, expand, export. */
export function TraceLog({ calls, truncated }: { calls: readonly TraceCall[]; truncated: boolean }) {
  const [text, setText] = useState("");
  const [failedOnly, setFailedOnly] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const shown = useMemo(() => {
    const needle = text.toLowerCase();
    return calls
      .map((call, index) => ({ call, index }))
      .filter(({ call }) => (!failedOnly || (call.result !== undefined && call.result !== 0)) && (!needle || `${call.name} ${argsText(call)} ${resultText(call)}`.toLowerCase().includes(needle)));
  }, [calls, text, failedOnly]);
  if (calls.length === 0) return <p className="muted">Tick “Trace calls” and run on the gated engine to see every WASI call the program makes.</p>;
  const exportJson = () =>
    download(
      "playpen-trace.json",
      new TextEncoder().encode(JSON.stringify(
        calls.map((call) => ({ ...call, args: call.args.map((a) => (typeof a === "bigint" ? a.toString() : a)), ...(call.result !== undefined && { errno: errnoLabel(call.result) }) })),
        null,
        1,
      )),
      "application/json",
    );
  return (
    <div className="trace" data-testid="trace-log">
      <div className="audit-filters">
        <input placeholder="filter: call, path, errno…" value={text} onChange={(e) => setText(e.target.value)} aria-label="Filter the trace" data-testid="trace-filter" />
        <label className="muted">
          <input type="checkbox" checked={failedOnly} onChange={(e) => setFailedOnly(e.target.checked)} data-testid="trace-failed-only" /> failed only
        </label>
        <button type="button" onClick={exportJson} data-testid="trace-export">
          Export JSON
        </button>
      </div>
      <div className="muted" data-testid="trace-count">
        {shown.length === calls.length ? `${calls.length} calls` : `${shown.length} of ${calls.length} calls`}
        {truncated && " (the first ones kept; the run made more)"}
        {shown.length > SHOWN_CALLS && `, showing the first ${SHOWN_CALLS}`}
      </div>
      <ol className="trace-rows">
        {shown.slice(0, SHOWN_CALLS).map(({ call, index }) => {
          const args = argsText(call);
          return (
            <li key={index} className={`${call.result ? "failed" : ""}${open === index ? " expanded" : ""}`} onClick={() => setOpen(open === index ? null : index)} title="Click for the call's full arguments">
              <span className="name">{call.name}</span>
              <span className="args" title={args}>
                {args}
              </span>
              <span className="result" title={call.result === undefined ? "the call did not return" : `errno ${call.result}`}>
                {resultText(call)}
              </span>
              <span className="time">{(call.durationNs / 1000).toFixed(0)} µs</span>
              {open === index && (
                <pre className="trace-detail" data-testid="trace-detail">
                  {call.name}({args})
                  {"\n"}→ {call.result === undefined ? "did not return" : `${errnoLabel(call.result)} (errno ${call.result})`} in {(call.durationNs / 1000).toFixed(1)} µs
                </pre>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
