/**
 * An audit that shows what matters: a run's decisions as they are kept and
 * shown, with repeats folded. The one place an audit log grows; every engine,
 * the shell and the page append through `foldAudit`, and each folded event
 * keeps the exact number of decisions it stands for in `count`.
 *
 * - Identical consecutive decisions (same capability, resource, access,
 *   decision, rule and host call) become one event with a count.
 * - Reads of the runtime's own files (the interpreter starting, loading its
 *   library: always allowed, never the program's doing) are marked `runtime`
 *   and fold into one event whatever the path, named by the folder they share.
 * - Those runtime reads do not break a run of identical decisions: Python
 *   stats `/workspace` and `/playpen/python` in turn on every import, which
 *   folds to two events, not one per import.
 * Alerts never fold: each is an event a person should see.
 */
import type { AuditEvent } from "../capabilities.ts";
import { RUNTIME_RULE } from "./decide.ts";

/** Whether an event is the runtime reading its own files. */
export function isRuntimeRead(event: AuditEvent): boolean {
  return event.capability === "file" && event.decision === "allow" && event.rule === RUNTIME_RULE && event.access === "read" && !event.alert;
}

/** Appends `events` to `log`, folding each into the last (or, past a runtime read, the one before) when it repeats it. Folded events are replaced, never changed in place. */
export function foldAudit(log: AuditEvent[], events: readonly AuditEvent[]): void {
  for (const event of events) {
    const runtime = isRuntimeRead(event);
    const last = log.length - 1;
    if (last >= 0 && folds(log[last]!, event, runtime)) {
      log[last] = merged(log[last]!, event, runtime);
      continue;
    }
    // A runtime read between two identical decisions does not separate them.
    const before = last - 1;
    if (!runtime && before >= 0 && isRuntimeRead(log[last]!) && folds(log[before]!, event, false)) {
      log[before] = merged(log[before]!, event, false);
      continue;
    }
    log.push(runtime ? { ...event, runtime: true } : event);
  }
}

/** How many decisions a log stands for (a folded event counts each of its own). */
export function decisionCount(events: readonly AuditEvent[]): number {
  return events.reduce((n, event) => n + (event.count ?? 1), 0);
}

function folds(kept: AuditEvent, event: AuditEvent, runtime: boolean): boolean {
  if (kept.runId !== event.runId) return false;
  if (runtime) return kept.runtime === true;
  return (
    !kept.alert &&
    !event.alert &&
    !kept.runtime &&
    kept.capability === event.capability &&
    kept.resource === event.resource &&
    kept.access === event.access &&
    kept.decision === event.decision &&
    kept.rule === event.rule &&
    kept.syscall === event.syscall
  );
}

function merged(kept: AuditEvent, event: AuditEvent, runtime: boolean): AuditEvent {
  const count = (kept.count ?? 1) + (event.count ?? 1);
  return runtime ? { ...kept, resource: sharedFolder(kept.resource, event.resource), count } : { ...kept, count };
}

/** The deepest folder holding both paths (a path itself when they are the same). */
function sharedFolder(a: string, b: string): string {
  if (a === b) return a;
  const left = a.split("/");
  const right = b.split("/");
  let same = 0;
  while (same < left.length && same < right.length && left[same] === right[same]) same++;
  return left.slice(0, same).join("/") || "/";
}
