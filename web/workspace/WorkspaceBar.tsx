import { useEffect, useState } from "react";
import { formatBytes } from "./format.ts";
import { checkEntryName } from "./names.ts";
import type { WorkspaceSession } from "./session.ts";

const MiB = 1024 * 1024;

interface Props {
  session: WorkspaceSession;
  locked: boolean;
  autoAccept: boolean;
  onAutoAccept: (on: boolean) => void;
  onNotice: (message: string | null) => void;
}

/** Which named workspace is open, its quota and use, the browser's storage, and the auto-accept setting. */
export function WorkspaceBar({ session, locked, autoAccept, onAutoAccept, onNotice }: Props) {
  const [newName, setNewName] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [estimate, setEstimate] = useState<StorageEstimate | null>(null);
  const listing = session.listing;

  useEffect(() => {
    // The origin's whole use (all workspaces, caches): refreshed after every saved change.
    let live = true;
    void session.saved.then(() => navigator.storage?.estimate?.()).then((e) => live && e && setEstimate(e));
    return () => {
      live = false;
    };
  }, [session, listing]);

  const attempt = (action: () => Promise<unknown>) => action().then(() => onNotice(null), (error: unknown) => onNotice(error instanceof Error ? error.message : String(error)));

  return (
    <div className="workspace-bar">
      <div className="workspace-row">
        <select
          data-testid="workspace-select"
          value={session.name}
          disabled={locked}
          onChange={(e) => void attempt(() => session.switchTo(e.target.value))}
          title="The named workspace the page shows and runs use"
        >
          {session.workspaces.map((w) => (
            <option key={w.name} value={w.name}>
              {w.name}
            </option>
          ))}
        </select>
        <button type="button" disabled={locked} data-testid="workspace-new" onClick={() => setNewName("")} title="New workspace">
          New
        </button>
        {confirmDelete ? (
          <button
            type="button"
            className="danger"
            data-testid="workspace-confirm-delete"
            onClick={() => void attempt(() => session.deleteCurrent()).then(() => setConfirmDelete(false))}
            onBlur={() => setConfirmDelete(false)}
          >
            Delete “{session.name}”?
          </button>
        ) : (
          <button type="button" disabled={locked} data-testid="workspace-delete" onClick={() => setConfirmDelete(true)} title="Delete this workspace and its files">
            Delete
          </button>
        )}
      </div>
      {newName !== null && (
        <form
          className="workspace-row"
          onSubmit={(e) => {
            e.preventDefault();
            const checked = checkEntryName(newName);
            if (!checked.ok) return onNotice(`workspace name: ${checked.message}`);
            void attempt(() => session.create(checked.name)).then(() => setNewName(null));
          }}
        >
          <input autoFocus data-testid="workspace-name" value={newName} placeholder="workspace name" onChange={(e) => setNewName(e.target.value)} onKeyDown={(e) => e.key === "Escape" && setNewName(null)} />
          <button type="submit" data-testid="workspace-create">
            Create
          </button>
        </form>
      )}
      <div
        className="workspace-row storage"
        data-testid="storage-usage"
        data-bytes={listing.bytes}
        data-quota={session.quotaBytes}
        data-saved={String(!session.saving)}
        data-loaded={String(session.snapshot !== null)}
      >
        <meter min={0} max={session.quotaBytes} value={listing.bytes} />
        <span>
          {formatBytes(listing.bytes)} of {formatBytes(session.quotaBytes)} · {listing.entries.size} entries{session.saving ? " · saving…" : ""}
          {session.loading ? " · loading files…" : ""}
          {estimate?.usage !== undefined && estimate.quota !== undefined && (
            <span className="muted" title="Everything this site keeps in the browser (all workspaces), of what the browser allows it">
              {" "}
              · browser {formatBytes(estimate.usage)} of {formatBytes(estimate.quota)}
            </span>
          )}
        </span>
      </div>
      <div className="workspace-row">
        <label title="The most the files of this workspace may take; a run writing more fails (ENOSPC on the gated engine)">
          Quota (MiB){" "}
          <input
            type="number"
            min={1}
            step={1}
            data-testid="workspace-quota"
            disabled={locked}
            key={`${session.name}:${session.quotaBytes}`}
            defaultValue={session.quotaBytes / MiB}
            onBlur={(e) => {
              const mib = Number(e.target.value);
              if (!(mib > 0) || mib * MiB === session.quotaBytes) return;
              void attempt(() => session.setQuota(Math.round(mib * MiB)));
            }}
            onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
          />
        </label>
        <label title="Accept every run's changes without a review">
          <input type="checkbox" data-testid="auto-accept" checked={autoAccept} onChange={(e) => onAutoAccept(e.target.checked)} /> Auto-accept runs
        </label>
      </div>
      {[session.loadError, session.saveError].map(
        (error) =>
          error && (
            <div key={error} className="workspace-error" role="alert">
              {error}
            </div>
          ),
      )}
    </div>
  );
}
