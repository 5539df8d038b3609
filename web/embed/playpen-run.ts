/**
 * `<playpen-run>`: a runnable snippet for any page (a course, a blog), in the
 * same sandbox as the app — the gated engine by default, the policy, its limits
 * and its audit. This module is the small part every page loads; the sandbox
 * (worker, engines, runtimes) loads on the first Run (embed-runner.ts).
 *
 *   <script type="module" src="/playpen/embed.js"></script>
 *   <playpen-run language="python" policy="locked-down">print("hi")</playpen-run>
 *
 * Attributes: language, engine (gated | wasmer), policy (a preset id —
 * open, workspace, no-network, locked / locked-down — or inline policy JSON),
 * timeout (ms), readonly, stdin, files (URL of a scenario JSON whose `files`
 * map lands in /workspace). Events: `playpen-output` ({stream, text}) while it
 * runs, `playpen-result` (the RunResult) at the end. docs/embed.md has more.
 */
import { encodeSession } from "../share-link-codec.ts";
import type { EmbedRun, EmbedRunner, EmbedSettings } from "./embed-runner.ts";
import { EMBED_CSS } from "./embed-style.ts";

const LANGUAGES = ["python", "javascript", "sql", "lua", "ruby", "c", "shell"] as const;
type EmbedLanguage = (typeof LANGUAGES)[number];

