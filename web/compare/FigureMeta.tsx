import { measuredWhere, samplesWords, versionsOf } from "./figures.ts";
import type { CompareResult } from "./result.ts";

/** Under every figure: where and when it was measured, with what, and how many samples each median is of. */
export function FigureMeta({ result, backends, samples = true }: { result: CompareResult; backends: readonly string[]; samples?: boolean }) {
  const versions = versionsOf(result, backends);
  return (
    <p className="figure-meta" data-testid="figure-meta">
      Measured on {measuredWhere(result)}
      {samples && `; ${samplesWords(result)}`}
      {versions && <>; versions: {versions}</>}.
    </p>
  );
}
