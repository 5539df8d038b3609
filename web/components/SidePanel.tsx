import { useState, type ReactNode } from "react";

export interface Tab {
  id: string;
  label: ReactNode;
  content: ReactNode;
}

/** Tabs beside the output: the sandbox's policy, its audit log, and what each engine enforces. */
export function SidePanel({ tabs }: { tabs: readonly Tab[] }) {
  const [active, setActive] = useState(tabs[0]!.id);
  const current = tabs.find((t) => t.id === active) ?? tabs[0]!;
  return (
    <aside className="side-panel">
      <div className="tabs" role="tablist">
        {tabs.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            aria-selected={tab.id === current.id}
            className={tab.id === current.id ? "active" : ""}
            onClick={() => setActive(tab.id)}
            data-testid={`tab-${tab.id}`}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div className="tab-body" role="tabpanel">
        {current.content}
      </div>
    </aside>
  );
}
