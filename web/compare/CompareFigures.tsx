import { BackendNotes } from "./BackendNotes.tsx";
import { BarChart } from "./charts/BarChart.tsx";
import { FigureMeta } from "./FigureMeta.tsx";
import { attackSurfaceBars, INTERFACE_WORDS, overheadFigure, RATIO_WORKLOADS, startupBars } from "./figures.ts";
import type { CompareResult } from "./result.ts";
import { formatMs, formatRatio, linearScale, logScale } from "./scale.ts";
import { Scorecard } from "./Scorecard.tsx";
import { CompareSummary } from "./CompareSummary.tsx";

const RATIO_HEADINGS: Record<(typeof RATIO_WORKLOADS)[number], string> = {
  cpu: "CPU overhead",
  fileio: "File I/O overhead",
  syscall: "System-call overhead",
  memory: "Memory-allocation overhead",
};

/** Every figure of one result document (the reference, or a live run). */
export function CompareFigures({ result }: { result: CompareResult }) {
  const startup = startupBars(result);
  const surface = attackSurfaceBars(result);
  const fromReference = (origin: string | undefined) => origin === "reference";
  return (
    <div className="compare-figures">
      <CompareSummary result={result} />
      <section className="figure" data-testid="figure-scorecard">
        <h3>Containment scorecard</h3>
        <p>
          Each probe is a small program that tries one escape or abuse from inside the sandbox; the runner judges it with what only the host can see
          (did the file really appear on the host, was that the host's secret).
        </p>
        <Scorecard result={result} />
        <FigureMeta result={result} backends={[...new Set(result.verdicts.map((v) => v.backend))]} />
        {result.verdicts.some((v) => fromReference(v.origin)) && (
          <p className="muted">Rows marked (reference) were not probed in this live run; they are the reference result's verdicts.</p>
        )}
      </section>

      <h3 className="compare-part">What each layer costs</h3>
      <section className="figure" data-testid="figure-startup">
        <h3>Start-up latency</h3>
        <p>
          How long a program that does nothing takes from launch to exit, sandbox set-up and tear-down included. Lower is better; the scale is
          logarithmic, so each grid line is ten times the previous one. ◆ rows are the WebAssembly engines.
        </p>
        {startup.length > 0 ? (
          <BarChart
            title="Start-up latency per backend (hello), median wall time, log scale"
            description="One bar per backend; the bar's length is the median time to start and finish a program that does nothing."
            bars={startup}
            scale={logScale(startup.map((b) => b.value))}
            unit="ms"
            format={formatMs}
            axisLabel="median wall time to start and finish (ms, log scale) — shorter is better"
            testId="chart-startup"
          />
        ) : (
          <p className="muted">No backend has a start-up median in this result.</p>
        )}
        <FigureMeta result={result} backends={startup.map((b) => b.backend)} />
      </section>

      {RATIO_WORKLOADS.map((id) => {
        const figure = overheadFigure(result, id);
        if (!figure) return null;
        return (
          <section className="figure" key={id} data-testid={`figure-${id}`}>
            <h3>
              {RATIO_HEADINGS[id]}: {figure.workload.title}
            </h3>
            <p>
              Measures {figure.workload.measures}. Each bar is the backend's median divided by the {figure.baseline} process's median on the same
              workload: the line at 1× is no overhead, 2× is twice as slow. The program's own timing (its printed elapsed_ms) is used when both sides
              have it, so start-up does not count; otherwise wall time.
            </p>
            {figure.bars.length > 0 && (
              <BarChart
                title={`${RATIO_HEADINGS[id]} relative to ${figure.baseline}`}
                description={`One bar per backend: its median on ${figure.workload.title} divided by ${figure.baseline}'s.`}
                bars={figure.bars}
                scale={linearScale(
                  figure.bars.map((b) => b.value),
                  1,
                )}
                unit="×"
                format={formatRatio}
                axisLabel={`time relative to ${figure.baseline} (×; 1× = the same, below 1× faster) — lower is better`}
                reference={{ value: 1, label: `1× = as fast as ${figure.baseline}` }}
                testId={`chart-${id}`}
              />
            )}
            {figure.missing && <p className="muted">Not charted: {figure.missing}.</p>}
            <FigureMeta result={result} backends={figure.bars.map((b) => b.backend)} />
          </section>
        );
      })}

      <section className="figure" data-testid="figure-attack-surface">
        <h3>Attack surface</h3>
        <p>
          How many host entry points the guest can call: the WASI imports a WebAssembly engine offers, or the Linux system calls a native backend's
          seccomp profile lets through (every one of them without a profile). Fewer entry points, less kernel or host code a bug could be in.
        </p>
        {surface.bars.length > 0 ? (
          <BarChart
            title="Callable host entry points per backend"
            description="One bar per backend: the number of host functions or system calls the guest may call."
            bars={surface.bars}
            scale={linearScale(surface.bars.map((b) => b.value))}
            unit=""
            format={(value) => String(value)}
            axisLabel="host functions or system calls the guest may call (count) — fewer is better"
            testId="chart-attack-surface"
          />
        ) : (
          <p className="muted">No attack-surface counts in this result.</p>
        )}
        <ul className="explain" data-testid="attack-surface-detail">
          {[...surface.bars.map((b) => b.entry), ...surface.unknown].map((entry) => (
            <li key={entry.backend}>
              <strong>{result.backends.find((b) => b.name === entry.backend)?.title ?? entry.backend}</strong>:{" "}
              {entry.count === null ? "not counted" : entry.count}
              {entry.of !== null && ` of ${entry.of}`} {INTERFACE_WORDS[entry.interface]} — {entry.detail}
              {fromReference(entry.origin) && <span className="muted"> (reference)</span>}
            </li>
          ))}
        </ul>
      </section>

      <section className="figure" data-testid="figure-backends">
        <h3>Backends and their known limits</h3>
        <BackendNotes result={result} />
      </section>
    </div>
  );
}
