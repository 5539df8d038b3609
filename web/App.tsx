import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { AccessRequest, AskAnswer, AuditEvent, EngineName, Language, LoadProgress, Program, RunResult, TraceCall } from "../wasm-runtime/index.ts";
import { ASK_TIMEOUT_MS, DEFAULT_TIMEOUT_MS } from "../wasm-runtime/index.ts";
import { presentationOf, SOURCE_LANGUAGES, type SourceLanguage } from "../wasm-runtime/languages/index.ts";
import { AlertsView } from "./audit/AlertsView.tsx";
import { AuditLog } from "./audit/AuditLog.tsx";
import { AskPrompt, type PendingAsk } from "./components/AskPrompt.tsx";
import { CapabilityMatrix } from "./components/CapabilityMatrix.tsx";
import { SidePanel } from "./components/SidePanel.tsx";
import { PolicyPanel } from "./policy/PolicyPanel.tsx";
import { draftOf, presetText, withAllowRule } from "./policy/policy-draft.ts";
import { SAMPLE_TOOL, ToolsPanel, type ToolDraft } from "./tools/ToolsPanel.tsx";
import { TraceLog } from "./trace/TraceLog.tsx";
import { CodeEditor } from "./components/CodeEditor.tsx";
import { LanguageSelect } from "./components/LanguageSelect.tsx";
import { ComparePage } from "./compare/ComparePage.tsx";
import { COMPARE_HASH, parseCompareHash } from "./compare/route.ts";
import { OutputPane, type OutputPaneHandle } from "./components/OutputPane.tsx";
import { RunStatus } from "./components/RunStatus.tsx";
import { RuntimeProgress } from "./components/RuntimeProgress.tsx";
import { DEFAULT_EXAMPLE, EXAMPLES, exampleModuleUrl, type Example } from "./examples.ts";
import { errorMarks } from "./error-marks.ts";
import { SandboxClient } from "./sandbox/client.ts";
import { decodeSession, encodeSession, type SharedSession } from "./share-link.ts";
import { splitArgs } from "./split-args.ts";
import { useWorkspace } from "./workspace/use-workspace.ts";
import { ShellTerminal, type ShellTerminalHandle } from "./terminal/ShellTerminal.tsx";
import { StreamedOutput } from "./terminal/streamed-output.ts";
import type { Write } from "./terminal/terminal-session.ts";
import { foldAudit, learningPolicy, PolicyError, withFragment, type Policy, type PolicyFragment } from "../wasm-runtime/policy/index.ts";
import { learnFromPageRun } from "./policy/learn-on-page.ts";
import { LearnedPolicy } from "./policy/LearnedPolicy.tsx";
import { EditorArea, ReviewArea, WorkspacePanel } from "./workspace/WorkspacePanel.tsx";
import { OfflineStatus } from "./offline/OfflineStatus.tsx";

/** A WASI program is an example's prebuilt module or a file the user picked. */
type WasmSource = { kind: "example"; example: Example } | { kind: "upload"; name: string; bytes: Uint8Array };

type Phase = { name: "idle" } | { name: "loading"; progress: LoadProgress | null } | { name: "running" };

/** Each language's code starts as its first example, so switching language shows something runnable. */
function initialCodes(session: SharedSession): Record<SourceLanguage, string> {
  const codes = Object.fromEntries(
    SOURCE_LANGUAGES.map((lang) => [lang, EXAMPLES.find((e) => e.language === lang)?.source ?? ""]),
  ) as Record<SourceLanguage, string>;
  if (session.language !== "wasm") codes[session.language] = session.code;
  return codes;
}

function initialSession(): SharedSession {
  return (
    decodeSession(location.hash) ?? {
      language: DEFAULT_EXAMPLE.language,
      code: DEFAULT_EXAMPLE.source,
      args: DEFAULT_EXAMPLE.args ?? "",
      stdin: DEFAULT_EXAMPLE.stdin ?? "",
    }
  );
}

function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id && e.language === "wasm");
}

