import { useEffect, useState } from "react";
import { CompareFigures } from "./CompareFigures.tsx";
import { LivePanel } from "./LivePanel.tsx";
import { loadReference, type CompareResult } from "./result.ts";

type Reference = { state: "loading" } | { state: "loaded"; result: CompareResult } | { state: "failed"; message: string };
type Source = "reference" | "live";

/**
 * The Compare view: the WebAssembly sandbox beside the native isolation one
 * would otherwise use, on the same workloads and probes. Shows the committed
 * reference result, or a live run on this machine.
 */
export function ComparePage({ initialToken }: { initialToken: string }) {
  const [reference, setReference] = useState<Reference>({ state: "loading" });
  const [live, setLive] = useState<CompareResult | null>(null);
  const [source, setSource] = useState<Source>("reference");

  useEffect(() => {
    const controller = new AbortController();
    loadReference(controller.signal).then(
      (result) => setReference({ state: "loaded", result }),
      (error: unknown) => {
        if (!controller.signal.aborted) setReference({ state: "failed", message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, []);

  const referenceResult = reference.state === "loaded" ? reference.result : null;
  const showing: Source = source === "live" && live ? "live" : "reference";
  const shown = showing === "live" ? live : referenceResult;

  return (
    <section className="compare" data-testid="compare" data-source={showing}>
      <header className="compare-head">
        <h2>WebAssembly sandbox vs native isolation — measured, not claimed</h2>
        <p>
          The same C programs and containment probes, run in Playpen's two WebAssembly engines and under the native sandboxes an operator would
          otherwise reach for, each configured carefully (no capabilities, read-only root, no network, memory and process limits where it has them).
          Every layer of isolation costs something; these figures show how much, and what each layer actually stops.
        </p>
        <label>
          Showing{" "}
          <select data-testid="compare-source" value={showing} onChange={(e) => setSource(e.target.value as Source)}>
            <option value="reference">Reference result (committed)</option>
            <option value="live" disabled={!live}>
              Live (this machine, now)
            </option>
          </select>
        </label>
      </header>
      <LivePanel
        reference={referenceResult}
        initialToken={initialToken}
        onResult={(result) => {
          setLive(result);
          setSource("live");
        }}
      />
      {reference.state === "loading" && !shown && <p className="muted">Loading the reference result…</p>}
      {reference.state === "failed" && (
        <p className="notice" data-testid="compare-error">
          {reference.message}
        </p>
      )}
      {shown && <CompareFigures result={shown} />}
    </section>
  );
}
