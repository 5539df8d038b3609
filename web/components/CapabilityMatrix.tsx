import { CAPABILITY_MATRIX } from "../../wasm-runtime/engine/capability-matrix.ts";

/** What each engine can and cannot enforce, as the core states it. */
export function CapabilityMatrix() {
  return (
    <table className="matrix" data-testid="capability-matrix">
      <thead>
        <tr>
          <th>Capability</th>
          <th>Gated engine</th>
          <th>Wasmer engine</th>
        </tr>
      </thead>
      <tbody>
        {CAPABILITY_MATRIX.map((row) => (
          <tr key={row.capability}>
            <th>{row.capability}</th>
            {(["gated", "wasmer"] as const).map((engine) => (
              <td key={engine} className={row.engines[engine].support.replace(" ", "-")}>
                <strong>{row.engines[engine].support}</strong> — {row.engines[engine].how}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
