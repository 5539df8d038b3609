import { useState } from "react";
import type { DiffEntry } from "../../wasm-runtime/workspace/index.ts";
import { DiffView } from "./DiffView.tsx";
import { formatBytes } from "./format.ts";
import { summary, type Review } from "./review.ts";

interface Props {
  review: Review;
  /** Set once SHA-256 of both sides is known (binary files are shown by size and hash). */
  hashed: readonly DiffEntry[] | null;
  /** A review that was accepted automatically is shown for information only. */
  decided: "pending" | "accepted" | "rolled back";
  onAccept: () => void;
  onRollback: () => void;
}

/** What the last run changed in the workspace, and the choice to keep it or go back to the snapshot. */
export function ReviewPanel({ review, hashed, decided, onAccept, onRollback }: Props) {
  const [selected, setSelected] = useState<string | null>(null);
  if (review.kind === "unchanged") {
    return (
      <section className="review" data-testid="review" data-state="unchanged">
        <strong>Review:</strong> nothing changed — {review.why}.
      </section>
    );
  }
  const entries = hashed ?? review.diff.entries;
  const shown = entries.find((e) => e.path === selected && hasText(e));
  return (
    <section className={`review${shown ? " with-diff" : ""}`} data-testid="review" data-state={decided}>
      <div className="review-head">
        <strong>Review:</strong> <span data-testid="review-summary">{summary(review.diff)}</span>
        {decided === "pending" ? (
          <>
            <span className="muted"> — the workspace keeps its state from before the run until you decide.</span>
            <span className="spacer" />
            <button type="button" className="run" data-testid="review-accept" onClick={onAccept}>
              Accept
            </button>
            <button type="button" data-testid="review-rollback" onClick={onRollback}>
              Roll back
            </button>
          </>
        ) : (
          <span className="muted"> — {decided}.</span>
        )}
      </div>
      <div className="review-body">
        <ul className="review-list">
          {entries.map((entry) => (
            <li
              key={`${entry.change}:${entry.path}`}
              className={`review-item ${entry.change}${entry.path === selected ? " selected" : ""}`}
              data-testid="review-item"
              data-path={entry.path}
              data-change={entry.change}
              onClick={() => setSelected(entry.path === selected ? null : entry.path)}
              title={entry.binary ? "binary: compared by size and SHA-256" : entry.kind === "file" ? "click for the side-by-side diff" : undefined}
            >
              <span className="review-change">{MARK[entry.change]}</span>
              <span className="review-path">
                {entry.path}
                {entry.kind === "dir" ? "/" : ""}
              </span>
              <span className="review-size">{sizes(entry)}</span>
              {entry.binary && <span className="review-hash">{hashes(entry)}</span>}
            </li>
          ))}
        </ul>
        {shown && <DiffView path={shown.path} before={shown.before?.text ?? ""} after={shown.after?.text ?? ""} />}
        {selected && !shown && entries.some((e) => e.path === selected && e.kind === "file") && (
          <p className="muted review-nodiff">No text diff for {selected}: it is binary or larger than 1 MiB; compare size and SHA-256.</p>
        )}
      </div>
    </section>
  );
}

/** Both sides that exist are text small enough to show side by side. */
function hasText(entry: DiffEntry): boolean {
  return entry.kind === "file" && !entry.binary && (!entry.before || entry.before.text !== undefined) && (!entry.after || entry.after.text !== undefined);
}

const MARK = { added: "A", modified: "M", deleted: "D" } as const;

function sizes(entry: DiffEntry): string {
  if (entry.kind === "dir") return "folder";
  const before = entry.before && formatBytes(entry.before.size);
  const after = entry.after && formatBytes(entry.after.size);
  return before && after ? `${before} → ${after}` : (before ?? after ?? "");
}

function hashes(entry: DiffEntry): string {
  const short = (hash?: string) => (hash ? `sha256:${hash.slice(0, 12)}` : "sha256:…");
  return [entry.before && short(entry.before.sha256), entry.after && short(entry.after.sha256)].filter(Boolean).join(" → ");
}
