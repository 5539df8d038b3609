import { readFile } from "node:fs/promises";
import type { AuditEvent } from "../../wasm-runtime/index.ts";
import { compileUserTools } from "../../wasm-runtime/tools/index.ts";
import { alertReportOf, type AlertReport } from "../../wasm-runtime/api/report.ts";

/** `--fail-on-alert`: the exit status of a run that raised an alert. */
export const EXIT_CODE_ALERT = 125;

export type AlertHook = (alert: AlertReport, context: { runId: string; signal: AbortSignal }) => unknown;

/** `--alert-hook FILE.js`: a function expression, compiled as a host tool is (tools/user-tools.ts). */
export async function loadAlertHook(file: string): Promise<AlertHook> {
  const source = await readFile(file, "utf8");
  return compileUserTools({ "alert-hook": source }).get("alert-hook") as AlertHook;
}

/**
 * Says each alert as it is raised (`playpen: alert: …` on stderr) and hands
 * it to the hook, whose failures are reported, never fatal to the run.
 */
export class AlertReporter {
  count = 0;
  readonly #write: (stream: "stderr", text: string) => void;
  readonly #hook: AlertHook | undefined;
  readonly #pending: Promise<unknown>[] = [];
  readonly #ended = new AbortController();

  constructor(io: { write(stream: "stdout" | "stderr", text: string): void }, hook: AlertHook | undefined) {
    this.#write = (stream, text) => io.write(stream, text);
    this.#hook = hook;
  }

  readonly observe = (events: AuditEvent[]): void => {
    for (const event of events) {
      if (!event.alert) continue;
      this.count++;
      this.#write("stderr", `playpen: alert: [${event.alert.severity}] ${event.alert.kind}: ${event.alert.message}\n`);
      const hook = this.#hook;
      if (!hook) continue;
      const call = (async () => hook(alertReportOf(event, event.alert!), { runId: event.runId, signal: this.#ended.signal }))();
      this.#pending.push(call.catch((error: unknown) => this.#write("stderr", `playpen: the alert hook failed: ${error instanceof Error ? error.message : String(error)}\n`)));
    }
  };

  /** Waits for the hook's calls (a webhook post should finish before the command exits). */
  async settled(): Promise<void> {
    await Promise.all(this.#pending);
    this.#ended.abort();
  }
}