export function App({ client }: { client: SandboxClient }) {
  const [initial] = useState(initialSession);
  const [language, setLanguage] = useState<Language>(initial.language);
  const [codes, setCodes] = useState(() => initialCodes(initial));
  const code = language === "wasm" ? "" : codes[language];
  const setCode = useCallback((text: string) => language !== "wasm" && setCodes((current) => ({ ...current, [language]: text })), [language]);
  const [wasm, setWasm] = useState<WasmSource>({
    kind: "example",
    example: (initial.language === "wasm" && exampleById(initial.code)) || exampleById("hello")!,
  });
  const [args, setArgs] = useState(initial.args);
  const [stdin, setStdin] = useState(initial.stdin);
  // Kept as typed; read as a number when a run starts.
  const [timeoutText, setTimeoutText] = useState(String(DEFAULT_TIMEOUT_MS / 1000));
  // The default runtime starts loading at once, so the first Run is quick.
  const [phase, setPhase] = useState<Phase>({ name: "loading", progress: null });
  const [result, setResult] = useState<RunResult | null>(null);
  const [stderrText, setStderrText] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  // One workspace for both engines, kept on the page and in IndexedDB (web/workspace/).
  const ws = useWorkspace(setNotice);
  const { settleBeforeRun, filesForRun, finishRun } = ws;
  const [engine, setEngine] = useState<EngineName>("wasmer");
  const [draft, setDraft] = useState(() => draftOf(presetText("workspace")));
  const [secrets, setSecrets] = useState<{ name: string; value: string }[]>([]);
  // A policy learned from a run, shown as a diff until applied or discarded.
  const [learned, setLearned] = useState<Policy | null>(null);
  const [audit, setAudit] = useState<AuditEvent[]>([]);
  /** The latest alert, shown as a notification until dismissed or the next run. */
  const [alertNotice, setAlertNotice] = useState<AuditEvent | null>(null);
  const [runStartedAt, setRunStartedAt] = useState(0);
  const [pendingAsk, setPendingAsk] = useState<PendingAsk | null>(null);
  const [tools, setTools] = useState<ToolDraft[]>([SAMPLE_TOOL]);
  const [tracing, setTracing] = useState(false);
  const [trace, setTrace] = useState<{ calls: TraceCall[]; truncated: boolean }>({ calls: [], truncated: false });
  const stdout = useRef<OutputPaneHandle>(null);
  const stderr = useRef<OutputPaneHandle>(null);
  const terminal = useRef<ShellTerminalHandle>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // The Compare view replaces the workbench; `#compare&token=…` opens it and hands over the runner token.
  const [route] = useState(() => parseCompareHash(location.hash));
  const [view, setView] = useState<"editor" | "compare">(route.compare ? "compare" : "editor");
  useEffect(() => {
    // The token must not stay in the address bar, history or a copied link.
    if (route.token) history.replaceState(null, "", COMPARE_HASH);
  }, [route.token]);
  const showView = (next: "editor" | "compare") => {
    setView(next);
    history.replaceState(null, "", next === "compare" ? COMPARE_HASH : location.pathname + location.search);
  };

  /** Loads `lang`'s runtime (on a fresh sandbox of `engine`, when given) behind the progress bar. */
  const prepare = useCallback(
    async (lang: Language, engine?: EngineName) => {
      setPhase({ name: "loading", progress: null });
      try {
        if (engine) await client.useEngine(engine);
        await client.prepare(lang, (progress) => setPhase({ name: "loading", progress }));
      } finally {
        setPhase({ name: "idle" });
      }
    },
    [client],
  );

  useEffect(() => {
    client
      .prepare(initial.language, (progress) => setPhase({ name: "loading", progress }))
      .catch((error: unknown) => setNotice(`The ${initial.language} runtime did not load: ${String(error)}`))
      .finally(() => setPhase({ name: "idle" }));
  }, [client, initial.language]);

  /** The guest waits on an `ask` rule: show the prompt; no answer in time means deny. */
  const ask = useCallback(
    (request: AccessRequest, syscall: string) =>
      new Promise<AskAnswer>((resolve) => {
        const deadline = Date.now() + ASK_TIMEOUT_MS;
        const timer = setTimeout(() => answer("deny"), ASK_TIMEOUT_MS);
        function answer(choice: AskAnswer) {
          clearTimeout(timer);
          setPendingAsk(null);
          if (choice === "always") setDraft((current) => (current.policy ? draftOf(withAllowRule(current.policy, allowRuleFor(request))) : current));
          resolve(choice);
        }
        setPendingAsk({ request, syscall, deadline, answer });
      }),
    [],
  );

  /** Empties the output, status, audit and trace for a run starting now. */
  const clearRunView = useCallback(() => {
    stdout.current!.clear();
    stderr.current!.clear();
    setStderrText("");
    setResult(null);
    setNotice(null);
    setAudit([]);
    setAlertNotice(null);
    setTrace({ calls: [], truncated: false });
    setRunStartedAt(Date.now());
  }, []);

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

  /** What every run takes from the page's settings besides its program and files. */
  const runSettings = useCallback(
    (policy: Policy) => ({
      timeoutMs: timeLimitMs(timeoutText),
      policy,
      secrets: Object.fromEntries(secrets.filter((s) => s.name.trim()).map((s) => [s.name.trim(), s.value])),
      // Only the gated engine has host tools; the Wasmer engine refuses them rather than ignore them.
      ...(engine === "gated" && { tools: Object.fromEntries(tools.filter((t) => t.name.trim()).map((t) => [t.name.trim(), t.source])) }),
      ...(tracing && { trace: true }),
    }),
    [timeoutText, secrets, engine, tools, tracing],
  );

  /** Runs the editor's program; in learn mode with everything granted, then proposes the policy it needed. */
  const run = useCallback(async (mode: "run" | "learn" = "run") => {
    if (phase.name !== "idle") return;
    if (!draft.policy) {
      setNotice("The policy has errors (see the Policy tab); fix them before running.");
      return;
    }
    const policy = mode === "learn" ? learningPolicy(draft.policy) : draft.policy;
    if (!settleBeforeRun()) return;
    clearRunView();
    // A shell script's output also goes to the terminal, between two prompts.
    let echo: StreamedOutput | undefined;
    try {
      const program = await programFor(language, code, wasm);
      const argv = splitArgs(args);
      await prepare(language);
      const files = await filesForRun(policy);
      setPhase({ name: "running" });
      if (language === "shell" && terminal.current) echo = new StreamedOutput(terminal.current.begin("Run: the editor's script"));
      let errText = "";
      // Streamed output travels on its own channel and may trail the result; the result's copy is complete.
      let finished = false;
      const outcome = await client.run(
        {
          program,
          args: argv,
          stdin,
          ...runSettings(files.policy),
          ...(files.workspace && { workspace: files.workspace }),
          mounts: files.mounts,
        },
        {
          output: (stream, text) => {
            echo?.output(stream, text);
            if (finished) return;
            (stream === "stdout" ? stdout : stderr).current!.append(text);
            if (stream === "stderr") errText += text;
          },
          audit: appendAudit,
          ask,
        },
      );
      finished = true;
      echo?.finish(outcome);
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
      if (quotaNotice) setNotice(quotaNotice);
      if (outcome.trace) setTrace({ calls: outcome.trace, truncated: outcome.traceTruncated ?? false });
      if (mode === "learn") {
        const name = program.language === "wasm" ? (program.name ?? "program.wasm") : language === "wasm" ? "program.wasm" : `main${presentationOf(language).extensions[0]}`;
        const learnt = learnFromPageRun({ policy: files.policy, workspace: files.workspace, mounts: files.mounts, result: outcome, program: name });
        if (typeof learnt === "string") setNotice(learnt);
        else setLearned(learnt);
      }
    } catch (error) {
      setNotice(error instanceof Error ? error.message : String(error));
    } finally {
      if (echo) terminal.current?.end();
      setPhase({ name: "idle" });
    }
  }, [phase.name, language, code, wasm, args, stdin, client, prepare, draft.policy, ask, settleBeforeRun, filesForRun, finishRun, clearRunView, appendAudit, runSettings]);

  /** "Allow this" on a denial: exactly the fix's rules are added to the policy being edited. */
  const allowThis = useCallback((fragment: PolicyFragment) => {
    setDraft((current) => {
      if (!current.policy) return current;
      try {
        return draftOf(JSON.stringify(withFragment(current.policy, fragment), null, 2));
      } catch (error) {
        if (error instanceof PolicyError) setNotice(error.message);
        return current;
      }
    });
  }, []);

  const learnBlocked =
    engine !== "gated" ? "Learn mode needs the gated engine: only it sees every access" : !draft.policy ? "Fix the policy's errors first" : phase.name !== "idle" ? "Wait for the current run" : null;

  /**
   * One line typed in the terminal, run on the worker's kept shell (its folder
   * and variables carry over) over the page's workspace, reviewed like a run;
   * its status goes to the status line like a run's.
   */
  const runLine = useCallback(
    async (line: string, write: Write): Promise<string | undefined> => {
      if (phase.name !== "idle") {
        write("stderr", "the sandbox is busy (a runtime is loading): try again in a moment\n");
        return undefined;
      }
      if (!draft.policy) {
        write("stderr", "the policy has errors (see the Policy tab): fix them before running\n");
        return undefined;
      }
      if (!settleBeforeRun()) return undefined;
      clearRunView();
      const files = await filesForRun(draft.policy);
      setPhase({ name: "running" });
      const output = new StreamedOutput((stream, text) => {
        write(stream, text);
        (stream === "stdout" ? stdout : stderr).current!.append(text);
      });
      try {
        const outcome = await client.runShellLine(
          {
            program: { language: "shell", code: line },
            ...runSettings(files.policy),
            ...(files.workspace && { workspace: files.workspace }),
            mounts: files.mounts,
          },
          { output: output.output, audit: appendAudit, ask },
        );
        output.finish(outcome);
        setResult(outcome);
        const quotaNotice = finishRun(files, outcome);
        if (quotaNotice) setNotice(quotaNotice);
        if (outcome.trace) setTrace({ calls: outcome.trace, truncated: outcome.traceTruncated ?? false });
        return await client.shellCwd();
      } finally {
        setPhase({ name: "idle" });
      }
    },
    [phase.name, draft.policy, client, clearRunView, runSettings, appendAudit, ask, settleBeforeRun, filesForRun, finishRun],
  );
  const shellCwd = useCallback(() => client.shellCwd(), [client]);

  const switchEngine = (next: EngineName) => {
    setEngine(next);
    terminal.current?.restart(`the ${next} engine: the shell's folder and variables start over; the workspace stays`);
    prepare(language, next).catch((error: unknown) => setNotice(`The ${next} engine did not start: ${String(error)}`));
  };

  const stop = useCallback(() => client.stop(), [client]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        void run();
      } else if ((event.ctrlKey || event.metaKey) && event.key === ".") {
        event.preventDefault();
        stop();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [run, stop]);

  const share = useCallback(async () => {
    if (language === "wasm" && wasm.kind === "upload") {
      setNotice("An uploaded module cannot be shared in a link; share one of the examples instead.");
      return;
    }
    const hash = encodeSession({
      language,
      code: language !== "wasm" ? code : wasm.kind === "example" ? wasm.example.id : "",
      args,
      stdin,
    });
    history.replaceState(null, "", hash);
    const link = location.href;
    try {
      await navigator.clipboard.writeText(link);
      setNotice("Share link copied to the clipboard.");
    } catch {
      setNotice(`Share link: ${link}`);
    }
  }, [language, code, wasm, args, stdin]);

  const loadExample = (id: string) => {
    const example = EXAMPLES.find((e) => e.id === id);
    if (!example) return;
    const lang = example.language;
    setLanguage(lang);
    if (lang === "wasm") setWasm({ kind: "example", example });
    else setCodes((current) => ({ ...current, [lang]: example.source }));
    setArgs(example.args ?? "");
    setStdin(example.stdin ?? "");
  };

  const upload = async (file: File) => {
    setLanguage("wasm");
    setWasm({ kind: "upload", name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  };

  const editorText =
    language !== "wasm"
      ? code
      : wasm.kind === "example"
        ? wasm.example.source
        : `// ${wasm.name}: an uploaded WebAssembly module (${wasm.bytes.length.toLocaleString()} bytes).\n// Press Run to run it as a WASI command with the arguments below.\n`;
  const errors = useMemo(
    () => (result ? errorMarks(language, stderrText) : []),
    [language, result, stderrText],
  );
  const busy = phase.name !== "idle";

  return (
    <div className="app" data-ready={phase.name === "idle" && ws.session !== undefined ? "true" : "false"}>
      <header className="toolbar">
        <h1>
          Playpen <span className="tagline">agent code in a WebAssembly sandbox</span>
        </h1>
        <LanguageSelect value={language} onChange={setLanguage} disabled={busy} />
        <label>
          Engine{" "}
          <select data-testid="engine" value={engine} onChange={(e) => switchEngine(e.target.value as EngineName)} disabled={busy} title="Both engines share the workspace's files: switching keeps them and starts the rest of the sandbox afresh">
            <option value="wasmer">Wasmer</option>
            <option value="gated">Gated</option>
          </select>
        </label>
        <label>
          Examples{" "}
          <select data-testid="examples" value="" onChange={(e) => loadExample(e.target.value)} disabled={busy}>
            <option value="" disabled>
              Open an example…
            </option>
            {EXAMPLES.map((e) => (
              <option key={e.id} value={e.id}>
                {e.title}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => fileInput.current!.click()} disabled={busy} data-testid="upload">
          Upload .wasm…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".wasm,application/wasm"
          hidden
          data-testid="upload-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void upload(file);
            e.target.value = "";
          }}
        />
        <span className="spacer" />
        <OfflineStatus refresh={phase.name} />
        <button
          type="button"
          onClick={() => showView(view === "compare" ? "editor" : "compare")}
          data-testid="view-compare"
          aria-pressed={view === "compare"}
          title="Compare the WebAssembly sandbox with native isolation: speed and containment"
        >
          {view === "compare" ? "← Editor" : "Compare"}
        </button>
        <button type="button" onClick={share} data-testid="share" title="Copy a link that restores this session">
          Share
        </button>
        <button type="button" className="run" onClick={() => void run()} disabled={busy} data-testid="run" title="Run (Ctrl+Enter)">
          ▶ Run
        </button>
        <button type="button" onClick={stop} disabled={phase.name !== "running"} data-testid="stop" title="Stop (Ctrl+.)">
          ■ Stop
        </button>
      </header>
      <div className="run-options" hidden={view === "compare"}>
        <label className="grow">
          Arguments <input data-testid="args" value={args} onChange={(e) => setArgs(e.target.value)} placeholder="e.g. --count 3 'two words'" spellCheck={false} />
        </label>
        <label title="Record every WASI call of the run (gated engine)">
          <input type="checkbox" checked={tracing} onChange={(e) => setTracing(e.target.checked)} data-testid="trace-toggle" /> Trace calls
        </label>
        <label>
          Time limit (s){" "}
          <input
            data-testid="timeout"
            type="number"
            min={0.1}
            step={0.5}
            value={timeoutText}
            onChange={(e) => setTimeoutText(e.target.value)}
          />
        </label>
      </div>
      {phase.name === "loading" && <RuntimeProgress progress={phase.progress} />}
      {notice && (
        <div className="notice" role="status" data-testid="notice">
          {notice}
        </div>
      )}
      {alertNotice && view !== "compare" && (
        <div className={`notice alert-notice severity-${alertNotice.alert!.severity}`} role="alert" data-testid="alert-notification">
          <strong>Alert ({alertNotice.alert!.severity}):</strong> {alertNotice.alert!.message} — {alerts.length} this run, see the Alerts tab.
          <button type="button" onClick={() => setAlertNotice(null)} aria-label="Dismiss the alert">
            ×
          </button>
        </div>
      )}
      {view === "compare" && <ComparePage initialToken={route.token ?? ""} />}
      <main className="workbench with-workspace" hidden={view === "compare"}>
        <WorkspacePanel ws={ws} locked={busy || ws.pending} onNotice={setNotice} />
        <EditorArea ws={ws} mainLabel="Program" locked={busy || ws.pending} onRun={() => void run()}>
        <CodeEditor
          value={editorText}
          language={language !== "wasm" ? presentationOf(language).editorLanguage : wasm.kind === "example" ? "cpp" : "plaintext"}
          readOnly={language === "wasm"}
          errors={errors}
          onChange={setCode}
          onRun={() => void run()}
        />
        </EditorArea>
        <div className="output" data-testid="output">
          <RunStatus phase={phase.name} result={result} />
          {language === "shell" && <ShellTerminal ref={terminal} host={{ runLine, stop, cwd: shellCwd }} />}
          <OutputPane ref={stdout} testId="stdout" label="stdout" className="stdout" />
          <OutputPane ref={stderr} testId="stderr" label="stderr" className="stderr" />
          <label className="stdin">
            stdin
            <textarea data-testid="stdin" value={stdin} onChange={(e) => setStdin(e.target.value)} rows={3} spellCheck={false} />
          </label>
        </div>
        <SidePanel
          tabs={[
            {
              id: "policy",
              label: draft.policy ? "Policy" : "Policy ⚠",
              content: (
                <PolicyPanel
                  draft={draft}
                  onText={(text) => setDraft(draftOf(text))}
                  onPreset={(id) => setDraft(draftOf(presetText(id)))}
                  secrets={secrets}
                  onSecrets={setSecrets}
                  onLearn={() => void run("learn")}
                  learnBlocked={learnBlocked}
                  learned={
                    learned && (
                      <LearnedPolicy
                        current={draft.text}
                        learned={JSON.stringify(learned, null, 2)}
                        onApply={() => {
                          setDraft(draftOf(JSON.stringify(learned, null, 2)));
                          setLearned(null);
                        }}
                        onDiscard={() => setLearned(null)}
                      />
                    )
                  }
                />
              ),
            },
            { id: "audit", label: `Audit (${audit.length})`, content: <AuditLog events={audit} runStartedAt={runStartedAt} onAllow={allowThis} /> },
            { id: "alerts", label: alerts.length > 0 ? `Alerts (${alerts.length}) ⚠` : "Alerts", content: <AlertsView alerts={alerts} runStartedAt={runStartedAt} /> },
            { id: "tools", label: "Tools", content: <ToolsPanel tools={tools} onTools={setTools} /> },
            { id: "trace", label: "Trace", content: <TraceLog calls={trace.calls} truncated={trace.truncated} /> },
            { id: "engines", label: "Engines", content: <CapabilityMatrix /> },
          ]}
        />
      </main>
      {view !== "compare" && <ReviewArea ws={ws} />}
      {pendingAsk && <AskPrompt ask={pendingAsk} />}
    </div>
  );
}

/** The allow rule that "Allow always" adds for an answered request. */
function allowRuleFor(request: AccessRequest): Parameters<typeof withAllowRule>[1] {
  switch (request.capability) {
    case "file":
      return { list: "files", rule: { path: request.path, access: request.access } };
    case "network":
      return { list: "network", rule: { host: request.host, port: request.port } };
    case "env":
      return { list: "env", rule: { name: request.name } };
    case "secret":
      return { list: "secrets", rule: { name: request.name } };
    case "tool":
      return { list: "tools", rule: { name: request.name } };
    default:
      throw new Error(`${request.capability} is not asked for`);
  }
}

/** The time limit field in milliseconds; an empty or unreadable field means the default. */
function timeLimitMs(text: string): number {
  const seconds = Number(text);
  return text.trim() && Number.isFinite(seconds) && seconds > 0 ? Math.max(100, Math.round(seconds * 1000)) : DEFAULT_TIMEOUT_MS;
}

async function programFor(language: Language, code: string, wasm: WasmSource): Promise<Program> {
  if (language !== "wasm") return { language, code };
  if (wasm.kind === "upload") return { language, module: wasm.bytes, name: wasm.name };
  const url = exampleModuleUrl(wasm.example.id);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the example module ${url}: HTTP ${response.status}`);
  return { language, module: new Uint8Array(await response.arrayBuffer()), name: `${wasm.example.id}.wasm` };
}
