/** The main script's tab, then one per open workspace file. */
export function EditorTabs({
  mainLabel,
  files,
  active,
  onActivate,
  onClose,
}: {
  mainLabel: string;
  files: readonly string[];
  /** null: the main script. */
  active: string | null;
  onActivate: (path: string | null) => void;
  onClose: (path: string) => void;
}) {
  if (files.length === 0) return null;
  return (
    <div className="editor-tabs" role="tablist">
      <button type="button" role="tab" aria-selected={active === null} className={active === null ? "active" : ""} onClick={() => onActivate(null)} data-testid="editor-tab-main">
        {mainLabel}
      </button>
      {files.map((path) => (
        <span key={path} role="tab" aria-selected={active === path} className={`editor-tab${active === path ? " active" : ""}`} data-testid="editor-tab" data-path={path} title={path}>
          <button type="button" onClick={() => onActivate(path)}>
            {path.slice(path.lastIndexOf("/") + 1)}
          </button>
          <button type="button" className="close" aria-label={`Close ${path}`} onClick={() => onClose(path)}>
            ×
          </button>
        </span>
      ))}
    </div>
  );
}
