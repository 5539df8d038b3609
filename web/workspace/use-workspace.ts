import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import type { RunResult } from "../../wasm-runtime/index.ts";
import type { Policy } from "../../wasm-runtime/policy/index.ts";
import { hashDiff, type DiffEntry, type Mount, type WorkspaceSnapshot } from "../../wasm-runtime/workspace/index.ts";
import { FileModels } from "./file-models.ts";
import { formatBytes } from "./format.ts";
import { quotaHit, reviewOf, type Review } from "./review.ts";
import { sampleDataMount } from "./sample-data.ts";
import { WorkspaceSession } from "./session.ts";

const AUTO_ACCEPT_KEY = "playpen.autoAccept";

let nextReviewId = 1;

/** Opened as the page's script starts, not after its first render: IndexedDB reads the listing while React renders. */
const opening = WorkspaceSession.open();
// Its failure is reported by the hook.
opening.catch(() => undefined);

export interface ReviewState {
  /** Tells reviews apart, so the panel starts afresh for each run. */
  readonly id: number;
  readonly review: Review;
  readonly decided: "pending" | "accepted" | "rolled back";
  readonly hashed: readonly DiffEntry[] | null;
}

/** What a run takes from the workspace: its snapshot, the /data mount, and the policy with the workspace's quota. */
export interface RunFiles {
  /** Absent when browser storage could not be opened: the sandbox keeps its own /workspace then. */
  readonly workspace?: WorkspaceSnapshot;
  readonly mounts: Mount[];
  readonly policy: Policy;
}

/**
 * The page's workspace, its open file tabs and the review of the last run.
 * The rule for runs: a run starts from the accepted state. Running again while
 * a run's changes await review accepts them first: the next run builds on what
 * the last one did, as when iterating, and nothing is thrown away unasked; to
 * discard them, press Roll back before running. With auto-accept on, changes
 * are accepted as the run ends.
 */
