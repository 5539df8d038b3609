import { FsError, mkdirp, VirtualFs, writeFile, type DirNode, type FileNode } from "../vfs/index.ts";
import { Errno, FdFlags, OFlags, Rights } from "./constants.ts";
import { Granted, type Descriptor, type ToolChannel } from "./descriptors.ts";
import { DIR_INHERITING, DIR_RIGHTS, FILE_RIGHTS } from "./rights.ts";

/** Where the guest finds the host's tools: one file per tool, `/host/<name>`. */
export const TOOL_MOUNT = "/host";

/** Longest request a guest may write to one tool file; a write beyond fails with EFBIG. */
export const MAX_TOOL_REQUEST_BYTES = 1024 * 1024;

/** The host functions a WASI host offers under TOOL_MOUNT. */
export interface ToolHostOptions {
  /** Tool names: each one a valid file name (no `/`, not `.` or `..`). */
  readonly names: readonly string[];
  /** Channels: called like tools, but not listed (the runtime's own plumbing, e.g. the socket shim's). */
  readonly channels?: readonly string[];
  /** Performs one call, synchronously: the request as written (UTF-8), the reply to read back. */
  call(name: string, request: string): string;
}

const WRITE_INTENT = Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The tool mount: a read-only directory, shadowing whatever the filesystem has
 * at TOOL_MOUNT, whose files are calls rather than data. Opening a tool file
 * (read and write) gives a channel: the guest writes a request in any number
 * of writes, its first read makes the call, and reads then return the reply
 * and end-of-file. Any language that can open a file can call a tool.
 *
 * Only path_open and path_filestat_get look inside the mount; every other path
 * call is refused by the host (the mount cannot be changed). No file decision
 * is asked: what a call may do is decided by whoever implements `call`.
 */
export class ToolMount {
  /** The listing, in a filesystem of its own: readdir and fstat work on it unchanged. */
  readonly dir: DirNode;
  readonly #channels = new Map<string, FileNode>();
  readonly #call: ToolHostOptions["call"];

  constructor(options: ToolHostOptions, now: () => bigint) {
    const listing = new VirtualFs({ now });
    this.dir = mkdirp(listing, TOOL_MOUNT);
    const unlisted = new VirtualFs({ now });
    for (const [fs, names, folder] of [[listing, options.names, TOOL_MOUNT], [unlisted, options.channels ?? [], ""]] as const) {
      for (const name of names) {
        if (name === "" || name === "." || name === ".." || name.includes("/")) throw new Error(`invalid tool name ${JSON.stringify(name)}`);
        writeFile(fs, `${folder}/${name}`, "");
      }
    }
    for (const name of options.channels ?? []) this.#channels.set(name, unlisted.lookup(`/${name}`) as FileNode);
    listing.setReadOnly("/");
    this.#call = options.call;
  }

  /** Whether a resolved absolute path lies in the mount (the mount itself included). */
  covers(path: string): boolean {
    return path === TOOL_MOUNT || path.startsWith(`${TOOL_MOUNT}/`);
  }

  /** The listing node at a covered path: the mount, a tool, or undefined when there is no such tool. */
  nodeAt(path: string): DirNode | FileNode | undefined {
    if (path === TOOL_MOUNT) return this.dir;
    const name = path.slice(TOOL_MOUNT.length + 1);
    const node = this.dir.entries.get(name) ?? this.#channels.get(name);
    return node?.kind === "file" ? node : undefined;
  }

  /** path_open of a covered path: a descriptor for the mount or a tool's channel, or an errno. */
  open(path: string, oflags: number, rights: bigint, inheriting: bigint, fdflags: number): Descriptor | number {
    const node = this.nodeAt(path);
    if (node === undefined) return oflags & OFlags.CREAT ? Errno.ROFS : Errno.NOENT;
    if (oflags & OFlags.CREAT && oflags & OFlags.EXCL) return Errno.EXIST;
    if (node.kind === "dir") {
      if ((rights & WRITE_INTENT) !== 0n || oflags & OFlags.TRUNC || fdflags & FdFlags.APPEND) return Errno.ISDIR;
      return { kind: "dir", dir: node, preopen: undefined, flags: fdflags, rights: rights & DIR_RIGHTS, inheriting: inheriting & DIR_INHERITING, granted: Granted.READ };
    }
    if (oflags & OFlags.DIRECTORY) return Errno.NOTDIR;
    return {
      kind: "tool",
      name: node.name,
      node,
      request: [],
      data: new Uint8Array(0),
      pos: 0,
      flags: fdflags,
      rights: rights & FILE_RIGHTS,
      inheriting: 0n,
    };
  }

  /** Adds written bytes to the request (a copy: guest memory changes). Throws EFBIG beyond the cap, EBADF after the call. */
  append(channel: ToolChannel, bytes: Uint8Array): void {
    if (channel.request === undefined) throw new FsError("EBADF");
    if (channel.pos + bytes.length > MAX_TOOL_REQUEST_BYTES) throw new FsError("EFBIG");
    channel.request.push(bytes);
    channel.pos += bytes.length;
  }

  /** Makes the call on the channel's first read; later reads see the same reply. */
  complete(channel: ToolChannel): void {
    if (channel.request === undefined) return;
    const request = joined(channel.request, channel.pos);
    channel.request = undefined;
    channel.data = encoder.encode(this.#call(channel.name, decoder.decode(request)));
    channel.pos = 0;
  }
}

function joined(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
