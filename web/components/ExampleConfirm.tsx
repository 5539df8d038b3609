import { EXAMPLES, type Example } from "../examples.ts";

/** Code a person wrote or changed: not empty and not one of the shipped examples as they come. */
export function isEdited(code: string): boolean {
  return code.trim() !== "" && !EXAMPLES.some((e) => e.source === code);
}

/** Asks before an example replaces edited code; Ctrl+Z in the editor still brings the code back after. */
export function ExampleConfirm({ example, onOpen, onCancel }: { example: Example; onOpen: () => void; onCancel: () => void }) {
  return (
    <div className="notice confirm" role="alertdialog" aria-label="Replace your code?" data-testid="example-confirm">
      <span>
        Open “{example.title}” over your changes to the {example.language} code? Ctrl+Z in the editor brings your code back.
      </span>
      <button type="button" className="run" onClick={onOpen} data-testid="example-confirm-open" autoFocus>
        Open the example
      </button>
      <button type="button" onClick={onCancel} data-testid="example-confirm-cancel">
        Keep my code
      </button>
    </div>
  );
}
