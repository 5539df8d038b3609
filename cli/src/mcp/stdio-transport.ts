import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { deserializeMessage, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/**
 * MCP over this process's stdin and stdout, one JSON-RPC message per line,
 * as the SDK's StdioServerTransport but linear in the message's size: the
 * SDK's buffer concatenates every chunk onto the whole (a 65 MiB write_file
 * took minutes on 2 busy cores), and its 10 MiB default ends the session.
 * A line longer than `maxBytes` is dropped and reported (onerror): that call
 * gets no answer, and the session goes on.
 */
export class LineStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #maxBytes: number;
  #chunks: Buffer[] = [];
  #size = 0;
  /** Bytes of an oversized line being skipped up to its newline. */
  #skipping = false;
  #closed = false;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  start(): Promise<void> {
    process.stdin.on("data", this.#onData);
    process.stdin.on("error", this.#onError);
    process.stdin.once("end", () => void this.close());
    return Promise.resolve();
  }

  readonly #onError = (error: Error) => this.onerror?.(error);

  readonly #onData = (chunk: Buffer) => {
    let rest = chunk;
    for (let newline = rest.indexOf(10); newline >= 0; newline = rest.indexOf(10)) {
      this.#take(rest.subarray(0, newline));
      this.#line();
      rest = rest.subarray(newline + 1);
    }
    this.#take(rest);
  };

  #take(part: Buffer): void {
    if (this.#skipping || part.length === 0) return;
    this.#size += part.length;
    if (this.#size > this.#maxBytes) {
      this.#skipping = true;
      this.#chunks = [];
      this.onerror?.(new Error(`a message longer than ${this.#maxBytes} bytes was dropped`));
      return;
    }
    this.#chunks.push(part);
  }

  #line(): void {
    const skipped = this.#skipping;
    const text = Buffer.concat(this.#chunks).toString("utf8").replace(/\r$/, "");
    this.#chunks = [];
    this.#size = 0;
    this.#skipping = false;
    if (skipped || text === "") return;
    try {
      this.onmessage?.(deserializeMessage(text));
    } catch (error) {
      this.onerror?.(error as Error);
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (process.stdout.write(serializeMessage(message))) resolve();
      else process.stdout.once("drain", resolve);
    });
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    process.stdin.off("data", this.#onData);
    process.stdin.off("error", this.#onError);
    process.stdin.pause();
    this.onclose?.();
    return Promise.resolve();
  }
}
