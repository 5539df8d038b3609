import { ClockId, Errno } from "./constants.ts";
import type { HostContext } from "./context.ts";
import { errnoOf } from "./errno.ts";

/** The default resolution, about what browsers give performance.now() with cross-origin isolation. */
export const DEFAULT_RESOLUTION_NS = 1_000;

/**
 * The guest's clocks, all coarsened to one resolution (a finer clock helps
 * timing side channels). CPU-time clocks are time since the host was created.
 */
export class Clock {
  readonly resolutionNs: number;
  readonly #resolution: bigint;
  readonly #started = performance.now();

  constructor(resolutionNs = DEFAULT_RESOLUTION_NS) {
    if (!(resolutionNs >= 1)) throw new RangeError(`clock resolution must be at least 1 ns, got ${resolutionNs}`);
    this.resolutionNs = Math.round(resolutionNs);
    this.#resolution = BigInt(this.resolutionNs);
  }

  /** Nanoseconds on clock `id`, or undefined for an unknown clock. */
  nanos(id: number): bigint | undefined {
    switch (id) {
      case ClockId.REALTIME:
        return this.#coarse(epochNanos());
      case ClockId.MONOTONIC:
        return this.#coarse(msToNanos(performance.now()));
      case ClockId.PROCESS_CPUTIME:
      case ClockId.THREAD_CPUTIME:
        return this.#coarse(msToNanos(performance.now() - this.#started));
      default:
        return undefined;
    }
  }

  #coarse(ns: bigint): bigint {
    return ns - (ns % this.#resolution);
  }
}

/**
 * A realtime clock for VirtualFs timestamps, coarsened like the guest's clocks
 * (give it the host's `resolutionNs`), so file times do not leak a finer clock.
 */
export function coarseRealtime(resolutionNs = DEFAULT_RESOLUTION_NS): () => bigint {
  const clock = new Clock(resolutionNs);
  return () => clock.nanos(ClockId.REALTIME)!;
}

/** Realtime in ns, exact to the float's precision: the epoch in ms is too large to scale by 1e6 as a float. */
function epochNanos(): bigint {
  const ms = performance.timeOrigin + performance.now();
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + msToNanos(ms - whole);
}

function msToNanos(ms: number): bigint {
  return BigInt(Math.round(ms * 1e6));
}

export function clockCalls({ memory, clock }: HostContext) {
  return {
    clock_res_get(id: number, resolutionPtr: number): number {
      if (clock.nanos(id) === undefined) return Errno.INVAL;
      try {
        memory.view.setBigUint64(resolutionPtr, BigInt(clock.resolutionNs), true);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },

    clock_time_get(id: number, _precision: bigint, timePtr: number): number {
      const ns = clock.nanos(id);
      if (ns === undefined) return Errno.INVAL;
      try {
        memory.view.setBigUint64(timePtr, ns, true);
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },
  };
}
