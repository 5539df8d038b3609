import { useEffect, useRef, useState } from "react";
import type { EngineName } from "../../wasm-runtime/index.ts";
import { BROWSER_ENGINES, BROWSER_WORKLOADS, browserBackendName, measureInBrowser } from "./browser-engines.ts";
import { mergeLive } from "./merge.ts";
import type { CompareResult } from "./result.ts";
import { NO_RUNNER_MESSAGE, runNativeCompare, runnerStatus, type StatusAnswer } from "./runner.ts";

const DEFAULT_SAMPLES = 3;
const WARMUP = 1;
/** Log lines kept on screen: the latest ones. */
const LOG_LINES = 200;

type Phase = { name: "idle" } | { name: "native" } | { name: "browser" };

function browserHost(): CompareResult["host"] {
  const memory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  return {
    os: navigator.platform || "unknown",
    kernel: "unknown (no local runner)",
    arch: "unknown",
    cpu: "this machine (the browser does not say which CPU)",
    cores: navigator.hardwareConcurrency,
    memoryMiB: memory ? memory * 1024 : 0,
  };
}

function runnerMessage(answer: StatusAnswer | null): string {
  if (!answer) return "Looking for the local runner…";
  switch (answer.state) {
    case "absent":
      return NO_RUNNER_MESSAGE;
    case "unauthorized":
      return "The local runner needs its token: paste the one the terminal printed when the playground started.";
    case "error":
      return `The local runner did not answer as expected: ${answer.message}`;
    case "ready":
      return answer.status.busy ? "The local runner is busy with another comparison." : "Local runner ready.";
  }
}

/**
 * Runs the comparison now, on this machine: the native backends through the
 * local runner, the WASM engines in this page, merged into one live result.
 */
