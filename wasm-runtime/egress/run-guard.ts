import type { AuditEvent, Capability } from "../capabilities.ts";
import { DEFAULT_POLICY, type Policy } from "../policy/index.ts";
import type { OutputStream, RunRequest, RunResult } from "../types.ts";
import type { TraceCall } from "../wasi/trace.ts";
import type { WorkspaceEntry, WorkspaceSnapshot } from "../workspace/index.ts";
import { AlertRules } from "./alerts.ts";
import { plantDecoys, type PlantedDecoys } from "./decoys.ts";
import { EgressFilter, type Finding } from "./filter.ts";
import { findShapes, ShapeWatch } from "./shapes.ts";

/**
 * One run's way out, the same for both engines: the exfiltration filter over
 * its secrets and decoys, applied to everything the run hands back (audit
 * events, traced calls, files, errors; output goes through CapturedOutput with
 * `filter`), and the alert rules over its events. `record` is where the
 * engine keeps audit events (and shows them): it receives decisions already
 * filtered, and the alerts they raise.
 */
export class RunGuard {
  readonly filter: EgressFilter;
  readonly decoys: PlantedDecoys;
  readonly #rules: AlertRules;
  readonly #record: (events: AuditEvent[]) => void;
  /** While a batch of decisions is being looked at, the alerts they raise join it (in order). */
  #batch: AuditEvent[] | undefined;

  constructor(policy: Policy, secrets: Readonly<Record<string, string>>, runId: string, record: (events: AuditEvent[]) => void) {
    this.decoys = plantDecoys(policy.decoys);
    this.filter = new EgressFilter([...Object.entries(secrets).map(([name, value]) => ({ name, value })), ...this.decoys.watched]);
    this.#record = record;
    this.#rules = new AlertRules(policy, this.decoys, runId, (alert) => (this.#batch ? this.#batch.push(alert) : record([alert])));
  }

  /** For a run that has no policy of its own (the wasmer engine without one): the default's thresholds, no decoys. */
  static of(request: RunRequest, runId: string, record: (events: AuditEvent[]) => void): RunGuard {
    return new RunGuard(request.policy ?? DEFAULT_POLICY, request.secrets ?? {}, runId, record);
  }

  /** Records decisions with watched values hidden in what they name, then lets the alert rules see them (alerts follow their event). */
  audit(events: readonly AuditEvent[]): void {
    const batch: AuditEvent[] = [];
    this.#batch = batch;
    try {
      for (const event of events) {
        const { text: resource, findings } = this.filter.redact(event.resource);
        const shown = resource === event.resource ? event : { ...event, resource };
        batch.push(shown);
        for (const finding of findings) this.found(finding, "an audit event", event.capability, event.syscall);
        this.#rules.observe(shown);
      }
    } finally {
      this.#batch = undefined;
    }
    this.#record(batch);
  }

  /** A watched value found (and hidden or refused) in `channel`: an alert. */
  found(finding: Finding, channel: string, capability: Capability = "secret", syscall = "output"): void {
    this.#rules.found(finding, channel, capability, syscall);
  }

  /** For CapturedOutput: a watched value hidden in stdout or stderr. */
  readonly outputFound = (finding: Finding, stream: OutputStream): void => this.found(finding, stream, "secret", "fd_write");

  readonly #outputShapes = new ShapeWatch<OutputStream>((finding, stream) => this.#rules.shaped(finding, stream, "secret", "fd_write"));

  /** For CapturedOutput: output as it is shown (watched values already hidden), looked at for credential shapes. */
  readonly outputShown = (stream: OutputStream, text: string): void => this.#outputShapes.push(stream, text);

  /**
   * A tool request's text (`where` it goes): credential-shaped data in it
   * other than the run's own secrets (bound ones travel by design) is an alert.
   */
  requestCarries(text: string, where: string, capability: Capability, syscall: string): void {
    const { text: unwatched } = this.filter.redact(text);
    for (const finding of findShapes(unwatched)) this.#rules.shaped(finding, `request to ${where}`, capability, syscall);
  }

  /** Traced calls with watched values hidden in the paths they name. */
  trace(calls: TraceCall[]): TraceCall[] {
    if (!this.filter.active) return calls;
    return calls.map((call) => (call.paths ? { ...call, paths: call.paths.map((path) => this.#text(path, "a traced path", "file", call.name)) } : call));
  }

  /**
   * The result as it may leave: the files the run wrote (contents and names)
   * and the error with watched values hidden, decoy files taken out.
   */
  result(result: RunResult, request: RunRequest): RunResult {
    const workspace = result.workspace && request.workspace && this.#snapshot(result.workspace, request.workspace, "/workspace");
    const mounts = result.mounts?.map((after, i) => this.#snapshot(after, request.mounts![i]!.files, request.mounts![i]!.path));
    const error = result.error === undefined ? undefined : this.#text(result.error, "the error message", "secret", "output");
    return { ...result, ...(workspace && { workspace }), ...(mounts && { mounts }), ...(error !== undefined && { error }) };
  }

  #text(text: string, channel: string, capability: Capability, syscall: string): string {
    const { text: shown, findings } = this.filter.redact(text);
    for (const finding of findings) this.found(finding, channel, capability, syscall);
    return shown;
  }

  /**
   * `after` with what the run changed filtered: a file it wrote has watched
   * values hidden in its content and its name (its folders follow); what it
   * did not touch is the caller's own and stays as it was. Decoys go.
   */
  #snapshot(after: WorkspaceSnapshot, before: WorkspaceSnapshot, root: string): WorkspaceSnapshot {
    const decoys = new Set([...this.decoys.files.keys()].filter((path) => path.startsWith(`${root}/`)).map((path) => path.slice(root.length + 1)));
    if (!this.filter.active && decoys.size === 0) return after;
    const entries = new Map<string, WorkspaceEntry>();
    let bytes = 0;
    for (const [path, entry] of after.entries) {
      if (decoys.has(path) && !before.entries.has(path)) continue;
      if (entry === before.entries.get(path)) {
        entries.set(path, entry);
      } else {
        const name = this.#text(path, `a file name in ${root}`, "file", "path_open");
        if (entry.kind === "file") {
          const { bytes: data, findings } = this.filter.redactBytes(entry.data);
          for (const finding of findings) this.found(finding, `the file ${root}/${name}`, "file", "fd_write");
          entries.set(name, data === entry.data ? entry : { ...entry, data });
        } else {
          entries.set(name, entry);
        }
        // A name that changed may need folders of its own.
        for (let cut = name.lastIndexOf("/"); cut > 0; cut = name.lastIndexOf("/", cut - 1)) {
          if (!entries.has(name.slice(0, cut))) entries.set(name.slice(0, cut), { kind: "dir", mtimeMs: entry.mtimeMs });
        }
      }
    }
    // Folders made only to hold decoys go with them.
    for (const decoy of decoys) {
      for (let dir = decoy.slice(0, Math.max(0, decoy.lastIndexOf("/"))); dir && !before.entries.has(dir); dir = dir.slice(0, Math.max(0, dir.lastIndexOf("/")))) {
        if ([...entries.keys()].some((path) => path.startsWith(`${dir}/`))) break;
        entries.delete(dir);
      }
    }
    for (const entry of entries.values()) if (entry.kind === "file") bytes += entry.data.length;
    return { entries, bytes };
  }
}
