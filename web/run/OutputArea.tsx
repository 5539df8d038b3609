import type { RefObject } from "react";
import type { RunResult } from "../../wasm-runtime/index.ts";
import { OutputPane, type OutputPaneHandle } from "../components/OutputPane.tsx";
import { RunStatus } from "../components/RunStatus.tsx";
import { ShellTerminal, type ShellTerminalHandle } from "../terminal/ShellTerminal.tsx";
import type { ShellTerminalHost } from "../terminal/terminal-session.ts";

interface Props {
  phase: string;
  result: RunResult | null;
  /** The program is compiled before it runs (C). */
  compiles: boolean;
  /** Present for the shell: its terminal then takes the pane, and shows the output itself. */
  shellHost: ShellTerminalHost | null;
  terminal: RefObject<ShellTerminalHandle | null>;
  stdout: RefObject<OutputPaneHandle | null>;
  stderr: RefObject<OutputPaneHandle | null>;
  stdin: string;
  onStdin: (text: string) => void;
}

/**
 * Under the editor: the run's status, then its output. For the shell the
 * terminal fills the pane and already shows stdout and stderr, so the two
 * panes and stdin fold away (still filled, for a look at one stream alone).
 */
export function OutputArea({ phase, result, compiles, shellHost, terminal, stdout, stderr, stdin, onStdin }: Props) {
  const panes = (
    <>
      <OutputPane ref={stdout} testId="stdout" label="stdout" className="stdout" />
      <OutputPane ref={stderr} testId="stderr" label="stderr" className="stderr" />
      <label className="stdin">
        stdin
        <textarea data-testid="stdin" value={stdin} onChange={(e) => onStdin(e.target.value)} rows={2} spellCheck={false} />
      </label>
    </>
  );
  return (
    <div className={`output${shellHost ? " with-terminal" : ""}`} data-testid="output">
      <RunStatus phase={phase} result={result} compiles={compiles} />
      {shellHost ? (
        <>
          <ShellTerminal ref={terminal} host={shellHost} />
          <details className="streams">
            <summary>stdout, stderr and stdin of the editor's script</summary>
            <div className="streams-body">{panes}</div>
          </details>
        </>
      ) : (
        <div className="output-panes">{panes}</div>
      )}
    </div>
  );
}
