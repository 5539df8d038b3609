import { Errno } from "./constants.ts";
import type { HostContext } from "./context.ts";
import { errnoOf } from "./errno.ts";
import { ExitSignal } from "./exit.ts";

const encoder = new TextEncoder();

/** Signals whose default action is to do nothing (SIGCHLD, SIGCONT, SIGURG, SIGWINCH) or to stop, which a guest cannot. */
const IGNORED_SIGNALS = new Set([16, 17, 18, 19, 20, 21, 22, 27]);
const SIGNAL_MAX = 30;

/** Shell convention for a process ended by signal `n`. */
const killedBy = (signal: number) => 128 + signal;

/** Arguments, environment, randomness and the process's end. */
export function processCalls(
  { memory }: HostContext,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  random: (buffer: Uint8Array) => void,
) {
  // Encoded once: the guest asks for sizes, then contents.
  const argv = args.map((arg) => encoder.encode(`${arg}\0`));
  const environ = Object.entries(env).map(([name, value]) => encoder.encode(`${name}=${value}\0`));

  function sizes(strings: Uint8Array[], countPtr: number, sizePtr: number): number {
    try {
      const view = memory.view;
      view.setUint32(countPtr, strings.length, true);
      view.setUint32(sizePtr, strings.reduce((sum, s) => sum + s.length, 0), true);
      return Errno.SUCCESS;
    } catch (error) {
      return errnoOf(error);
    }
  }

  function copy(strings: Uint8Array[], pointersPtr: number, bufPtr: number): number {
    try {
      const view = memory.view;
      let at = bufPtr;
      strings.forEach((s, i) => {
        view.setUint32(pointersPtr + i * 4, at, true);
        memory.bytesAt(at, s.length).set(s);
        at += s.length;
      });
      return Errno.SUCCESS;
    } catch (error) {
      return errnoOf(error);
    }
  }

  return {
    args_sizes_get: (countPtr: number, sizePtr: number) => sizes(argv, countPtr, sizePtr),
    args_get: (pointersPtr: number, bufPtr: number) => copy(argv, pointersPtr, bufPtr),
    environ_sizes_get: (countPtr: number, sizePtr: number) => sizes(environ, countPtr, sizePtr),
    environ_get: (pointersPtr: number, bufPtr: number) => copy(environ, pointersPtr, bufPtr),

    proc_exit(code: number): never {
      throw new ExitSignal(code);
    },

    /** No handlers exist: a signal does its default action, ending the process or nothing. */
    proc_raise(signal: number): number {
      if (signal < 0 || signal > SIGNAL_MAX) return Errno.INVAL;
      if (signal === 0 || IGNORED_SIGNALS.has(signal)) return Errno.SUCCESS;
      throw new ExitSignal(killedBy(signal));
    },

    sched_yield(): number {
      return Errno.SUCCESS;
    },

    random_get(bufPtr: number, bufLen: number): number {
      try {
        random(memory.bytesAt(bufPtr, bufLen));
        return Errno.SUCCESS;
      } catch (error) {
        return errnoOf(error);
      }
    },
  };
}

/** crypto.getRandomValues fills at most 64 KiB per call. */
export function cryptoRandom(buffer: Uint8Array): void {
  for (let at = 0; at < buffer.length; at += 65536) crypto.getRandomValues(buffer.subarray(at, at + 65536) as Uint8Array<ArrayBuffer>);
}
