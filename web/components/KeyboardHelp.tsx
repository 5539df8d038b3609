import { useEffect } from "react";

/** Every keyboard shortcut of the page, as the `?` key lists them. */
export const SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: "Ctrl+Enter (⌘+Enter)", what: "Run the editor's program" },
  { keys: "Ctrl+. (⌘+.)", what: "Stop the run" },
  { keys: "Ctrl+Z in the editor", what: "Undo, also an example opened over your code" },
  { keys: "Ctrl+C in the terminal", what: "Stop the line running in the shell" },
  { keys: "Ctrl+L in the terminal", what: "Clear the terminal" },
  { keys: "↑ / ↓ in the terminal", what: "Earlier lines typed" },
  { keys: "?", what: "This list (outside a text field)" },
  { keys: "Esc", what: "Close this list" },
];

/** Whether a key press belongs to a text field (the editor, the terminal, an input) rather than to the page. */
export function typingIn(target: EventTarget | null): boolean {
  const element = target instanceof HTMLElement ? target : null;
  return !!element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName) || element.closest(".monaco-editor, .xterm") !== null);
}

/** The shortcuts, listed over the page. */
export function KeyboardHelp({ onClose }: { onClose: () => void }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="ask-backdrop" onClick={onClose}>
      <div className="ask keyboard-help" role="dialog" aria-labelledby="keys-title" data-testid="keyboard-help" onClick={(e) => e.stopPropagation()}>
        <h2 id="keys-title">Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map(({ keys, what }) => (
              <tr key={keys}>
                <th>
                  <kbd>{keys}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="ask-buttons">
          <button type="button" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
