import { useCallback, useMemo, useRef, useState, type RefObject } from "react";
import type { AccessRequest, AskAnswer, AuditEvent, LoadProgress, RunObserver, RunRequest, RunResult, TraceCall } from "../../wasm-runtime/index.ts";
import { ASK_TIMEOUT_MS } from "../../wasm-runtime/index.ts";
import { foldAudit, type Policy } from "../../wasm-runtime/policy/index.ts";
import type { PendingAsk } from "../components/AskPrompt.tsx";
import type { OutputPaneHandle } from "../components/OutputPane.tsx";
import type { SandboxClient } from "../sandbox/client.ts";
import type { PageWorkspace, RunFiles } from "../workspace/use-workspace.ts";

export type Phase = { name: "idle" } | { name: "loading"; progress: LoadProgress | null } | { name: "running" };

/** Where a run's streamed output goes besides the stdout and stderr panes. */
export type OutputSink = (stream: "stdout" | "stderr", text: string) => void;

/** One run as the page starts it: what to run and on which of the client's entry points. */
export interface RunPlan {
  /** The run request without its files and policy (the hook adds the workspace's). */
  build(files: RunFiles): RunRequest;
  /** `run` for the editor's program, `runShellLine` for a line typed in the terminal. */
  via: "run" | "runShellLine";
  /** Also receives the streamed output (the terminal); called for chunks that arrive after the result too. */
  echo?: OutputSink;
}

export interface RunOutputs {
  stdout: RefObject<OutputPaneHandle | null>;
  stderr: RefObject<OutputPaneHandle | null>;
}

/**
 * A run on the page, the same for the editor's Run and a line typed in the
 * terminal: settle the last review, clear the view, hand over the workspace,
 * stream output/audit, answer asks, then show the result and its review. Owns
 * the phase (idle / loading a runtime / running) and what the last run showed.
 */
export function useRun({ client, ws, outputs, onNotice, onAllowAlways }: {
  client: SandboxClient;
  ws: Pick<PageWorkspace, "settleBeforeRun" | "filesForRun" | "finishRun">;
  outputs: RunOutputs;
  onNotice: (message: string | null) => void;
  /** "Allow always" on an ask prompt: the page adds the rule to its policy. */
  onAllowAlways: (request: AccessRequest) => void;
}) {
  // The default runtime starts loading at once, so the first Run is quick.
  const [phase, setPhase] = useState<Phase>({ name: "loading", progress: null });
  const [result, setResult] = useState<RunResult | null>(null);
  const [stderrText, setStderrText] = useState("");
  const [audit, setAudit] = useState<AuditEvent[]>([]);
  /** The latest alert, shown as a notification until dismissed or the next run. */
  const [alertNotice, setAlertNotice] = useState<AuditEvent | null>(null);
  const [runStartedAt, setRunStartedAt] = useState(0);
  const [pendingAsk, setPendingAsk] = useState<PendingAsk | null>(null);
  const [trace, setTrace] = useState<{ calls: TraceCall[]; truncated: boolean }>({ calls: [], truncated: false });
  /** Withdraws the ask still open, if any: its run has ended, so no answer can matter any more. */
  const withdrawAsk = useRef<(() => void) | null>(null);
  const { settleBeforeRun, filesForRun, finishRun } = ws;

  /** Loads a runtime behind the progress bar (after `before`, e.g. switching engine). */
  const loading = useCallback(
    async (load: (progress: (p: LoadProgress) => void) => Promise<void>) => {
      setPhase({ name: "loading", progress: null });
      try {
        await load((progress) => setPhase({ name: "loading", progress }));
      } finally {
        setPhase({ name: "idle" });
      }
    },
    [],
  );

  /** The guest waits on an `ask` rule: show the prompt; no answer in time means deny. */
  const ask = useCallback(
    (request: AccessRequest, syscall: string) =>
      new Promise<AskAnswer>((resolve) => {
        const deadline = Date.now() + ASK_TIMEOUT_MS;
        const timer = setTimeout(() => answer("deny"), ASK_TIMEOUT_MS);
        function close() {
          clearTimeout(timer);
          setPendingAsk(null);
          withdrawAsk.current = null;
        }
        function answer(choice: AskAnswer) {
          close();
          if (choice === "always") onAllowAlways(request);
          resolve(choice);
        }
        withdrawAsk.current = () => {
          close();
          resolve("deny");
        };
        setPendingAsk({ request, syscall, deadline, answer });
      }),
    [onAllowAlways],
  );

  const appendAudit = useCallback((events: AuditEvent[]) => {
    setAudit((previous) => {
      const next = previous.slice();
      foldAudit(next, events);
      return next;
    });
    const raised = events.filter((e) => e.alert);
    if (raised.length > 0) setAlertNotice(raised.at(-1)!);
  }, []);
  const alerts = useMemo(() => audit.filter((e) => e.alert), [audit]);

  /**
   * Runs `plan` under `policy`; resolves with the result, or undefined when the
   * run could not start (the reason is in a notice). Throws what the client throws.
   */
  const execute = useCallback(
    async (policy: Policy, plan: RunPlan, beforeFiles?: () => Promise<void>): Promise<{ result: RunResult; files: RunFiles } | undefined> => {
      if (!settleBeforeRun()) return undefined;
      const { stdout, stderr } = outputs;
      stdout.current!.clear();
      stderr.current!.clear();
      setStderrText("");
      setResult(null);
      onNotice(null);
      setAudit([]);
      setAlertNotice(null);
      setTrace({ calls: [], truncated: false });
      setRunStartedAt(Date.now());
      try {
        await beforeFiles?.();
        const files = await filesForRun(policy);
        setPhase({ name: "running" });
        // Streamed output travels on its own channel and may trail the result; the result's copy is complete.
        let finished = false;
        let errText = "";
        const callbacks: RunObserver = {
          output: (stream, text) => {
            plan.echo?.(stream, text);
            if (finished) return;
            (stream === "stdout" ? stdout : stderr).current!.append(text);
            if (stream === "stderr") errText += text;
          },
          audit: appendAudit,
          ask,
        };
        const request = plan.build(files);
        const outcome = plan.via === "run" ? await client.run(request, callbacks) : await client.runShellLine(request, callbacks);
        finished = true;
        withdrawAsk.current?.();
        // The status must not show before the output it concludes. A run the page had to abandon
        // (its worker replaced) has no output of its own: what streamed is all there is.
        if (outcome.stdout || outcome.stderr || outcome.error) {
          stdout.current!.replace(outcome.stdout);
          stderr.current!.replace(outcome.stderr + (outcome.error ?? ""));
          errText = outcome.stderr;
        }
        setStderrText(errText);
        setResult(outcome);
        const quotaNotice = finishRun(files, outcome);
        if (quotaNotice) onNotice(quotaNotice);
        if (outcome.trace) setTrace({ calls: outcome.trace, truncated: outcome.traceTruncated ?? false });
        return { result: outcome, files };
      } finally {
        withdrawAsk.current?.();
        setPhase({ name: "idle" });
      }
    },
    [client, outputs, onNotice, settleBeforeRun, filesForRun, finishRun, appendAudit, ask],
  );

  return {
    phase,
    setPhase,
    loading,
    execute,
    result,
    stderrText,
    audit,
    alerts,
    alertNotice,
    dismissAlert: useCallback(() => setAlertNotice(null), []),
    runStartedAt,
    pendingAsk,
    trace,
  };
}
export type PageRun = ReturnType<typeof useRun>;
