import type { GuestMemory } from "./memory.ts";

/** One host call, as the trace hook sees it. */
export interface TraceCall {
  readonly name: string;
  /** Raw arguments: pointers and lengths are numbers, 64-bit values bigints. */
  readonly args: readonly unknown[];
  /** The errno returned; undefined when the call did not return (proc_exit, a trap in the host). */
  readonly result: number | undefined;
  /** The path arguments, decoded from guest memory, for path_* calls. */
  readonly paths?: readonly string[];
  readonly durationNs: number;
}

export type TraceHook = (call: TraceCall) => void;

type HostFunction = (...args: never[]) => unknown;

/** Argument positions of [pointer, length] pairs of the calls that take paths. */
const PATH_ARGS: Readonly<Record<string, readonly (readonly [number, number])[]>> = {
  path_create_directory: [[1, 2]],
  path_filestat_get: [[2, 3]],
  path_filestat_set_times: [[2, 3]],
  path_link: [[2, 3], [5, 6]],
  path_open: [[2, 3]],
  path_readlink: [[1, 2]],
  path_remove_directory: [[1, 2]],
  path_rename: [[1, 2], [4, 5]],
  path_symlink: [[0, 1], [3, 4]],
  path_unlink_file: [[1, 2]],
};

/**
 * Wraps every call to report it to `hook`. Done once, when the import table is
 * built, and only when tracing is on: an untraced host calls the functions directly.
 */
export function traced<T extends Record<string, HostFunction>>(calls: T, hook: TraceHook, memory: GuestMemory): T {
  const wrapped: Record<string, HostFunction> = {};
  for (const [name, call] of Object.entries(calls)) {
    const pathArgs = PATH_ARGS[name];
    const invoke = call as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      const paths = pathArgs?.map(([ptr, len]) => decodePath(memory, args[ptr], args[len]));
      const started = performance.now();
      let result: number | undefined;
      try {
        result = invoke(...args) as number;
        return result;
      } finally {
        hook({ name, args, result, ...(paths && { paths }), durationNs: (performance.now() - started) * 1e6 });
      }
    };
  }
  return wrapped as T;
}

function decodePath(memory: GuestMemory, ptr: unknown, len: unknown): string {
  try {
    return memory.string(ptr as number, len as number);
  } catch {
    return "<invalid pointer>";
  }
}
