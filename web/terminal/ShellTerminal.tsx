import { forwardRef, useEffect, useImperativeHandle, useLayoutEffect, useRef } from "react";
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import "./terminal.css";
import { TerminalSession, type ShellTerminalHost, type Write } from "./terminal-session.ts";

export interface ShellTerminalHandle {
  /** Shows a run started elsewhere (the editor's Run): returns where its output goes; call `end` when it is over. */
  begin(title: string): Write;
  end(): void;
  /** The shell behind the terminal starts over (a fresh sandbox). */
  restart(reason: string): void;
}

const THEME = { background: "#111318", foreground: "#d7dae0", cursor: "#d7dae0", red: "#ff9b94", brightBlue: "#7aa2f7" };

/** The shell's terminal panel: xterm.js sized to its box, driven by a TerminalSession. */
export const ShellTerminal = forwardRef<ShellTerminalHandle, { host: ShellTerminalHost }>(function ShellTerminal({ host }, ref) {
  const box = useRef<HTMLDivElement>(null);
  const session = useRef<TerminalSession | null>(null);
  // The terminal lives as long as the panel; the page's callbacks change with its state.
  const latestHost = useRef(host);
  useLayoutEffect(() => {
    latestHost.current = host;
  });

  useEffect(() => {
    const term = new Terminal({ fontFamily: "ui-monospace, monospace", fontSize: 13, cursorBlink: true, scrollback: 5000, theme: THEME });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box.current!);
    // The terminal's size in characters, on its box: what a layout test checks.
    term.onResize(({ cols, rows }) => Object.assign(box.current?.dataset ?? {}, { cols: String(cols), rows: String(rows) }));
    fit.fit();
    session.current = new TerminalSession(term, {
      runLine: (line, write) => latestHost.current.runLine(line, write),
      stop: () => latestHost.current.stop(),
      cwd: () => latestHost.current.cwd(),
    });
    // The pane is resized by its separators, folding and the window: the terminal refits to every size.
    const resize = new ResizeObserver(() => fit.fit());
    resize.observe(box.current!);
    return () => {
      resize.disconnect();
      session.current = null;
      term.dispose();
    };
  }, []);

  useImperativeHandle(ref, () => ({
    begin: (title) => session.current?.begin(title) ?? (() => {}),
    end: () => session.current?.end(),
    restart: (reason) => session.current?.restart(reason),
  }));

  return (
    <section className="pane terminal-pane" aria-label="terminal">
      <h2>terminal</h2>
      <div className="terminal" data-testid="terminal" ref={box} />
    </section>
  );
});
