import { scorecard } from "./figures.ts";
import type { CompareResult, VerdictWord } from "./result.ts";

const VERDICT_MEANING: Record<VerdictWord, string> = {
  blocked: "the attempt failed: denied, not found or unreachable",
  contained: "it worked only against a limit or a private copy, never the host",
  allowed: "the attempt reached the host",
  crashed: "the probe died without a verdict",
};

/** Backend × probe: what each containment probe achieved, in colour and in words; hover a cell for the detail. */
export function Scorecard({ result }: { result: CompareResult }) {
  const { probes, rows } = scorecard(result);
  if (rows.length === 0) return <p className="muted">No containment probes in this result.</p>;
  return (
    <>
      <div className="scorecard-scroll">
        <table className="scorecard" data-testid="scorecard">
          <thead>
            <tr>
              <th scope="col">Backend</th>
              {probes.map((p) => (
                <th key={p.id} scope="col" title={`If allowed: ${p.risk}`}>
                  {p.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(({ backend, cells }) => (
              <tr key={backend.name} className={backend.kind}>
                <th scope="row">
                  {backend.kind === "wasm" ? `◆ ${backend.title}` : backend.title}
                  {[...cells.values()].some((v) => v.origin === "reference") && <span className="muted"> (reference)</span>}
                </th>
                {probes.map((p) => {
                  const v = cells.get(p.id);
                  return v ? (
                    <td key={p.id} className={`verdict ${v.verdict}`} data-testid={`scorecard-cell-${backend.name}-${p.id}`} title={`${backend.title} · ${p.title}: ${v.verdict} — ${v.detail}`}>
                      {v.verdict}
                    </td>
                  ) : (
                    <td key={p.id} className="verdict none" data-testid={`scorecard-cell-${backend.name}-${p.id}`} title="not probed">
                      —
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="legend">
        {Object.entries(VERDICT_MEANING).map(([word, meaning]) => (
          <div key={word}>
            <dt className={`verdict ${word}`}>{word}</dt>
            <dd>{meaning}</dd>
          </div>
        ))}
      </dl>
      <details>
        <summary>What each probe tries</summary>
        <ul className="explain">
          {probes.map((p) => (
            <li key={p.id}>
              <strong>{p.title}</strong> — if allowed, {p.risk}.
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}
