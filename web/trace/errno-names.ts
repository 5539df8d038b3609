import { Errno } from "../../wasm-runtime/wasi/constants.ts";

/**
 * WASI's errno numbers are not Linux's (WASI's 2 is EACCES, Linux's ENOENT): a
 * trace shows the name, so no one reads a number under the wrong table.
 */
const NAMES = new Map<number, string>(Object.entries(Errno).map(([name, value]) => [value, name === "SUCCESS" ? "ok" : `E${name}`]));

/** "ok", "EACCES", or "errno 99" for a number WASI does not name here. */
export function errnoLabel(errno: number): string {
  return NAMES.get(errno) ?? `errno ${errno}`;
}
