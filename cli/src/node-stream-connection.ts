import { connect as tcpConnect, type Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { StreamConnection } from "../../wasm-runtime/tools/index.ts";

/** Bytes received and not yet read by the guest, past which the socket pauses (the peer is slowed, host memory bounded). */
const HIGH_WATER_BYTES = 1024 * 1024;

/** A TCP connection to `address` (already decided on: no lookup happens here), resolved once connected. */
export function connectStream(address: string, port: number, signal: AbortSignal): Promise<StreamConnection> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: address, port, noDelay: true });
    const abort = () => socket.destroy(new Error("the run ended"));
    signal.addEventListener("abort", abort, { once: true });
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(new NodeStream(socket, () => signal.removeEventListener("abort", abort)));
    });
  });
}

/** Reads queue what arrives; a read waits for the first bytes, the end of the stream, an error, or its timeout. */
class NodeStream implements StreamConnection {
  #socket: Socket | TLSSocket;
  readonly #released: () => void;
  #queue: Buffer[] = [];
  #queued = 0;
  #ended = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(socket: Socket, released: () => void) {
    this.#socket = socket;
    this.#released = released;
    this.#listen(socket);
  }

  #listen(socket: Socket | TLSSocket): void {
    socket.on("data", (chunk: Buffer) => {
      this.#queue.push(chunk);
      this.#queued += chunk.length;
      if (this.#queued > HIGH_WATER_BYTES) socket.pause();
      this.#notify();
    });
    socket.on("end", () => {
      this.#ended = true;
      this.#notify();
    });
    socket.on("error", (error) => {
      this.#error ??= error;
      this.#notify();
    });
    socket.on("close", () => {
      this.#ended = true;
      this.#notify();
    });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => this.#socket.write(bytes, (error) => (error ? reject(error) : resolve())));
  }

  async read(max: number, timeoutMs: number | undefined): Promise<Uint8Array | "timeout"> {
    if (this.#queue.length === 0 && !this.#ended && !this.#error) {
      const arrived = await new Promise<boolean>((resolve) => {
        const timer = timeoutMs === undefined ? undefined : setTimeout(() => resolve(false), timeoutMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      if (!arrived) {
        this.#wake = undefined;
        return "timeout";
      }
    }
    if (this.#queue.length === 0) {
      if (this.#error) throw this.#error;
      return new Uint8Array(0);
    }
    const first = this.#queue[0]!;
    const taken = first.subarray(0, max);
    if (taken.length === first.length) this.#queue.shift();
    else this.#queue[0] = first.subarray(max);
    this.#queued -= taken.length;
    if (this.#queued <= HIGH_WATER_BYTES) this.#socket.resume();
    return new Uint8Array(taken);
  }

  startTls(serverName: string, { ca, verify }: { ca?: string; verify: boolean }): Promise<void> {
    const plain = this.#socket;
    plain.removeAllListeners("data").removeAllListeners("end").removeAllListeners("error").removeAllListeners("close");
    return new Promise((resolve, reject) => {
      const secure = tlsConnect({ socket: plain, servername: serverName, rejectUnauthorized: verify, ...(ca !== undefined && { ca }) });
      secure.once("error", reject);
      secure.once("secureConnect", () => {
        secure.off("error", reject);
        this.#socket = secure;
        this.#listen(secure);
        resolve();
      });
    });
  }

  shutdownWrite(): void {
    this.#socket.end();
  }

  close(): void {
    this.#released();
    this.#socket.destroy();
    this.#ended = true;
    this.#notify();
  }
}
