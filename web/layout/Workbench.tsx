import { useState, useSyncExternalStore, type ReactNode } from "react";
import { Group, Panel, Separator, useDefaultLayout, usePanelRef } from "react-resizable-panels";

/** Below this width the panes stack in one scrolling column (a phone). */
export const STACKED_QUERY = "(max-width: 767px)";

function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (changed) => {
      const list = matchMedia(query);
      list.addEventListener("change", changed);
      return () => list.removeEventListener("change", changed);
    },
    () => matchMedia(query).matches,
  );
}

interface Slots {
  files: ReactNode;
  editor: ReactNode;
  output: ReactNode;
  side: ReactNode;
  /** The review of the last run, when there is one. */
  review: ReactNode;
  /** The review is one line ("nothing changed"): a strip under the panes, not a pane of its own. */
  reviewIsLine: boolean;
}

/**
 * The workbench's panes. On a desktop: files | editor over output | side panel,
 * resizable and (files, output, side) collapsible, sizes kept in localStorage;
 * the last run's review below, in its own resizable row. On a phone: one column.
 */
export function Workbench(slots: Slots) {
  const stacked = useMediaQuery(STACKED_QUERY);
  if (stacked) {
    return (
      <main className="workbench stacked" data-layout="stacked">
        <section className="stack-pane stack-editor">{slots.editor}</section>
        <section className="stack-pane stack-output">{slots.output}</section>
        {slots.review && <section className="stack-pane stack-review">{slots.review}</section>}
        <section className="stack-pane stack-side">{slots.side}</section>
        <section className="stack-pane stack-files">{slots.files}</section>
      </main>
    );
  }
  // One tree whichever way the review shows: the panes (editor, terminal) must not remount after a run.
  return (
    <>
      <PanesLayout {...slots} review={slots.reviewIsLine ? null : slots.review} />
      {slots.reviewIsLine && slots.review && <div className="review-line">{slots.review}</div>}
    </>
  );
}

function PanesLayout({ files, editor, output, side, review }: Omit<Slots, "reviewIsLine">) {
  const columns = useDefaultLayout({ id: "playpen.layout.columns", storage: localStorage });
  const center = useDefaultLayout({ id: "playpen.layout.center", storage: localStorage });
  const rows = useDefaultLayout({ id: "playpen.layout.rows", panelIds: review ? ["pane-work", "pane-review"] : ["pane-work"], storage: localStorage });
  return (
    <Group orientation="vertical" className="workbench" data-layout="panes" id="layout-rows" {...rows}>
      <Panel id="pane-work" minSize="25%">
        <Group orientation="horizontal" id="layout-columns" {...columns}>
          <Collapsible id="pane-files" label="Files" side="left" defaultSize="16%" minSize="150px" maxSize="40%">
            {files}
          </Collapsible>
          <Separator className="separator" />
          <Panel id="pane-center" minSize="35%">
            <Group orientation="vertical" id="layout-center" {...center}>
              <Panel id="pane-editor" defaultSize="62%" minSize="15%">
                {editor}
              </Panel>
              <Separator className="separator" />
              <Panel id="pane-output" defaultSize="38%" minSize="12%" collapsible>
                {output}
              </Panel>
            </Group>
          </Panel>
          <Separator className="separator" />
          <Collapsible id="pane-side" label="Panel" side="right" defaultSize="24%" minSize="240px" maxSize="50%">
            {side}
          </Collapsible>
        </Group>
      </Panel>
      {review && (
        <>
          <Separator className="separator" />
          <Panel id="pane-review" defaultSize="30%" minSize="8%">
            {review}
          </Panel>
        </>
      )}
    </Group>
  );
}

const RAIL = "28px";

/** A side column that collapses to a thin rail with a button to open it again. */
function Collapsible({ id, label, side, children, ...sizes }: { id: string; label: string; side: "left" | "right"; children: ReactNode; defaultSize: string; minSize: string; maxSize: string }) {
  const panel = usePanelRef();
  const [collapsed, setCollapsed] = useState(false);
  const toggle = () => (panel.current?.isCollapsed() ? panel.current.expand() : panel.current?.collapse());
  return (
    <Panel id={id} panelRef={panel} collapsible collapsedSize={RAIL} {...sizes} onResize={() => setCollapsed(panel.current?.isCollapsed() ?? false)}>
      <div className={`collapsible ${side}${collapsed ? " collapsed" : ""}`}>
        <button type="button" className="collapse-toggle" onClick={toggle} data-testid={`${id}-toggle`} aria-expanded={!collapsed} title={collapsed ? `Show ${label.toLowerCase()}` : `Hide ${label.toLowerCase()}`}>
          {collapsed ? (side === "left" ? "»" : "«") : side === "left" ? "«" : "»"}
          {collapsed && <span className="rail-label">{label}</span>}
        </button>
        <div className="collapsible-body" hidden={collapsed}>
          {children}
        </div>
      </div>
    </Panel>
  );
}
