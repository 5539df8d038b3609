/**
 * The shared memory a tool reply crosses from the controller to the run
 * thread, which waits on it with Atomics.wait (it runs the guest synchronously,
 * so it cannot receive a message until the guest ends).
 *
 * Layout: Int32 [state, byteLength], then the reply as UTF-8. A reply larger
 * than MAX_TOOL_REPLY_BYTES is replaced by an error reply saying so. The buffer
 * is reserved, not written, up front: untouched pages cost no memory.
 */

/** The largest reply a tool can return (JSON text, UTF-8). */
export const MAX_TOOL_REPLY_BYTES = 4 * 1024 * 1024;

const HEADER_BYTES = 8;
const STATE = { waiting: 0, answered: 1 } as const;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One per run: a reply delivered late (after a Stop) must not land in the next run's cell. */
export function createToolCell(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + MAX_TOOL_REPLY_BYTES);
}

/** Thread side: sends the call with `send` and blocks until the reply is in. */
export function awaitToolReply(cell: SharedArrayBuffer, send: () => void): string {
  const header = new Int32Array(cell, 0, 2);
  Atomics.store(header, 0, STATE.waiting);
  send();
  // No timeout: the controller always answers, or ends the run by terminating this thread.
  Atomics.wait(header, 0, STATE.waiting);
  // TextDecoder refuses views of shared memory in browsers: copy out first.
  return decoder.decode(new Uint8Array(cell, HEADER_BYTES, Atomics.load(header, 1)).slice());
}

/** Controller side: writes the reply and wakes the thread. */
export function deliverToolReply(cell: SharedArrayBuffer, reply: string): void {
  const header = new Int32Array(cell, 0, 2);
  // TextEncoder refuses to write into shared memory in browsers: encode, then copy in.
  let bytes = encoder.encode(reply);
  if (bytes.length > MAX_TOOL_REPLY_BYTES) {
    bytes = encoder.encode(JSON.stringify({ error: `the reply is larger than ${MAX_TOOL_REPLY_BYTES / 1024 / 1024} MiB` }));
  }
  new Uint8Array(cell, HEADER_BYTES).set(bytes);
  Atomics.store(header, 1, bytes.length);
  Atomics.store(header, 0, STATE.answered);
  Atomics.notify(header, 0);
}
