import { useEffect, useState } from "react";
import { describeResource, type AccessRequest, type AskAnswer } from "../../wasm-runtime/index.ts";

export interface PendingAsk {
  request: AccessRequest;
  syscall: string;
  /** When no answer counts as a denial (Date.now() time). */
  deadline: number;
  answer: (answer: AskAnswer) => void;
}

/** The guest is paused on an `ask` rule: name the exact resource and let the person decide. */
export function AskPrompt({ ask }: { ask: PendingAsk }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const { request } = ask;
  const what = request.capability === "file" ? `${request.access} ${request.path}` : `${request.capability} ${describeResource(request)}`;
  return (
    <div className="ask-backdrop">
      <div className="ask" role="alertdialog" aria-labelledby="ask-title" data-testid="ask-prompt">
        <h2 id="ask-title">The program asks for access</h2>
        <p className="ask-what">
          <code data-testid="ask-resource">{what}</code>
        </p>
        <p className="muted">
          through <code>{ask.syscall}</code>
          {"args" in request && request.args !== undefined && (
            <>
              {" "}
              with <code>{JSON.stringify(request.args).slice(0, 200)}</code>
            </>
          )}
          . The guest waits; no answer in {Math.max(0, Math.ceil((ask.deadline - now) / 1000))} s means deny.
        </p>
        <div className="ask-buttons">
          <button type="button" className="run" onClick={() => ask.answer("once")} data-testid="ask-once" autoFocus>
            Allow once
          </button>
          <button type="button" onClick={() => ask.answer("always")} data-testid="ask-always" title="Adds an allow rule to the policy">
            Allow always
          </button>
          <button type="button" onClick={() => ask.answer("deny")} data-testid="ask-deny">
            Deny
          </button>
        </div>
      </div>
    </div>
  );
}
