import type { AuditEvent } from "../capabilities.ts";
import { denialsOf, type Denial } from "../policy/index.ts";
import { EXIT_CODE, type RunResult } from "../types.ts";

/** An alert as `--json`, the library and the MCP server report it, and `--alert-hook` receives it. */
export interface AlertReport {
  kind: string;
  severity: string;
  message: string;
  capability: string;
  resource: string;
  time: number;
  runId: string;
}

export function alertsOf(audit: readonly AuditEvent[]): AlertReport[] {
  return audit.flatMap((event) => (event.alert ? [alertReportOf(event, event.alert)] : []));
}

export function alertReportOf(event: AuditEvent, alert: NonNullable<AuditEvent["alert"]>): AlertReport {
  return { kind: alert.kind, severity: alert.severity, message: alert.message, capability: event.capability, resource: event.resource, time: event.time, runId: event.runId };
}

/**
 * A run as it is reported to a caller who cannot see the sandbox: what it
 * printed, how it ended, every decision, the alerts, and each denial with its
 * fix. The one shape of `playpen run --json`, the library's `run` and the MCP
 * server's `run` tool.
 */
export interface RunReport {
  exitCode: number;
  reason: RunResult["reason"];
  stdout: string;
  stderr: string;
  durationMs: number;
  error?: string;
  audit: AuditEvent[];
  alerts: AlertReport[];
  denials: Denial[];
}

export function runReportOf(result: RunResult): RunReport {
  const { exitCode, reason, stdout, stderr, error } = result;
  const audit = result.audit ?? [];
  const durationMs = Math.round(result.durationMs * 10) / 10;
  return { exitCode, reason, stdout, stderr, durationMs, ...(error && { error }), audit, alerts: alertsOf(audit), denials: denialsOf(audit) };
}

/** A run that could not happen (a bad request, a crashed process): reason "error" with the message. */
export function failedRun(error: string, reason: RunResult["reason"] = "error"): RunResult {
  const exitCode = reason === "stopped" ? EXIT_CODE.stopped : reason === "timeout" ? EXIT_CODE.timeout : EXIT_CODE.error;
  return { exitCode, reason, stdout: "", stderr: "", stdoutTruncated: false, stderrTruncated: false, durationMs: 0, error };
}