export function useWorkspace(onNotice: (message: string | null) => void) {
  /** undefined while IndexedDB opens; null when it could not (runs then go without a workspace). */
  const [session, setSession] = useState<WorkspaceSession | null | undefined>(undefined);
  const [autoAccept, setAutoAcceptState] = useState(() => localStorage.getItem(AUTO_ACCEPT_KEY) === "true");
  const [reviewState, setReviewState] = useState<ReviewState | null>(null);
  const [openFiles, setOpenFiles] = useState<string[]>([]);
  const [activeFile, setActiveFile] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    opening.then(
      (opened) => live && setSession(opened),
      (error: unknown) => {
        if (!live) return;
        setSession(null);
        onNotice(`The workspace could not be opened from browser storage (${String(error)}); runs start with an empty /workspace.`);
      },
    );
    return () => {
      live = false;
    };
  }, [onNotice]);

  const noSession = useCallback(() => () => {}, []);
  // Re-render on every announcement (saves finishing too); the snapshot object changes only with the files.
  useSyncExternalStore(session?.subscribe ?? noSession, () => session?.version ?? 0);
  const listing = session?.listing ?? null;
  const models = useMemo(() => session && new FileModels(session, onNotice), [session, onNotice]);
  useEffect(() => () => models?.dispose(), [models]);

  // Tabs follow the workspace: a file deleted, renamed or rolled away has no tab; open models take new content.
  const visibleFiles = useMemo(() => (listing ? openFiles.filter((p) => listing.entries.get(p)?.kind === "file") : []), [listing, openFiles]);
  const visibleActive = activeFile !== null && visibleFiles.includes(activeFile) ? activeFile : null;
  useEffect(() => models?.sync(visibleFiles), [models, visibleFiles]);

  const setAutoAccept = useCallback((on: boolean) => {
    localStorage.setItem(AUTO_ACCEPT_KEY, String(on));
    setAutoAcceptState(on);
  }, []);

  const openFile = useCallback((path: string) => {
    setOpenFiles((open) => (open.includes(path) ? open : [...open, path]));
    setActiveFile(path);
  }, []);

  /** Reopens the tabs a saved setup had (files no longer in the workspace stay closed). */
  const restoreTabs = useCallback((open: readonly string[], active: string | null) => {
    setOpenFiles([...open]);
    setActiveFile(active);
  }, []);

  const closeFile = useCallback((path: string) => {
    setOpenFiles((open) => open.filter((p) => p !== path));
    setActiveFile((active) => (active === path ? null : active));
  }, []);

  // Only changes await a decision: a run that changed nothing leaves nothing to accept.
  const pending = reviewState?.review.kind === "changes" && reviewState.decided === "pending";

  /** Accepts changes still awaiting review, as the next run starts; false (with a notice) when they cannot be. */
  const settleBeforeRun = useCallback((): boolean => {
    if (!pending || !session || reviewState?.review.kind !== "changes") return true;
    try {
      session.accept(reviewState.review.after);
      return true;
    } catch (error) {
      onNotice(`The last run's changes could not be accepted (${error instanceof Error ? error.message : String(error)}): roll them back before running again.`);
      return false;
    }
  }, [pending, session, reviewState, onNotice]);

  /** The files for a run starting now: the accepted state, /data, and the policy under this workspace's quota. */
  const filesForRun = useCallback(
    async (policy: Policy): Promise<RunFiles> => {
      const mounts = [await sampleDataMount()];
      if (!session) return { mounts, policy };
      // A run pressed just after a reload waits for the files' content.
      const workspace = await session.files();
      setReviewState(null);
      // The stricter of the policy's limit and this workspace's own quota.
      const quota = Math.min(policy.limits.workspaceBytes, session.quotaBytes);
      return { workspace, mounts, policy: { ...policy, limits: { ...policy.limits, workspaceBytes: quota } } };
    },
    [session],
  );

  /** Shows what the run changed; accepts it at once with auto-accept. Returns a notice about the quota, if it was hit. */
  const finishRun = useCallback(
    (files: RunFiles, result: RunResult): string | null => {
      if (!session || !files.workspace) return null;
      const review = reviewOf(files.workspace, result);
      let decided: ReviewState["decided"] = "pending";
      if (review.kind === "changes" && autoAccept) {
        try {
          session.accept(review.after);
          decided = "accepted";
        } catch (error) {
          onNotice(`The run's changes could not be accepted: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      setReviewState({ id: nextReviewId++, review, decided, hashed: null });
      if (review.kind === "changes") {
        // Hashes take a moment for large files: the list shows sizes first.
        void hashDiff(review.diff, review.before, review.after).then((hashed) =>
          setReviewState((current) => (current?.review === review ? { ...current, hashed: hashed.entries } : current)),
        );
      }
      return quotaHit(result)
        ? `The run hit the workspace quota (${formatBytes(files.policy.limits.workspaceBytes)} for workspace "${session.name}"): writes beyond it failed${result.workspace ? " with ENOSPC inside the sandbox" : ", and the run's changes were discarded"}.`
        : null;
    },
    [session, autoAccept, onNotice],
  );

  const accept = useCallback(() => {
    if (!session || reviewState?.review.kind !== "changes") return;
    try {
      session.accept(reviewState.review.after);
      setReviewState({ ...reviewState, decided: "accepted" });
      onNotice(null);
    } catch (error) {
      onNotice(`The run's changes could not be accepted: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, [session, reviewState, onNotice]);

  // The workspace never left its snapshot: rolling back is forgetting the run's result.
  const rollback = useCallback(() => setReviewState((current) => current && { ...current, decided: "rolled back" }), []);

  return {
    session,
    models,
    autoAccept,
    setAutoAccept,
    reviewState,
    /** Changes await review: the files may not change until they are accepted or rolled back. */
    pending,
    openFiles: visibleFiles,
    activeFile: visibleActive,
    setActiveFile,
    openFile,
    closeFile,
    restoreTabs,
    settleBeforeRun,
    filesForRun,
    finishRun,
    accept,
    rollback,
  };
}
export type PageWorkspace = ReturnType<typeof useWorkspace>;
