import type { DirNode, FileNode, VirtualFs } from "../vfs/index.ts";

/** Bits of `Descriptor.granted`: accesses the policy already allowed on this descriptor. */
export const Granted = { READ: 1, WRITE: 2 } as const;

export interface StdinStream {
  readonly kind: "stdin";
  readonly data: Uint8Array;
  pos: number;
  flags: number;
}

export interface OutputStream {
  readonly kind: "output";
  readonly sink: (bytes: Uint8Array) => void;
  flags: number;
}

export interface OpenFile {
  readonly kind: "file";
  readonly file: FileNode;
  pos: number;
  /** fdflags; APPEND makes every write go to the end. */
  flags: number;
  /** What the descriptor may do (each call checks its own, see rights.ts); fd_fdstat_set_rights may only drop some. */
  rights: bigint;
  inheriting: bigint;
  granted: number;
}

export interface OpenDir {
  readonly kind: "dir";
  readonly dir: DirNode;
  /** Set for the directories given to the guest at start, by the name it sees them under. */
  readonly preopen: string | undefined;
  flags: number;
  rights: bigint;
  inheriting: bigint;
  granted: number;
}

/**
 * An open tool file under the tool mount (`tool-mount.ts`): the guest writes a
 * request, and its first read makes the call; reads then return the reply.
 */
export interface ToolChannel {
  readonly kind: "tool";
  readonly name: string;
  /** The tool's entry in the mount's listing: what fstat reports. */
  readonly node: FileNode;
  /** Request bytes written so far; undefined once the call is made. */
  request: Uint8Array[] | undefined;
  /** The reply (empty until the call), read like stdin. */
  data: Uint8Array;
  /** Bytes written before the call; the read position in the reply after it. */
  pos: number;
  flags: number;
  rights: bigint;
  inheriting: bigint;
}

export type Descriptor = StdinStream | OutputStream | OpenFile | OpenDir | ToolChannel;

/** Descriptors beyond this many fail with EMFILE, bounding what a guest can pin in memory. */
export const MAX_DESCRIPTORS = 1024;

/** The guest's file descriptor numbers; a new descriptor takes the lowest free number, as POSIX does. */
export class FdTable {
  readonly #slots: (Descriptor | undefined)[] = [];

  get(fd: number): Descriptor | undefined {
    return this.#slots[fd];
  }

  /** The new descriptor's number, or -1 when the table is full. */
  add(descriptor: Descriptor): number {
    let fd = this.#slots.indexOf(undefined);
    if (fd < 0) fd = this.#slots.length;
    if (fd >= MAX_DESCRIPTORS) return -1;
    this.#slots[fd] = descriptor;
    return fd;
  }

  remove(fd: number): Descriptor | undefined {
    const descriptor = this.#slots[fd];
    this.#slots[fd] = undefined;
    return descriptor;
  }

  /** Moves `from` onto `to`, returning what `to` held. */
  renumber(from: number, to: number): Descriptor | undefined {
    const replaced = this.#slots[to];
    this.#slots[to] = this.#slots[from];
    this.#slots[from] = undefined;
    return replaced;
  }

  /** Removes and returns every descriptor (at the end of a run). */
  drain(): Descriptor[] {
    const open = this.#slots.filter((d): d is Descriptor => d !== undefined);
    this.#slots.length = 0;
    return open;
  }
}

/** Lets go of what a closed descriptor held: an unlinked file's content goes when its last descriptor does. */
export function closeDescriptor(fs: VirtualFs, descriptor: Descriptor): void {
  if (descriptor.kind === "file") fs.close(descriptor.file);
}
