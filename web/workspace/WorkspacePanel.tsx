import type { ReactNode } from "react";
import { EditorTabs } from "./EditorTabs.tsx";
import { FileEditor } from "./FileEditor.tsx";
import { notEditable } from "./file-models.ts";
import { FileTree } from "./FileTree.tsx";
import { ReviewPanel } from "./ReviewPanel.tsx";
import type { PageWorkspace } from "./use-workspace.ts";
import { WorkspaceBar } from "./WorkspaceBar.tsx";

/** The left column: which workspace, its use and quota, and its file tree. */
export function WorkspacePanel({ ws, locked, onNotice }: { ws: PageWorkspace; locked: boolean; onNotice: (message: string | null) => void }) {
  if (ws.session === undefined) return <aside className="workspace-panel muted">Opening the workspace…</aside>;
  if (ws.session === null) return <aside className="workspace-panel muted">No workspace: browser storage is unavailable.</aside>;
  return (
    <aside className="workspace-panel" data-testid="workspace-panel">
      <WorkspaceBar session={ws.session} locked={locked} autoAccept={ws.autoAccept} onAutoAccept={ws.setAutoAccept} onNotice={onNotice} />
      <FileTree session={ws.session} locked={locked} onOpen={ws.openFile} onNotice={onNotice} />
    </aside>
  );
}

/** The main script's editor (`children`) with a tab per open workspace file beside it. */
export function EditorArea({ ws, mainLabel, locked, onRun, children }: { ws: PageWorkspace; mainLabel: string; locked: boolean; onRun: () => void; children: ReactNode }) {
  const active = ws.activeFile;
  const why = active !== null && ws.session ? notEditable(ws.session, active) : null;
  return (
    <div className="editor-area">
      <EditorTabs mainLabel={mainLabel} files={ws.openFiles} active={active} onActivate={ws.setActiveFile} onClose={ws.closeFile} />
      <div className="editor-slot" hidden={active !== null}>
        {children}
      </div>
      {active !== null && ws.models && (why ? <p className="editor-note muted">{why}.</p> : <FileEditor models={ws.models} path={active} readOnly={locked} onRun={onRun} />)}
    </div>
  );
}

/** The review of the last run, below the workbench. */
export function ReviewArea({ ws }: { ws: PageWorkspace }) {
  const state = ws.reviewState;
  if (!state) return null;
  return <ReviewPanel key={state.id} review={state.review} hashed={state.hashed} decided={state.decided} onAccept={ws.accept} onRollback={ws.rollback} />;
}
