import type { CompareResult } from "./result.ts";

/** Each backend's known limits, and why an unavailable one was skipped. */
export function BackendNotes({ result }: { result: CompareResult }) {
  return (
    <ul className="explain" data-testid="backend-notes">
      {result.backends.map((b) => (
        <li key={b.name} className={b.available ? b.kind : "unavailable"}>
          <strong>{b.kind === "wasm" ? `◆ ${b.title}` : b.title}</strong>
          {b.version && <span className="muted"> {b.version}</span>}
          {b.available ? ` — ${b.notes}` : <> — unavailable: {b.reason ?? "no reason given"}</>}
        </li>
      ))}
    </ul>
  );
}
