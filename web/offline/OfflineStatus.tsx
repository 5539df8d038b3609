import { useEffect, useState } from "react";
import { clearOfflineCopies, offlineRuntimes } from "../../workers/offline-runtimes.ts";
import { loadRuntimeManifest } from "../../workers/runtime-manifest.ts";

/**
 * Which runtimes this browser keeps for offline use, and a way to drop them.
 * Re-read whenever `refresh` changes (after each load or run).
 */
export function OfflineStatus({ refresh }: { refresh: unknown }) {
  const [kept, setKept] = useState<string[] | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    loadRuntimeManifest()
      .then(offlineRuntimes)
      .then((names) => live && setKept(names), () => live && setKept([]));
    return () => {
      live = false;
    };
  }, [refresh, generation]);
  if (kept === null) return null;

  const clear = async () => {
    await clearOfflineCopies();
    setGeneration((g) => g + 1);
  };
  return (
    <details className="offline-status" data-testid="offline-status" data-count={kept.length}>
      <summary title="Runtimes this browser keeps, so Playpen runs them with the network gone">
        {kept.length ? `Offline: ${kept.length}` : "Offline: none"}
      </summary>
      <div className="offline-popover">
        {kept.length ? (
          <>
            <p>Available offline (kept after their first use):</p>
            <ul>
              {kept.map((name) => (
                <li key={name} data-testid="offline-runtime">
                  {name}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>No runtime kept yet: each one is kept after its first use.</p>
        )}
        <button type="button" onClick={() => void clear()} data-testid="offline-clear">
          Clear offline copies
        </button>
      </div>
    </details>
  );
}
