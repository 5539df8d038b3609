import { measuredWhere, samplesWords, versionsOf } from "./figures.ts";
import type { CompareResult } from "./result.ts";

/** Once per page, at the top: where and when the figures were measured, and how many samples each median is of. */
export function MeasuredOn({ result }: { result: CompareResult }) {
  return (
    <p className="figure-meta" data-testid="compare-measured">
      Measured on {measuredWhere(result)}; {samplesWords(result)}.
    </p>
  );
}

/** Under a figure: the versions of the backends it shows (where and when is said once, at the top). */
export function FigureMeta({ result, backends }: { result: CompareResult; backends: readonly string[] }) {
  const versions = versionsOf(result, backends);
  if (!versions) return null;
  return (
    <p className="figure-meta" data-testid="figure-meta">
      Versions: {versions}.
    </p>
  );
}
