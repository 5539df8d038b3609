import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from "react";
import type { AccessRequest, EngineName, Language, Program } from "../wasm-runtime/index.ts";
import { DEFAULT_TIMEOUT_MS } from "../wasm-runtime/index.ts";
import { presentationOf, SOURCE_LANGUAGES, type SourceLanguage } from "../wasm-runtime/languages/index.ts";
import { AlertsView } from "./audit/AlertsView.tsx";
import { AuditLog } from "./audit/AuditLog.tsx";
import { AskPrompt } from "./components/AskPrompt.tsx";
import { CapabilityMatrix } from "./components/CapabilityMatrix.tsx";
import { SidePanel } from "./components/SidePanel.tsx";
import { PolicyPanel } from "./policy/PolicyPanel.tsx";
import { draftOf, presetText, withAllowRule } from "./policy/policy-draft.ts";
import { SAMPLE_TOOL, ToolsPanel, type ToolDraft } from "./tools/ToolsPanel.tsx";
import { TraceLog } from "./trace/TraceLog.tsx";
import { CodeEditor, type CodeEditorHandle } from "./components/CodeEditor.tsx";
import { LanguageSelect } from "./components/LanguageSelect.tsx";
import { ComparePage } from "./compare/ComparePage.tsx";
import { COMPARE_HASH, parseCompareHash } from "./compare/route.ts";
import type { OutputPaneHandle } from "./components/OutputPane.tsx";
import { RuntimeProgress } from "./components/RuntimeProgress.tsx";
import { DEFAULT_EXAMPLE, EXAMPLES, exampleModuleUrl, type Example } from "./examples.ts";
import { errorMarks } from "./error-marks.ts";
import { SandboxClient } from "./sandbox/client.ts";
import { decodeSession, encodeSession, type SharedSession } from "./share-link.ts";
import { splitArgs } from "./split-args.ts";
import { useWorkspace } from "./workspace/use-workspace.ts";
import { rememberedWorkspace } from "./workspace/session.ts";
import type { ShellTerminalHandle } from "./terminal/ShellTerminal.tsx";
import { StreamedOutput } from "./terminal/streamed-output.ts";
import type { Write } from "./terminal/terminal-session.ts";
import { learningPolicy, PolicyError, withFragment, type Policy, type PolicyFragment } from "../wasm-runtime/policy/index.ts";
import { learnFromPageRun } from "./policy/learn-on-page.ts";
import { LearnedPolicy } from "./policy/LearnedPolicy.tsx";
import { EditorArea, ReviewArea, WorkspacePanel } from "./workspace/WorkspacePanel.tsx";
import { OfflineStatus } from "./offline/OfflineStatus.tsx";
import { useRun } from "./run/useRun.ts";
import { OutputArea } from "./run/OutputArea.tsx";
import { Workbench } from "./layout/Workbench.tsx";
import { loadSetup, saveSetup, type SavedSetup } from "./setup/saved-setup.ts";
import { ExampleConfirm, isEdited } from "./components/ExampleConfirm.tsx";
import { KeyboardHelp, typingIn } from "./components/KeyboardHelp.tsx";
import { cliCommand } from "./setup/cli-command.ts";

/** A WASI program is an example's prebuilt module or a file the user picked. */
type WasmSource = { kind: "example"; example: Example } | { kind: "upload"; name: string; bytes: Uint8Array };

/** Each language's code starts as its first example, so switching language shows something runnable. */
function exampleCodes(): Record<SourceLanguage, string> {
  return Object.fromEntries(SOURCE_LANGUAGES.map((lang) => [lang, EXAMPLES.find((e) => e.language === lang)?.source ?? ""])) as Record<SourceLanguage, string>;
}

