/** A private cell to block on: nothing ever notifies it, so Atomics.wait just sleeps. */
let cell: Int32Array | undefined = typeof SharedArrayBuffer === "function" ? new Int32Array(new SharedArrayBuffer(4)) : undefined;

/**
 * Blocks the thread for `ms` milliseconds. Atomics.wait sleeps without burning
 * CPU in workers and in Node; where it is not allowed (a browser's main
 * thread, or no SharedArrayBuffer without cross-origin isolation) this spins.
 */
export function sleep(ms: number): void {
  const end = performance.now() + ms;
  for (let left = ms; left > 0; left = end - performance.now()) {
    if (cell) {
      try {
        Atomics.wait(cell, 0, 0, left);
        continue;
      } catch {
        cell = undefined;
      }
    }
  }
}
