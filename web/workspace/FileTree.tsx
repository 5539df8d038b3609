import { useMemo, useRef, useState, type DragEvent } from "react";
import { parentOf } from "../../wasm-runtime/workspace/index.ts";
import { download } from "./download.ts";
import { droppedFiles, pickedFiles, type IncomingFile } from "./drop.ts";
import { formatBytes } from "./format.ts";
import { checkEntryName, childPath } from "./names.ts";
import type { WorkspaceSession } from "./session.ts";
import { treeRows } from "./tree.ts";

/** The name being typed: a new file or folder in `folder`, or a new name for `path`. */
type Naming = { mode: "file" | "folder"; folder: string; text: string } | { mode: "rename"; path: string; text: string };

interface Props {
  session: WorkspaceSession;
  /** While a run is going or its review is pending, the files are the run's: no edits. */
  locked: boolean;
  onOpen: (path: string) => void;
  /** A specific message for the page's notice line (null clears it). */
  onNotice: (message: string | null) => void;
}

/** The workspace's files: browse, create, rename, delete, upload (also by drag and drop), download, zip. */
export function FileTree({ session, locked, onOpen, onNotice }: Props) {
  // Shown from the listing, which is there before the files' content is read.
  const listing = session.listing;
  const loading = session.loading;
  /** Edits and downloads need the content; uploads wait for it. */
  const frozen = locked || loading;
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [naming, setNaming] = useState<Naming | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const zipInput = useRef<HTMLInputElement>(null);
  const rows = useMemo(() => treeRows(listing, expanded), [listing, expanded]);
  const current = selected !== null && listing.entries.has(selected) ? selected : null;
  const targetFolder = current === null ? "" : listing.entries.get(current)!.kind === "dir" ? current : parentOf(current);

  /** Runs a workspace action; what it returns (a string) or its error becomes the notice. */
  const attempt = async (action: () => unknown) => {
    try {
      const done: unknown = await action();
      onNotice(typeof done === "string" ? done : null);
    } catch (error) {
      onNotice(error instanceof Error ? error.message : String(error));
    }
  };

  const expand = (folder: string) => setExpanded((open) => new Set([...open, ...ancestors(folder)]));
  const toggle = (folder: string) =>
    setExpanded((open) => {
      const next = new Set(open);
      if (!next.delete(folder)) next.add(folder);
      return next;
    });

  const finishNaming = () => {
    if (!naming) return;
    const checked = checkEntryName(naming.text);
    if (!checked.ok) return onNotice(checked.message);
    void attempt(() => {
      if (naming.mode === "rename") {
        const target = childPath(parentOf(naming.path), checked.name);
        if (target !== naming.path) session.change((ws) => ws.rename(naming.path, target));
        setSelected(target);
      } else {
        const path = childPath(naming.folder, checked.name);
        if (listing.entries.has(path)) throw new Error(`already exists: ${path}`);
        session.change((ws) => (naming.mode === "file" ? ws.writeFile(path, "") : ws.mkdir(path)));
        if (naming.folder) expand(naming.folder);
        setSelected(path);
        if (naming.mode === "file") onOpen(path);
      }
      setNaming(null);
    });
  };

  const upload = (files: IncomingFile[], folder: string) =>
    attempt(async () => {
      const count = await session.upload(files, folder);
      if (folder) expand(folder);
      return `Uploaded ${count} file${count === 1 ? "" : "s"}${folder ? ` into ${folder}` : ""}.`;
    });

  const onDrop = (event: DragEvent, folder: string) => {
    event.preventDefault();
    event.stopPropagation();
    setDropTarget(null);
    if (locked) return onNotice("The files cannot change during a run or while its changes await review.");
    const pending = droppedFiles(event.dataTransfer);
    pending.then(
      (files) => void upload(files, folder),
      (error: unknown) => onNotice(`could not read the dropped files: ${String(error)}`),
    );
  };

  const importZip = (file: File) =>
    attempt(async () => {
      const { files, folders } = session.importZip(new Uint8Array(await file.arrayBuffer()), targetFolder);
      if (targetFolder) expand(targetFolder);
      return `Imported ${file.name}: ${files} files, ${folders} folders.`;
    });

  return (
    <section
      className={`file-tree${dropTarget === "" ? " drop" : ""}`}
      data-testid="file-tree"
      onDragOver={(e) => {
        e.preventDefault();
        setDropTarget((t) => t ?? "");
      }}
      onDragLeave={() => setDropTarget(null)}
      onDrop={(e) => onDrop(e, "")}
    >
      <div className="file-tree-actions">
        <button type="button" disabled={frozen} onClick={() => setNaming({ mode: "file", folder: targetFolder, text: "" })} data-testid="file-tree-new-file" title="New file">
          + File
        </button>
        <button type="button" disabled={frozen} onClick={() => setNaming({ mode: "folder", folder: targetFolder, text: "" })} data-testid="file-tree-new-folder" title="New folder">
          + Folder
        </button>
        <button type="button" disabled={locked} onClick={() => filesInput.current!.click()} data-testid="file-tree-upload" title="Upload files">
          Upload
        </button>
        <button type="button" disabled={locked} onClick={() => folderInput.current!.click()} data-testid="file-tree-upload-folder" title="Upload a folder">
          Folder…
        </button>
        <button type="button" disabled={frozen} onClick={() => zipInput.current!.click()} data-testid="file-tree-import-zip" title="Import a zip into the selected folder">
          Import zip
        </button>
        <button
          type="button"
          disabled={loading}
          onClick={() => void attempt(() => download(`${session.name}.zip`, session.exportZip(), "application/zip"))}
          data-testid="file-tree-export-zip"
          title="Download the whole workspace as a zip"
        >
          ⇩ zip
        </button>
      </div>
      <input ref={filesInput} type="file" multiple hidden data-testid="file-tree-upload-input" onChange={(e) => picked(e.target, (files) => void upload(files, targetFolder))} />
      <input
        ref={(el) => {
          folderInput.current = el;
          el?.setAttribute("webkitdirectory", "");
        }}
        type="file"
        hidden
        data-testid="file-tree-upload-folder-input"
        onChange={(e) => picked(e.target, (files) => void upload(files, targetFolder))}
      />
      <input ref={zipInput} type="file" accept=".zip,application/zip" hidden data-testid="file-tree-zip-input" onChange={(e) => picked(e.target, (files) => void importZip(files[0]!.file))} />
      {loading && (
        <p className="file-tree-loading muted" data-testid="file-tree-loading">
          Loading files…
        </p>
      )}
      {naming && (
        <form
          className="file-tree-naming"
          onSubmit={(e) => {
            e.preventDefault();
            finishNaming();
          }}
        >
          <input
            autoFocus
            data-testid="file-tree-name"
            value={naming.text}
            placeholder={naming.mode === "rename" ? "new name" : `${naming.mode} name${naming.folder ? ` in ${naming.folder}/` : ""}`}
            onChange={(e) => setNaming({ ...naming, text: e.target.value })}
            onKeyDown={(e) => e.key === "Escape" && setNaming(null)}
          />
          <button type="submit" data-testid="file-tree-name-ok">
            OK
          </button>
        </form>
      )}
      <ul className="file-tree-rows" role="tree">
        {rows.map((row) => (
          <li
            key={row.path}
            role="treeitem"
            aria-expanded={row.kind === "dir" ? expanded.has(row.path) : undefined}
            aria-selected={row.path === current}
            className={`file-tree-item ${row.kind}${row.path === current ? " selected" : ""}${dropTarget === row.path ? " drop" : ""}`}
            style={{ paddingLeft: 6 + row.depth * 14 }}
            data-testid="file-tree-item"
            data-path={row.path}
            data-kind={row.kind}
            title={row.path}
            onClick={() => {
              setSelected(row.path);
              setConfirmDelete(null);
              if (row.kind === "dir") toggle(row.path);
              else onOpen(row.path);
            }}
            onDragOver={(e) => {
              if (row.kind !== "dir") return;
              e.preventDefault();
              e.stopPropagation();
              setDropTarget(row.path);
            }}
            onDrop={(e) => row.kind === "dir" && onDrop(e, row.path)}
          >
            <span className="file-tree-icon">{row.kind === "dir" ? (expanded.has(row.path) ? "▾" : "▸") : "·"}</span>
            <span className="file-tree-name">{row.name}</span>
            <span className="file-tree-size">{row.kind === "file" ? formatBytes(row.size) : ""}</span>
          </li>
        ))}
        {rows.length === 0 && <li className="file-tree-empty">No files yet: create one, upload or drop files and folders here.</li>}
      </ul>
      {current && (
        <div className="file-tree-selection" data-testid="file-tree-selection">
          <span className="file-tree-selected-path">{current}</span>
          {confirmDelete === current ? (
            <>
              <span>Delete{listing.entries.get(current)!.kind === "dir" ? " with everything in it" : ""}?</span>
              <button
                type="button"
                className="danger"
                data-testid="file-tree-confirm-delete"
                onClick={() =>
                  void attempt(() => {
                    session.change((ws) => ws.remove(current));
                    return `Deleted ${current}.`;
                  }).then(() => setConfirmDelete(null))
                }
              >
                Delete
              </button>
              <button type="button" onClick={() => setConfirmDelete(null)}>
                Cancel
              </button>
            </>
          ) : (
            <>
              <button type="button" disabled={frozen} data-testid="file-tree-rename" onClick={() => setNaming({ mode: "rename", path: current, text: current.slice(current.lastIndexOf("/") + 1) })}>
                Rename
              </button>
              <button type="button" disabled={frozen} data-testid="file-tree-delete" onClick={() => setConfirmDelete(current)}>
                Delete
              </button>
              {listing.entries.get(current)!.kind === "file" ? (
                <button type="button" disabled={loading} data-testid="file-tree-download" onClick={() => void attempt(() => download(current.slice(current.lastIndexOf("/") + 1), session.readFile(current)))}>
                  Download
                </button>
              ) : (
                <button type="button" disabled={loading} data-testid="file-tree-download" onClick={() => void attempt(() => download(`${current.replaceAll("/", "_")}.zip`, session.exportZip(current), "application/zip"))}>
                  Download zip
                </button>
              )}
            </>
          )}
        </div>
      )}
    </section>
  );
}

/** Hands the files of an `<input type=file>` over, then clears it so picking the same file again works. */
function picked(input: HTMLInputElement, take: (files: IncomingFile[]) => void): void {
  if (input.files && input.files.length > 0) take(pickedFiles(input.files));
  input.value = "";
}

/** `folder` and every folder above it. */
function ancestors(folder: string): string[] {
  const out: string[] = [];
  for (let f = folder; f !== ""; f = parentOf(f)) out.push(f);
  return out;
}