/** What the page starts with: a share link's session, else the setup saved for the workspace, else the default example. */
function initialSetup(): SavedSetup {
  const shared: SharedSession | null = decodeSession(location.hash);
  const saved = loadSetup(rememberedWorkspace());
  const base: SavedSetup = saved ?? {
    language: DEFAULT_EXAMPLE.language,
    codes: {},
    wasmExample: "hello",
    engine: "wasmer",
    policyText: presetText("workspace"),
    tools: [SAMPLE_TOOL],
    args: DEFAULT_EXAMPLE.args ?? "",
    stdin: DEFAULT_EXAMPLE.stdin ?? "",
    timeoutText: String(DEFAULT_TIMEOUT_MS / 1000),
    tracing: false,
    openFiles: [],
    activeFile: null,
  };
  const setup = { ...base, codes: { ...exampleCodes(), ...base.codes } };
  if (!shared) return setup;
  const sharedCode = shared.language === "wasm" ? {} : { [shared.language]: shared.code };
  return {
    ...setup,
    language: shared.language,
    codes: { ...setup.codes, ...sharedCode },
    wasmExample: shared.language === "wasm" ? shared.code : setup.wasmExample,
    args: shared.args,
    stdin: shared.stdin,
  };
}

function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id && e.language === "wasm");
}