export class PlaypenRunElement extends HTMLElement {
  static readonly observedAttributes = ["readonly"];
  #runner: Promise<EmbedRunner> | undefined;
  #current: EmbedRun | undefined;
  readonly #ui: {
    code: HTMLTextAreaElement;
    run: HTMLButtonElement;
    stop: HTMLButtonElement;
    status: HTMLElement;
    output: HTMLElement;
    audit: HTMLDetailsElement;
    open: HTMLAnchorElement;
  };

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    root.innerHTML = `<style>${EMBED_CSS}</style>
      <div class="pp">
        <textarea part="code" data-testid="embed-code" spellcheck="false" aria-label="Program"></textarea>
        <div class="bar">
          <button type="button" data-testid="embed-run" title="Run (Ctrl+Enter)">▶ Run</button>
          <button type="button" data-testid="embed-stop" disabled>■ Stop</button>
          <span class="status" data-testid="embed-status" role="status"></span>
          <a data-testid="embed-open" target="_blank" rel="noopener">Open in Playpen ↗</a>
        </div>
        <pre class="out" data-testid="embed-output" part="output" aria-live="polite"></pre>
        <details class="audit" data-testid="embed-audit" hidden><summary></summary><ul></ul></details>
      </div>`;
    const $ = <T extends Element>(selector: string) => root.querySelector<T>(selector)!;
    this.#ui = {
      code: $("textarea"),
      run: $('[data-testid="embed-run"]'),
      stop: $('[data-testid="embed-stop"]'),
      status: $(".status"),
      output: $(".out"),
      audit: $("details"),
      open: $("a"),
    };
    this.#ui.run.addEventListener("click", () => void this.run());
    this.#ui.stop.addEventListener("click", () => this.stop());
    this.#ui.code.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        void this.run();
      }
    });
    this.#ui.code.addEventListener("input", () => this.#updateOpenLink());
  }

  connectedCallback(): void {
    if (!this.#ui.code.value) this.#ui.code.value = dedent(this.textContent ?? "");
    this.#ui.code.readOnly = this.hasAttribute("readonly");
    this.#ui.code.rows = Math.min(20, Math.max(3, this.#ui.code.value.split("\n").length + 1));
    this.#updateOpenLink();
  }

  attributeChangedCallback(): void {
    this.#ui.code.readOnly = this.hasAttribute("readonly");
  }

  /** The snippet as it is now (the reader may have edited it). */
  get code(): string {
    return this.#ui.code.value;
  }

  set code(text: string) {
    this.#ui.code.value = text;
    this.#updateOpenLink();
  }

  get language(): EmbedLanguage {
    const name = (this.getAttribute("language") ?? "python").toLowerCase();
    return (LANGUAGES as readonly string[]).includes(name) ? (name as EmbedLanguage) : "python";
  }

  /** Runs the snippet; resolves with the run's result (also dispatched as `playpen-result`). */
  async run(): Promise<unknown> {
    if (this.#current) return undefined;
    const { output, status } = this.#ui;
    output.replaceChildren();
    this.#showAudit([]);
    this.#ui.run.disabled = true;
    status.textContent = this.#runner ? "running…" : "loading the sandbox…";
    status.className = "status";
    delete status.dataset.reason;
    delete status.dataset.exitCode;
    try {
      const unknownLanguage = this.getAttribute("language") && this.language !== this.getAttribute("language")?.toLowerCase();
      if (unknownLanguage) throw new Error(`unknown language "${this.getAttribute("language")}": one of ${LANGUAGES.join(", ")}`);
      this.#runner ??= import("./embed-runner.ts").then((module) => module.createEmbedRunner(this.#settings()));
      const runner = await this.#runner;
      status.textContent = "running…";
      this.#ui.stop.disabled = false;
      this.#current = runner.run(this.code, this.getAttribute("stdin") ?? "", {
        output: (stream, text) => {
          this.#append(stream, text);
          this.dispatchEvent(new CustomEvent("playpen-output", { detail: { stream, text } }));
        },
        progress: (text) => (status.textContent = text),
      });
      const result = await this.#current.result;
      // What streamed is complete for a run that ended on its own; a run the sandbox had to abandon may have less.
      if (!output.textContent && (result.stdout || result.stderr)) {
        this.#append("stdout", result.stdout);
        this.#append("stderr", result.stderr);
      }
      if (result.error) this.#append("stderr", `${result.error}\n`);
      status.textContent = `exit ${result.exitCode} · ${result.reason === "exited" ? "exited" : result.reason === "timeout" ? "time limit reached" : result.reason} · ${Math.round(result.durationMs)} ms`;
      status.className = `status ${result.reason === "exited" && result.exitCode === 0 ? "ok" : "fail"}`;
      status.dataset.exitCode = String(result.exitCode);
      status.dataset.reason = result.reason;
      this.#showAudit(result.audit ?? []);
      this.dispatchEvent(new CustomEvent("playpen-result", { detail: result }));
      return result;
    } catch (error) {
      status.textContent = `could not run: ${error instanceof Error ? error.message : String(error)}`;
      status.className = "status fail";
      status.dataset.reason = "error";
      return undefined;
    } finally {
      this.#current = undefined;
      this.#ui.run.disabled = false;
      this.#ui.stop.disabled = true;
    }
  }

  stop(): void {
    this.#current?.stop();
  }

  #settings(): EmbedSettings {
    const timeout = Number(this.getAttribute("timeout"));
    return {
      language: this.language,
      engine: this.getAttribute("engine") === "wasmer" ? "wasmer" : "gated",
      policy: this.getAttribute("policy") ?? "workspace",
      ...(timeout > 0 && { timeoutMs: timeout }),
      ...(this.getAttribute("files") && { filesUrl: new URL(this.getAttribute("files")!, document.baseURI).href }),
    };
  }

  #append(stream: "stdout" | "stderr", text: string): void {
    if (!text) return;
    const span = document.createElement("span");
    span.className = stream;
    span.textContent = text;
    this.#ui.output.append(span);
  }

  #showAudit(events: readonly { decision: string; capability: string; resource: string; rule: string; count?: number }[]): void {
    const { audit } = this.#ui;
    // A folded event stands for `count` decisions.
    const counted = (list: typeof events) => list.reduce((n, e) => n + (e.count ?? 1), 0);
    audit.hidden = events.length === 0;
    audit.querySelector("summary")!.textContent = `Audit: ${counted(events)} decisions, ${counted(events.filter((e) => e.decision === "deny"))} denied`;
    audit.querySelector("ul")!.replaceChildren(
      ...events.slice(0, 200).map((e) => {
        const item = document.createElement("li");
        item.className = e.decision;
        item.textContent = `${e.decision} ${e.capability} ${e.resource} — ${e.rule}${e.count ? ` ×${e.count}` : ""}`;
        return item;
      }),
    );
  }

  /** "Open in Playpen": the app's share link (`#s=`) for this snippet. */
  #updateOpenLink(): void {
    const hash = encodeSession({ language: this.language, code: this.code, args: "", stdin: this.getAttribute("stdin") ?? "" });
    this.#ui.open.href = new URL(`${import.meta.env.BASE_URL}${hash}`, location.origin).href;
  }
}

/** Snippets are indented like the page's HTML around them: drop the common indent and the blank edges. */
export function dedent(text: string): string {
  const lines = text.replace(/^\s*\n/, "").replace(/\n\s*$/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join("\n") + "\n";
}

if (!customElements.get("playpen-run")) customElements.define("playpen-run", PlaypenRunElement);
