import { useMemo } from "react";
import { lineDiff } from "./line-diff.ts";

interface Props {
  /** The policy being edited, as text. */
  current: string;
  /** The learned policy, as text. */
  learned: string;
  onApply: () => void;
  onDiscard: () => void;
}

/** A learned policy shown as a diff against the current one, to apply or discard. */
export function LearnedPolicy({ current, learned, onApply, onDiscard }: Props) {
  const lines = useMemo(() => lineDiff(current, learned), [current, learned]);
  return (
    <section className="learned" data-testid="learned-policy" aria-label="Learned policy">
      <header>
        <strong>Learned from this run</strong> — against the current policy:
        <button type="button" onClick={onApply} data-testid="learned-apply">
          Apply
        </button>
        <button type="button" onClick={onDiscard} data-testid="learned-discard">
          Discard
        </button>
      </header>
      <pre className="learned-diff" data-testid="learned-diff">
        {lines.map((line, i) => (
          <div key={i} className={line.kind}>
            {line.kind === "added" ? "+ " : line.kind === "removed" ? "- " : "  "}
            {line.text}
          </div>
        ))}
      </pre>
    </section>
  );
}
