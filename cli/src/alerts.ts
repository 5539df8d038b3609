import { readFile } from "node:fs/promises";
import type { AuditEvent } from "../../wasm-runtime/index.ts";
import { compileUserTools } from "../../wasm-runtime/tools/index.ts";
import { alertReportOf, type AlertReport } from "../../wasm-runtime/api/report.ts";

/** `--fail-on-alert`: the exit status of a run that raised an alert. */
export const EXIT_CODE_ALERT = 125;

export type AlertHook = (alert: AlertReport, context: { runId: string; signal: AbortSignal }) => unknown;

/** `--alert-hook FILE.js`: a function expression, compiled as a host tool is (tools/user-tools.ts). */
export async function loadAlertHook(file: string): Promise<AlertHook> {
  return alertHookOf("alert-hook", await readFile(file, "utf8"));
}

/** `--alert-tool NAME`: the user tool's own source (`async (args, context) => …`), given each alert as its args. */
export function alertHookOf(name: string, source: string): AlertHook {
  return compileUserTools({ [name]: source }).get(name) as AlertHook;
}

/** Who receives alerts besides stderr: a name for the failures reported, and the function. */
export interface AlertReceiver {
  name: string;
  hook: AlertHook;
}

/**
 * Says each alert as it is raised (`playpen: alert: …` on stderr) and hands
 * it to each receiver (the hook, the alert tool), whose failures are reported,
 * never fatal to the run.
 */
export class AlertReporter {
  count = 0;
  readonly #write: (stream: "stderr", text: string) => void;
  readonly #receivers: readonly AlertReceiver[];
  readonly #pending: Promise<unknown>[] = [];
  readonly #ended = new AbortController();

  constructor(io: { write(stream: "stdout" | "stderr", text: string): void }, receivers: readonly AlertReceiver[]) {
    this.#write = (stream, text) => io.write(stream, text);
    this.#receivers = receivers;
  }

  readonly observe = (events: AuditEvent[]): void => {
    for (const event of events) {
      if (!event.alert) continue;
      this.count++;
      this.#write("stderr", `playpen: alert: [${event.alert.severity}] ${event.alert.kind}: ${event.alert.message}\n`);
      for (const { name, hook } of this.#receivers) {
        const call = (async () => hook(alertReportOf(event, event.alert!), { runId: event.runId, signal: this.#ended.signal }))();
        this.#pending.push(call.catch((error: unknown) => this.#write("stderr", `playpen: ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`)));
      }
    }
  };

  /** Waits for the hook's calls (a webhook post should finish before the command exits). */
  async settled(): Promise<void> {
    await Promise.all(this.#pending);
    this.#ended.abort();
  }
}
