/**
 * The WebAssembly engines in headless Chromium, as contenders: the production
 * build (dist/) served by `vite preview`, the playground page driven the way
 * a user would (upload the WASI module or type the Python code, set the
 * arguments and time limit, pick the engine, Run), with bench/lib/page.ts's
 * helpers. Warm, as in Node: the page's sandbox on the engine stays up (a
 * fresh one when the contender starts), every run a new instance of the
 * module. A sample's time is the sandbox worker's own run duration
 * (data-duration-ms), so the page's rendering is not counted. Both Chromium
 * contenders share one browser and preview server, started on first use.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { openPage, runOnce, setArgs, setEngine, setTimeLimit, typeProgram, uploadModule } from "../../bench/lib/page.ts";
import { launchBrowser, startPreview, type Browser, type PreviewServer } from "../../test/support/browser.ts";
import { findProgram } from "../detect.ts";
import { ROOT } from "../paths.ts";
import type { Detection, EngineName, RunResult, WasmContender } from "../types.ts";
import { detectWasiBuilds, toRunResult, wasmProgram } from "./program.ts";

const DIST_INDEX = join(ROOT, "dist/index.html");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** How long past the run's own limit to wait for the page to show its end. */
const PAGE_GRACE_MS = 30_000;

const NOTES: Record<EngineName, string> = {
  gated:
    "Playpen's own WASI preview1 host in the page's sandbox worker, default policy (Workspace only): every file access a policy decision, an in-memory file system, no sockets, no processes, a 512 MiB memory limit; the browser's timers are coarsened.",
  wasmer:
    "@wasmer/sdk (WASIX) in the page's sandbox worker: an in-memory file system with /workspace only, no network; memory capped by Playpen lowering the module's declared maximum (512 MiB by default). The browser's own sandbox lies beneath.",
};

/** A single quoted word as the page's argument field splits it (like a shell). */
function quote(arg: string): string {
  return /^[\w@%+=:,./{}-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'"'"'`)}'`;
}

/** One preview server, one browser, one page: shared by both engines' contenders. */
export class ChromiumSession {
  #preview?: PreviewServer;
  #browser?: Browser;
  #page?: Promise<Page>;
  /** What the page's program is now, so an unchanged program is not uploaded again. */
  program?: string;
  /** The engine whose sandbox the page holds, so it is switched (to a fresh sandbox) only on a change. */
  engine?: EngineName;

  detect(): Detection | undefined {
    if (!existsSync(DIST_INDEX)) return { available: false, reason: "no production build in dist/ (run `npm run build`)" };
    if (!findProgram(CHROMIUM)) return { available: false, reason: `${CHROMIUM} is not installed (apt-get install chromium)` };
    return undefined;
  }

  page(): Promise<Page> {
    this.#page ??= (async () => {
      this.#preview = await startPreview();
      this.#browser = await launchBrowser();
      return openPage(this.#browser.context, this.#preview.url);
    })();
    return this.#page;
  }

  async version(): Promise<string> {
    const page = await this.page();
    return page.context().browser()?.version() ?? (await page.evaluate(() => navigator.userAgent));
  }

  async close(): Promise<void> {
    this.#page = undefined;
    this.program = undefined;
    this.engine = undefined;
    await this.#browser?.close().catch(() => {});
    await this.#preview?.close().catch(() => {});
    this.#browser = undefined;
    this.#preview = undefined;
  }
}

export function createWasmChromiumRunner(engineName: EngineName, session: ChromiumSession): WasmContender {
  return {
    name: `wasm-${engineName}-chromium`,
    title: `${engineName === "gated" ? "Gated engine" : "Wasmer engine"} (WebAssembly, Chromium)`,
    notes: NOTES[engineName],
    kind: "wasm",
    engine: engineName,
    host: "chromium",
    async detect() {
      const missing = session.detect() ?? detectWasiBuilds();
      if (missing) return missing;
      try {
        return { available: true, version: `Chromium ${await session.version()}, the page's ${engineName} engine` };
      } catch (error) {
        return { available: false, reason: `Chromium could not open the page: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` };
      }
    },
    async run(invocation, options): Promise<RunResult> {
      options.signal?.throwIfAborted();
      const { program, args, file } = wasmProgram(invocation);
      const page = await session.page();
      if (session.engine !== engineName) {
        await setEngine(page, engineName, { fresh: true });
        session.engine = engineName;
      }
      const key = file ?? (program.language === "python" ? `python:${program.code}` : "");
      if (session.program !== key) {
        if (file) await uploadModule(page, file);
        else if (program.language === "python") {
          await page.getByTestId("language").selectOption(program.language);
          await typeProgram(page, program.code);
        }
        session.program = key;
      }
      await setArgs(page, args.map(quote).join(" "));
      await setTimeLimit(page, Math.max(1, Math.ceil(options.timeoutMs / 1000)));
      const run = await runOnce(page, options.timeoutMs + PAGE_GRACE_MS);
      const truncated = (await page.getByTestId("truncated").count()) > 0;
      const reason = run.reason as "exited" | "timeout" | "stopped" | "error";
      return toRunResult(
        { exitCode: run.exitCode, reason, stdout: run.stdout, stderr: run.stderr, stdoutTruncated: truncated, stderrTruncated: false },
        run.durationMs,
      );
    },
    // The guest lives in the browser's workers; closing the session ends them all.
    async leftovers() {
      return [];
    },
    close: () => session.close(),
  };
}
