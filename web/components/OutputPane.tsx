import { forwardRef, useImperativeHandle, useRef } from "react";

export interface OutputPaneHandle {
  append(text: string): void;
  clear(): void;
}

/**
 * A scrolling text pane fed imperatively: appending a chunk touches one text
 * node instead of re-rendering everything printed so far.
 */
export const OutputPane = forwardRef<OutputPaneHandle, { testId: string; label: string; className: string }>(
  function OutputPane({ testId, label, className }, ref) {
    const pre = useRef<HTMLPreElement>(null);
    useImperativeHandle(ref, () => ({
      append(text) {
        const node = pre.current!;
        const atBottom = node.scrollTop + node.clientHeight >= node.scrollHeight - 4;
        node.append(text);
        if (atBottom) node.scrollTop = node.scrollHeight;
      },
      clear() {
        pre.current!.textContent = "";
      },
    }));
    return (
      <section className={`pane ${className}`} aria-label={label}>
        <h2>{label}</h2>
        <pre data-testid={testId} ref={pre} />
      </section>
    );
  },
);
