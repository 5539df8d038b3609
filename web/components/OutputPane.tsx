import { forwardRef, useImperativeHandle, useRef } from "react";

/** A block still waiting for its line to end grows to this size at most. */
const MAX_OPEN_BLOCK = 64 * 1024;

export interface OutputPaneHandle {
  append(text: string): void;
  /** Replaces everything shown with `text`: a run's final output, which streamed chunks may not have fully delivered yet. */
  replace(text: string): void;
  clear(): void;
}

/**
 * A scrolling text pane fed imperatively. Text arriving within a frame becomes
 * one new block: the browser lays out only that block, not everything printed
 * so far, so a flood of output cannot freeze the page.
 */
export const OutputPane = forwardRef<OutputPaneHandle, { testId: string; label: string; className: string }>(
  function OutputPane({ testId, label, className }, ref) {
    const box = useRef<HTMLDivElement>(null);
    const pending = useRef("");
    const frame = useRef(0);
    /** Characters appended since the last clear, shown or pending. */
    const received = useRef(0);
    /** Appends the text of the last frame as one block. */
    function show() {
      frame.current = 0;
      if (!pending.current) return;
      const node = box.current!;
      const atBottom = node.scrollTop + node.clientHeight >= node.scrollHeight - 4;
      const last = node.lastElementChild;
      // Continue an unfinished line in its block, unless that block is already large.
      if (last?.textContent && !last.textContent.endsWith("\n") && last.textContent.length < MAX_OPEN_BLOCK) {
        last.append(pending.current);
      } else {
        const block = document.createElement("span");
        block.textContent = pending.current;
        node.append(block);
      }
      pending.current = "";
      if (atBottom) node.scrollTop = node.scrollHeight;
    }
    useImperativeHandle(ref, () => ({
      append(text) {
        received.current += text.length;
        pending.current += text;
        frame.current ||= requestAnimationFrame(show);
      },
      replace(text) {
        cancelAnimationFrame(frame.current);
        // Usually everything has streamed in already: then only the pending text is left to show.
        if (received.current !== text.length) {
          box.current!.textContent = "";
          pending.current = text;
        }
        received.current = text.length;
        show();
      },
      clear() {
        cancelAnimationFrame(frame.current);
        frame.current = 0;
        pending.current = "";
        received.current = 0;
        box.current!.textContent = "";
      },
    }));
    return (
      <section className={`pane ${className}`} aria-label={label}>
        <h2>{label}</h2>
        <div className="pane-text" data-testid={testId} ref={box} />
      </section>
    );
  },
);
