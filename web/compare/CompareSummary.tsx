import { MeasuredOn } from "./FigureMeta.tsx";
import { DEFAULT_BASELINE, startupBars } from "./figures.ts";
import type { CompareResult } from "./result.ts";
import { formatMs } from "./scale.ts";

/**
 * The page's story in a few lines, before any chart: per backend, how many
 * probes it stopped and what starting a program costs against a plain process.
 */
export function CompareSummary({ result }: { result: CompareResult }) {
  const startup = new Map(startupBars(result).map((bar) => [bar.backend, bar.value]));
  const baseline = startup.get(DEFAULT_BASELINE);
  const rows = result.backends
    .map((backend) => {
      const verdicts = result.verdicts.filter((v) => v.backend === backend.name);
      const stopped = verdicts.filter((v) => v.verdict === "blocked" || v.verdict === "contained").length;
      return { backend, verdicts: verdicts.length, stopped, start: startup.get(backend.name) };
    })
    .filter((row) => row.verdicts > 0 || row.start !== undefined);
  return (
    <section className="figure compare-summary" data-testid="compare-summary">
      <h3>In short</h3>
      <MeasuredOn result={result} />
      <table className="scorecard">
        <thead>
          <tr>
            <th>Backend</th>
            <th>Escape probes stopped (more is better)</th>
            <th>Start-up, median (less is better)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ backend, verdicts, stopped, start }) => (
            <tr key={backend.name} className={backend.kind === "wasm" ? "wasm" : ""}>
              <th scope="row">{backend.kind === "wasm" ? `◆ ${backend.title}` : backend.title}</th>
              <td>{verdicts > 0 ? `${stopped} of ${verdicts}` : "not probed"}</td>
              <td>
                {start === undefined ? "—" : formatMs(start)}
                {start !== undefined && baseline !== undefined && backend.name !== DEFAULT_BASELINE && ` (${(start / baseline).toFixed(1)}× ${DEFAULT_BASELINE})`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
