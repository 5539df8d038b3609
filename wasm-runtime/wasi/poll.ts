import { Errno, EVENT_FD_READWRITE_HANGUP, EventType, Size, SUBSCRIPTION_CLOCK_ABSTIME } from "./constants.ts";
import type { HostContext } from "./context.ts";
import { errnoOf } from "./errno.ts";
import { sleep } from "./sleep.ts";

/**
 * poll_oneoff. Descriptors never block here (stdin is all in memory, files are
 * always ready), so a poll with any fd subscription returns at once with those
 * events plus clocks already due; a poll of clocks only sleeps until the
 * earliest is due and reports every clock due by then.
 */
export function pollCalls({ memory, fds, clock }: HostContext) {
  // Per-subscription clock deadlines in ns from now (NaN: not a clock); reused across calls.
  let waits = new Float64Array(8);

  /** Writes an event for subscription `sub` at `event`, copying its userdata. */
  function event(view: DataView, bytes: Uint8Array, event: number, sub: number, type: number, error: number): void {
    bytes.fill(0, event, event + Size.EVENT);
    bytes.copyWithin(event, sub, sub + 8);
    view.setUint16(event + 8, error, true);
    view.setUint8(event + 10, type);
  }

  return {
    poll_oneoff(inPtr: number, outPtr: number, nsubscriptions: number, neventsPtr: number): number {
      if (nsubscriptions === 0) return Errno.INVAL;
      try {
        const view = memory.view;
        const bytes = memory.bytesAt(0, Math.max(inPtr + nsubscriptions * Size.SUBSCRIPTION, outPtr + nsubscriptions * Size.EVENT));
        if (waits.length < nsubscriptions) waits = new Float64Array(nsubscriptions);
        let events = 0;
        let earliest = Infinity;
        for (let i = 0; i < nsubscriptions; i++) {
          const sub = inPtr + i * Size.SUBSCRIPTION;
          const type = view.getUint8(sub + 8);
          const out = outPtr + events * Size.EVENT;
          waits[i] = NaN;
          if (type === EventType.CLOCK) {
            const now = clock.nanos(view.getUint32(sub + 16, true));
            if (now === undefined) {
              event(view, bytes, out, sub, type, Errno.INVAL);
              events++;
              continue;
            }
            const timeout = view.getBigUint64(sub + 24, true);
            const wait = Number(view.getUint16(sub + 40, true) & SUBSCRIPTION_CLOCK_ABSTIME ? timeout - now : timeout);
            waits[i] = wait;
            earliest = Math.min(earliest, wait);
          } else if (type === EventType.FD_READ || type === EventType.FD_WRITE) {
            const d = fds.get(view.getUint32(sub + 16, true));
            event(view, bytes, out, sub, type, d === undefined ? Errno.BADF : Errno.SUCCESS);
            let available = 0;
            if (type === EventType.FD_READ && d?.kind === "stdin") available = d.data.length - d.pos;
            if (type === EventType.FD_READ && d?.kind === "file") available = Math.max(0, d.file.size - d.pos);
            view.setBigUint64(out + 16, BigInt(available), true);
            if (type === EventType.FD_READ && d?.kind === "stdin" && available === 0) {
              view.setUint16(out + 24, EVENT_FD_READWRITE_HANGUP, true);
            }
            events++;
          } else {
            event(view, bytes, out, sub, type, Errno.INVAL);
            events++;
          }
        }
        // Nothing else ready: sleep until the earliest clock is due.
        const due = events === 0 ? Math.max(earliest, 0) : 0;
        if (due > 0 && due !== Infinity) sleep(due / 1e6);
        for (let i = 0; i < nsubscriptions; i++) {
          if (waits[i]! <= due) {
            event(view, bytes, outPtr + events * Size.EVENT, inPtr + i * Size.SUBSCRIPTION, EventType.CLOCK, Errno.SUCCESS);
            events++;
          }
        }
        view.setUint32(neventsPtr, events, true);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },
  };
}
