const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Views of the guest's linear memory. Growing the memory detaches the old
 * buffer, so views are re-created whenever the buffer changed since the last
 * call: one identity check per call instead of an allocation.
 */
export class GuestMemory {
  #memory: WebAssembly.Memory | undefined;
  #buffer: ArrayBuffer | SharedArrayBuffer | undefined;
  #view = new DataView(new ArrayBuffer(0));
  #bytes = new Uint8Array(0);

  bind(memory: WebAssembly.Memory): void {
    this.#memory = memory;
    this.#buffer = undefined;
  }

  get view(): DataView {
    if (this.#memory?.buffer !== this.#buffer) this.#refresh();
    return this.#view;
  }

  get bytes(): Uint8Array {
    if (this.#memory?.buffer !== this.#buffer) this.#refresh();
    return this.#bytes;
  }

  string(ptr: number, len: number): string {
    return decoder.decode(this.bytesAt(ptr, len));
  }

  /** `ptr..ptr+len` as a view, after checking it lies inside memory. */
  bytesAt(ptr: number, len: number): Uint8Array {
    const bytes = this.bytes;
    return bytes.subarray(ptr, checkedEnd(ptr, len, bytes));
  }

  /** Writes `text` as UTF-8 at `ptr`, at most `capacity` bytes; returns the bytes written. */
  writeString(ptr: number, capacity: number, text: string): number {
    return encoder.encodeInto(text, this.bytesAt(ptr, capacity)).written;
  }

  #refresh(): void {
    const memory = this.#memory;
    if (!memory) throw new Error("the WASI host is not bound to an instance's memory yet");
    this.#buffer = memory.buffer;
    this.#view = new DataView(memory.buffer);
    this.#bytes = new Uint8Array(memory.buffer);
  }
}

/** subarray clamps silently; a guest range past the end must fail like a DataView access does. */
function checkedEnd(ptr: number, len: number, bytes: Uint8Array): number {
  const end = ptr + len;
  if (end > bytes.length) throw new RangeError("guest pointer out of bounds");
  return end;
}
