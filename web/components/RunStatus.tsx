import type { RunResult } from "../../wasm-runtime/index.ts";

const REASON_TEXT: Record<RunResult["reason"], string> = {
  exited: "exited",
  timeout: "time limit reached",
  stopped: "stopped",
  error: "could not run",
};

/** One line: exit status, why the run ended, how long it took, and whether output was cut. */
export function RunStatus({ phase, result, compiles = false }: { phase: string; result: RunResult | null; compiles?: boolean }) {
  if (phase === "running") {
    // Compiling (clang's first use in the page compiles clang itself) is outside the time limit, and says so.
    const text = compiles ? "compiling with clang, then running… (compiling does not count against the time limit)" : "running…";
    return <div className="status running" data-testid="exit-status">{text}</div>;
  }
  if (!result) return <div className="status" data-testid="exit-status">Press Run (Ctrl+Enter)</div>;
  const ok = result.reason === "exited" && result.exitCode === 0;
  const truncated = result.stdoutTruncated || result.stderrTruncated;
  return (
    <div
      className={`status ${ok ? "ok" : "fail"}`}
      data-testid="exit-status"
      data-exit-code={result.exitCode}
      data-reason={result.reason}
      data-duration-ms={result.durationMs.toFixed(1)}
    >
      exit {result.exitCode} · {REASON_TEXT[result.reason]} · {formatDuration(result.durationMs)}
      {truncated && <span className="truncated" data-testid="truncated"> · output truncated at the cap</span>}
      {result.memoryLimitReached && <span className="truncated" data-testid="memory-limit"> · memory limit reached</span>}
    </div>
  );
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