export function App({ client }: { client: SandboxClient }) {
  const [initial] = useState(initialSetup);
  const [language, setLanguage] = useState<Language>(initial.language);
  const [codes, setCodes] = useState(initial.codes);
  const code = language === "wasm" ? "" : (codes[language] ?? "");
  const onEditorChange = useCallback((key: string, text: string) => SOURCE_LANGUAGES.includes(key as SourceLanguage) && setCodes((current) => ({ ...current, [key]: text })), []);
  const [wasm, setWasm] = useState<WasmSource>({ kind: "example", example: exampleById(initial.wasmExample) ?? exampleById("hello")! });
  const [args, setArgs] = useState(initial.args);
  const [stdin, setStdin] = useState(initial.stdin);
  // Kept as typed; read as a number when a run starts.
  const [timeoutText, setTimeoutText] = useState(initial.timeoutText);
  const [notice, setNotice] = useState<string | null>(null);
  // One workspace for both engines, kept on the page and in IndexedDB (web/workspace/).
  const ws = useWorkspace(setNotice);
  const [engine, setEngine] = useState<EngineName>(initial.engine);
  const [draft, setDraft] = useState(() => draftOf(initial.policyText));
  const [secrets, setSecrets] = useState<{ name: string; value: string }[]>([]);
  // A policy learned from a run, shown as a diff until applied or discarded.
  const [learned, setLearned] = useState<Policy | null>(null);
  const [tools, setTools] = useState<ToolDraft[]>(initial.tools);
  const [tracing, setTracing] = useState(initial.tracing);
  /** An example chosen over edited code: waits for the person to confirm. */
  const [pendingExample, setPendingExample] = useState<Example | null>(null);
  const stdout = useRef<OutputPaneHandle>(null);
  const stderr = useRef<OutputPaneHandle>(null);
  const outputs = useMemo(() => ({ stdout, stderr }), []);
  const terminal = useRef<ShellTerminalHandle>(null);
  const editor = useRef<CodeEditorHandle>(null);
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

  const allowAlways = useCallback(
    (request: AccessRequest) => setDraft((current) => (current.policy ? draftOf(withAllowRule(current.policy, allowRuleFor(request))) : current)),
    [],
  );
  const runs = useRun({ client, ws, outputs, onNotice: setNotice, onAllowAlways: allowAlways });
  const { phase, loading, execute } = runs;

  /** Loads `lang`'s runtime (on a fresh sandbox of `engine`, when given) behind the progress bar. */
  const prepare = useCallback(
    (lang: Language, engine?: EngineName) =>
      loading(async (progress) => {
        if (engine) await client.useEngine(engine);
        await client.prepare(lang, progress);
      }),
    [client, loading],
  );

  useEffect(() => {
    prepare(initial.language, initial.engine === "wasmer" ? undefined : initial.engine).catch((error: unknown) =>
      setNotice(`The ${initial.language} runtime did not load: ${String(error)}`),
    );
  }, [prepare, initial.language, initial.engine]);

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
  const run = useCallback(
    async (mode: "run" | "learn" = "run") => {
      if (phase.name !== "idle") return;
      if (!draft.policy) {
        setNotice("The policy has errors (see the Policy tab); fix them before running.");
        return;
      }
      const policy = mode === "learn" ? learningPolicy(draft.policy) : draft.policy;
      // A shell script's output also goes to the terminal, between two prompts.
      let echo: StreamedOutput | undefined;
      try {
        let program: Program | undefined;
        const done = await execute(
          policy,
          {
            via: "run",
            build: (files) => ({
              program: program!,
              args: splitArgs(args),
              stdin,
              ...runSettings(files.policy),
              ...(files.workspace && { workspace: files.workspace }),
              mounts: files.mounts,
            }),
            echo: (stream, text) => echo?.output(stream, text),
          },
          async () => {
            program = await programFor(language, code, wasm);
            await prepare(language);
            if (language === "shell" && terminal.current) echo = new StreamedOutput(terminal.current.begin("Run: the editor's script"));
          },
        );
        if (!done) return;
        echo?.finish(done.result);
        if (mode === "learn") {
          const name = program!.language === "wasm" ? (program!.name ?? "program.wasm") : `main${presentationOf(language as SourceLanguage).extensions[0]}`;
          const learnt = learnFromPageRun({ policy: done.files.policy, workspace: done.files.workspace, mounts: done.files.mounts, result: done.result, program: name });
          if (typeof learnt === "string") setNotice(learnt);
          else setLearned(learnt);
        }
      } catch (error) {
        setNotice(error instanceof Error ? error.message : String(error));
      } finally {
        if (echo) terminal.current?.end();
      }
    },
    [phase.name, language, code, wasm, args, stdin, prepare, draft.policy, execute, runSettings],
  );

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
      const output = new StreamedOutput(write);
      const done = await execute(draft.policy, {
        via: "runShellLine",
        build: (files) => ({
          program: { language: "shell", code: line },
          ...runSettings(files.policy),
          ...(files.workspace && { workspace: files.workspace }),
          mounts: files.mounts,
        }),
        echo: output.output,
      });
      if (!done) return undefined;
      output.finish(done.result);
      return await client.shellCwd();
    },
    [phase.name, draft.policy, client, execute, runSettings],
  );
  const shellCwd = useCallback(() => client.shellCwd(), [client]);

  const switchEngine = useCallback(
    (next: EngineName) => {
      setEngine(next);
      terminal.current?.restart(`the ${next} engine: the shell's folder and variables start over; the workspace stays`);
      prepare(language, next).catch((error: unknown) => setNotice(`The ${next} engine did not start: ${String(error)}`));
    },
    [prepare, language],
  );

  const stop = useCallback(() => client.stop(), [client]);
  const [showKeys, setShowKeys] = useState(false);
  const closeKeys = useCallback(() => setShowKeys(false), []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "?" && !event.ctrlKey && !event.metaKey && !typingIn(event.target)) {
        event.preventDefault();
        setShowKeys(true);
      } else if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
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

  /** The current setup as `playpen run` lines, to the clipboard (or shown when the clipboard refuses). */
  const copyCli = useCallback(async () => {
    if (!draft.policy) {
      setNotice("The policy has errors (see the Policy tab): fix them first.");
      return;
    }
    const file = language === "wasm" ? (wasm.kind === "example" ? `${wasm.example.id}.wasm` : wasm.name) : language === "shell" ? "main.sh" : `main${presentationOf(language).extensions[0]}`;
    const text = cliCommand({
      file,
      language,
      ...(language !== "wasm" && { code }),
      args: splitArgs(args),
      engine,
      policy: draft.policy,
      timeoutMs: timeLimitMs(timeoutText),
      secretNames: secrets.map((s) => s.name.trim()).filter(Boolean),
      tools: engine === "gated" ? tools.filter((t) => t.name.trim()) : [],
      trace: tracing,
    });
    try {
      await navigator.clipboard.writeText(text);
      setNotice(`Copied the CLI command (${text.split("\n").length - 1} lines) to the clipboard; secret values stay out of it (--secret NAME reads them from your environment).`);
    } catch {
      setNotice(text);
    }
  }, [draft.policy, language, wasm, code, args, engine, timeoutText, secrets, tools, tracing]);

  /** Opens an example: its language, code (one undoable edit in the editor), arguments and stdin. */
  const openExample = (example: Example) => {
    setPendingExample(null);
    const lang = example.language;
    setLanguage(lang);
    if (lang === "wasm") setWasm({ kind: "example", example });
    else {
      setCodes((current) => ({ ...current, [lang]: example.source }));
      editor.current?.load(lang, example.source);
    }
    setArgs(example.args ?? "");
    setStdin(example.stdin ?? "");
  };
  const chooseExample = (id: string) => {
    const example = EXAMPLES.find((e) => e.id === id);
    if (!example) return;
    const current = example.language === "wasm" ? undefined : codes[example.language];
    // Code a person wrote is not replaced unasked.
    if (current !== undefined && current !== example.source && isEdited(current)) setPendingExample(example);
    else openExample(example);
  };

  const upload = async (file: File) => {
    setLanguage("wasm");
    setWasm({ kind: "upload", name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  };

  // The setup is kept per workspace: saved as it changes, restored when the page opens or another workspace is chosen.
  const session = ws.session;
  const workspaceName = session?.name;
  const { restoreTabs, openFiles, activeFile } = ws;
  const restoredFor = useRef<string | null>(null);
  /** Applies the setup saved for the session's workspace, once per workspace chosen. */
  const restoreSetup = useEffectEvent(() => {
    const name = session?.name;
    if (!name || restoredFor.current === name) return;
    // The page's first workspace already started from its setup (initialSetup); only its tabs had to wait.
    const first = restoredFor.current === null && name === rememberedWorkspace();
    restoredFor.current = name;
    const saved = loadSetup(name);
    if (!saved) return;
    restoreTabs(saved.openFiles, saved.activeFile);
    if (first) return;
    const next = { ...exampleCodes(), ...saved.codes };
    setCodes(next);
    for (const lang of SOURCE_LANGUAGES) editor.current?.load(lang, next[lang]!);
    setLanguage(saved.language);
    const example = exampleById(saved.wasmExample);
    if (example) setWasm({ kind: "example", example });
    setDraft(draftOf(saved.policyText));
    setTools(saved.tools);
    setArgs(saved.args);
    setStdin(saved.stdin);
    setTimeoutText(saved.timeoutText);
    setTracing(saved.tracing);
    if (saved.engine !== engine) switchEngine(saved.engine);
  });
  // The session announces every change, a switch of workspace among them.
  useEffect(() => {
    if (!session) return;
    const unsubscribe = session.subscribe(restoreSetup);
    queueMicrotask(restoreSetup);
    return unsubscribe;
  }, [session]);
  useEffect(() => {
    if (!workspaceName || restoredFor.current !== workspaceName) return;
    const timer = setTimeout(() => {
      const setup: SavedSetup = {
        language,
        codes,
        wasmExample: wasm.kind === "example" ? wasm.example.id : "hello",
        engine,
        policyText: draft.text,
        tools,
        args,
        stdin,
        timeoutText,
        tracing,
        openFiles,
        activeFile,
      };
      if (!saveSetup(workspaceName, setup)) setNotice("This page's setup could not be saved in browser storage (full or disabled): it will not survive a reload.");
    }, 250);
    return () => clearTimeout(timer);
  }, [workspaceName, language, codes, wasm, engine, draft.text, tools, args, stdin, timeoutText, tracing, openFiles, activeFile]);

  const editorText =
    language !== "wasm"
      ? code
      : wasm.kind === "example"
        ? wasm.example.source
        : `// ${wasm.name}: an uploaded WebAssembly module (${wasm.bytes.length.toLocaleString()} bytes).\n// Press Run to run it as a WASI command with the arguments below.\n`;
  const docKey = language !== "wasm" ? language : wasm.kind === "example" ? `wasm:${wasm.example.id}` : `wasm:upload:${wasm.name}:${wasm.bytes.length}`;
  const errors = useMemo(() => (runs.result ? errorMarks(language, runs.stderrText) : []), [language, runs.result, runs.stderrText]);
  const busy = phase.name !== "idle";
  const { alerts, alertNotice, audit, trace } = runs;

  return (
    <div className="app" data-ready={phase.name === "idle" && ws.session !== undefined ? "true" : "false"}>
      <header className="toolbar">
        <h1>
          Playpen <span className="tagline">agent code in a WebAssembly sandbox</span>
        </h1>
        <LanguageSelect value={language} onChange={setLanguage} disabled={busy} />
        <label>
          <span className="label-text">Engine </span>
          <select data-testid="engine" value={engine} onChange={(e) => switchEngine(e.target.value as EngineName)} disabled={busy} title="Both engines share the workspace's files: switching keeps them and starts the rest of the sandbox afresh">
            <option value="wasmer">Wasmer</option>
            <option value="gated">Gated</option>
          </select>
        </label>
        <label>
          <span className="label-text">Examples </span>
          <select data-testid="examples" value="" onChange={(e) => chooseExample(e.target.value)} disabled={busy}>
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
        <button type="button" onClick={() => fileInput.current!.click()} disabled={busy} data-testid="upload" title="Run a WASI module of your own">
          <span className="label-text">Upload </span>.wasm…
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
          <input data-testid="timeout" type="number" min={0.1} step={0.5} value={timeoutText} onChange={(e) => setTimeoutText(e.target.value)} />
        </label>
        <button type="button" onClick={() => void copyCli()} data-testid="copy-cli" title="Copy shell lines that run this program with this policy through the playpen CLI">
          Copy as CLI command
        </button>
        <button type="button" onClick={() => setShowKeys(true)} data-testid="keyboard-help-open" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
          ?
        </button>
      </div>
      {phase.name === "loading" && <RuntimeProgress progress={phase.progress} />}
      {pendingExample && <ExampleConfirm example={pendingExample} onOpen={() => openExample(pendingExample)} onCancel={() => setPendingExample(null)} />}
      {notice && (
        <div className="notice" role="status" data-testid="notice">
          {notice}
        </div>
      )}
      {alertNotice && view !== "compare" && (
        <div className={`notice alert-notice severity-${alertNotice.alert!.severity}`} role="alert" data-testid="alert-notification">
          <strong>Alert ({alertNotice.alert!.severity}):</strong> {alertNotice.alert!.message} — {alerts.length} this run, see the Alerts tab.
          <button type="button" onClick={runs.dismissAlert} aria-label="Dismiss the alert">
            ×
          </button>
        </div>
      )}
      {view === "compare" && <ComparePage initialToken={route.token ?? ""} />}
      <div className="workbench-host" hidden={view === "compare"}>
        <Workbench
          files={<WorkspacePanel ws={ws} locked={busy || ws.pending} onNotice={setNotice} />}
          editor={
            <EditorArea ws={ws} mainLabel="Program" locked={busy || ws.pending} onRun={() => void run()}>
              <CodeEditor
                ref={editor}
                docKey={docKey}
                value={editorText}
                language={language !== "wasm" ? presentationOf(language).editorLanguage : wasm.kind === "example" ? "cpp" : "plaintext"}
                readOnly={language === "wasm"}
                errors={errors}
                onChange={onEditorChange}
                onRun={() => void run()}
              />
            </EditorArea>
          }
          output={
            <OutputArea
              phase={phase.name}
              result={runs.result}
              compiles={language === "c"}
              terminal={terminal}
              shellHost={language === "shell" ? { runLine, stop, cwd: shellCwd } : null}
              stdout={stdout}
              stderr={stderr}
              stdin={stdin}
              onStdin={setStdin}
            />
          }
          side={
            <SidePanel
              tabs={[
                {
                  id: "policy",
                  label: draft.policy ? "Policy" : "Policy ⚠",
                  content: (
                    <PolicyPanel
                      draft={draft}
                      engine={engine}
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
                { id: "audit", label: `Audit (${audit.length})`, content: <AuditLog events={audit} runStartedAt={runs.runStartedAt} onAllow={allowThis} /> },
                { id: "alerts", label: alerts.length > 0 ? `Alerts (${alerts.length}) ⚠` : "Alerts", content: <AlertsView alerts={alerts} runStartedAt={runs.runStartedAt} /> },
                { id: "tools", label: "Tools", content: <ToolsPanel tools={tools} onTools={setTools} /> },
                { id: "trace", label: "Trace", content: <TraceLog calls={trace.calls} truncated={trace.truncated} /> },
                { id: "engines", label: "Engines", content: <CapabilityMatrix /> },
              ]}
            />
          }
          review={ws.reviewState ? <ReviewArea ws={ws} /> : null}
          reviewIsLine={ws.reviewState?.review.kind !== "changes"}
        />
      </div>
      {runs.pendingAsk && <AskPrompt ask={runs.pendingAsk} />}
      {showKeys && <KeyboardHelp onClose={closeKeys} />}
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