export function LivePanel({ reference, initialToken, onResult }: { reference: CompareResult | null; initialToken: string; onResult: (live: CompareResult) => void }) {
  const [token, setToken] = useState(initialToken);
  // The answer for the token it was asked with: a newer token shows "looking…" until its own answer.
  const [answer, setAnswer] = useState<{ token: string; status: StatusAnswer } | null>(null);
  const runner = answer?.token === token ? answer.status : null;
  const [picked, setPicked] = useState<Set<string>>(() => new Set(["plain", ...BROWSER_ENGINES.map(browserBackendName)]));
  const [samples, setSamples] = useState(String(DEFAULT_SAMPLES));
  const [probes, setProbes] = useState(false);
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [summary, setSummary] = useState("");
  const [log, setLog] = useState<string[]>([]);
  /** Seconds since Run live, ticking: the runner's warm-up prints nothing for a while. */
  const [elapsed, setElapsed] = useState(0);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    runnerStatus(token, controller.signal).then(
      (status) => setAnswer({ token, status }),
      (error: unknown) => {
        if (!controller.signal.aborted) setAnswer({ token, status: { state: "error", message: String(error) } });
      },
    );
    return () => controller.abort();
  }, [token]);

  // Leaving the view stops a live run in progress.
  useEffect(() => () => abort.current?.abort(), []);

  const live = phase.name !== "idle";
  useEffect(() => {
    if (!live) return;
    const started = Date.now();
    const timer = setInterval(() => setElapsed(Math.round((Date.now() - started) / 1000)), 1000);
    return () => {
      clearInterval(timer);
      setElapsed(0);
    };
  }, [live]);
  const nativeBackends = runner?.state === "ready" ? runner.status.backends.filter((b) => b.kind === "native") : [];
  const running = phase.name !== "idle";
  const toggle = (name: string, on: boolean) =>
    setPicked((current) => {
      const next = new Set(current);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });
  const addLog = (line: string) => setLog((lines) => [...lines, line].slice(-LOG_LINES));

  const start = async () => {
    const controller = new AbortController();
    abort.current = controller;
    const count = Math.max(1, Math.min(50, Math.round(Number(samples)) || DEFAULT_SAMPLES));
    const natives = nativeBackends.filter((b) => b.available && picked.has(b.name)).map((b) => b.name);
    const engines = BROWSER_ENGINES.filter((e) => picked.has(browserBackendName(e)));
    const date = new Date().toISOString();
    setLog([]);
    setProgress(null);
    try {
      let native: CompareResult | undefined;
      if (natives.length > 0) {
        setPhase({ name: "native" });
        setSummary(`Running ${natives.join(", ")} on the local runner (${count} sample${count === 1 ? "" : "s"})…`);
        native = await runNativeCompare(token, { backends: natives, samples: count, probes }, { signal: controller.signal, onLog: addLog });
      }
      setPhase({ name: "browser" });
      const workloads = Object.keys(BROWSER_WORKLOADS);
      const total = engines.length * workloads.length * (count + WARMUP);
      let done = 0;
      setProgress({ done, total });
      setSummary(engines.length ? `Running ${engines.map(browserBackendName).join(", ")} in this page…` : "");
      const browser = await measureInBrowser({
        workloads,
        engines: engines as EngineName[],
        samples: count,
        warmup: WARMUP,
        signal: controller.signal,
        onLog: addLog,
        onRun: () => setProgress({ done: ++done, total }),
        argsOf: (id) => (native ?? reference)?.workloads.find((w) => w.id === id)?.args,
      });
      onResult(mergeLive(reference, { date, samples: count, warmup: WARMUP, native, browser, browserHost: browserHost() }));
      setSummary(`Done: the charts show the live result (${natives.length + engines.length} backend${natives.length + engines.length === 1 ? "" : "s"}, ${date}).`);
    } catch (error) {
      setSummary(controller.signal.aborted ? "Stopped: the live run was cancelled; the charts are unchanged." : `The live run failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      abort.current = null;
      setPhase({ name: "idle" });
      setProgress(null);
    }
  };

  return (
    <section className="live-panel" data-testid="compare-live">
      <h3>Run live</h3>
      <p className="runner-state" data-testid="compare-runner">
        {runnerMessage(runner)}
      </p>
      <div className="live-controls">
        <label>
          Runner token{" "}
          <input data-testid="compare-token" type="password" value={token} onChange={(e) => setToken(e.target.value.trim())} autoComplete="off" spellCheck={false} placeholder="printed by npm start" />
        </label>
        <label>
          Samples <input data-testid="compare-samples" type="number" min={1} max={50} value={samples} onChange={(e) => setSamples(e.target.value)} />
        </label>
        <label title="The containment probes take about a minute per backend">
          <input type="checkbox" data-testid="compare-probes" checked={probes} onChange={(e) => setProbes(e.target.checked)} /> Containment probes (slow)
        </label>
        <button type="button" className="run" data-testid="compare-run" onClick={() => void start()} disabled={running || picked.size === 0}>
          ▶ Run live
        </button>
        <button type="button" data-testid="compare-stop" onClick={() => abort.current?.abort()} disabled={!running}>
          ■ Stop
        </button>
      </div>
      <fieldset className="backend-checklist" data-testid="compare-backends" disabled={running}>
        <legend>Backends</legend>
        {nativeBackends.map((b) => (
          <label key={b.name} title={b.available ? (b.version ?? "") : `unavailable: ${b.reason ?? "no reason given"}`} className={b.available ? "" : "unavailable"}>
            <input type="checkbox" data-testid={`compare-backend-${b.name}`} checked={b.available && picked.has(b.name)} disabled={!b.available} onChange={(e) => toggle(b.name, e.target.checked)} /> {b.title}
            {!b.available && <span className="muted"> (unavailable)</span>}
          </label>
        ))}
        {BROWSER_ENGINES.map((engine) => {
          const name = browserBackendName(engine);
          return (
            <label key={name} title="Runs in this page, no runner needed">
              <input type="checkbox" data-testid={`compare-backend-${name}`} checked={picked.has(name)} onChange={(e) => toggle(name, e.target.checked)} /> ◆ {engine === "wasmer" ? "Wasmer" : "Gated"} engine (this page)
            </label>
          );
        })}
      </fieldset>
      <div className="live-status" data-testid="compare-status" role="status" data-phase={phase.name}>
        {running && (progress ? <progress value={progress.done} max={progress.total} data-testid="compare-progress" /> : <progress data-testid="compare-progress" />)}
        {running && (
          <span className="muted" data-testid="compare-elapsed">
            {elapsed} s{phase.name === "native" && log.length === 0 ? " — the runner is warming up (building and starting each sandbox before its first sample); figures follow" : ""}
            {progress && ` — ${progress.done} of ${progress.total} runs in this page`}
          </span>
        )}
        <span>{summary}</span>
        {log.length > 0 && <pre className="live-log">{log.join("\n")}</pre>}
      </div>
    </section>
  );
}
