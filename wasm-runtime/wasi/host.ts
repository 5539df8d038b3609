import type { AccessRequest, FileAccess } from "../capabilities.ts";
import { FsError, pathsBelow, type VirtualFs } from "../vfs/index.ts";
import { Clock, clockCalls } from "./clock.ts";
import type { HostContext } from "./context.ts";
import { closeDescriptor, FdTable } from "./descriptors.ts";
import { fdDirCalls } from "./fd-dir.ts";
import { fdIoCalls } from "./fd-io.ts";
import { fdMetaCalls } from "./fd-meta.ts";
import { ExitSignal } from "./exit.ts";
import { GuestMemory } from "./memory.ts";
import { pathCalls } from "./path-calls.ts";
import { pathOpenCalls } from "./path-open.ts";
import { pollCalls } from "./poll.ts";
import { cryptoRandom, processCalls } from "./process.ts";
import { DIR_INHERITING, DIR_RIGHTS } from "./rights.ts";
import { socketCalls } from "./sockets.ts";
import { ToolMount, type ToolHostOptions } from "./tool-mount.ts";
import { traced, type TraceHook } from "./trace.ts";

export interface WasiHostOptions {
  fs: VirtualFs;
  /**
   * Decides every file access, with the path fully resolved (no `.`, `..` or
   * symlinks) and the name of the WASI call asking. A denied call returns EACCES
   * (PermissionError in Python, "Permission denied" in C) and changes nothing.
   */
  gate: (request: AccessRequest, syscall: string) => boolean;
  /**
   * Directories handed to the guest as descriptors 3, 4, …, each named by its
   * absolute path. wasi-libc resolves an absolute path through the preopen with
   * the longest matching prefix; the default `["/"]` makes every path
   * reachable, leaving confinement to `gate`.
   */
  preopens?: readonly string[];
  /** The full argv, program name first. */
  args?: readonly string[];
  /** The guest's environment, already filtered by the caller. */
  env?: Readonly<Record<string, string>>;
  /** All of stdin; reads past its end see end-of-file. */
  stdin?: Uint8Array;
  /** Receive each write to stdout/stderr; the bytes are a copy the sink may keep. */
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
  clock?: {
    /** Every clock is rounded down to a multiple of this; default 1000 (1 µs). */
    resolutionNs?: number;
  };
  /** Fills random_get's buffer; crypto.getRandomValues by default. */
  random?: (buffer: Uint8Array) => void;
  /** Called after every host call (a syscall trace); costs nothing when unset. */
  trace?: TraceHook;
  /**
   * Host functions, one file each under `/host` (see tool-mount.ts). The mount
   * shadows the filesystem there and cannot be changed (EACCES); without this
   * option `/host` is an ordinary path.
   */
  tools?: ToolHostOptions;
}

export interface WasiHost {
  readonly imports: { readonly wasi_snapshot_preview1: WebAssembly.ModuleImports };
  /**
   * Runs the command's `_start` and returns its exit code (0 when it returns).
   * Traps and host errors propagate. A host runs one instance, once; open
   * descriptors are closed when it ends.
   */
  start(instance: WebAssembly.Instance): number;
}

/** A WASI preview1 host over a VirtualFs, where every file access passes `gate` first. */
export function createWasiHost(options: WasiHostOptions): WasiHost {
  const { fs, gate } = options;
  const memory = new GuestMemory();
  const fds = new FdTable();
  const tools = options.tools && new ToolMount(options.tools, fs.now);
  // The calls that may look inside the tool mount handle it before asking; the others may not touch it.
  const permits = (path: string, access: FileAccess, syscall: string) => !tools?.covers(path) && gate({ capability: "file", path, access }, syscall);
  const context: HostContext = {
    memory,
    fs,
    fds,
    clock: new Clock(options.clock?.resolutionNs),
    permits,
    permitsMove: (source, node, target, syscall) =>
      [source, target].every((path) => permits(path, "read", syscall) && permits(path, "write", syscall)) &&
      gate({ capability: "file", access: "move", path: source, to: target, below: pathsBelow(node) }, syscall),
    tools,
  };

  fds.add({ kind: "stdin", data: options.stdin ?? new Uint8Array(0), pos: 0, flags: 0 });
  fds.add({ kind: "output", sink: options.stdout ?? discard, flags: 0 });
  fds.add({ kind: "output", sink: options.stderr ?? discard, flags: 0 });
  for (const preopen of options.preopens ?? ["/"]) {
    const dir = fs.lookup(preopen);
    if (dir.kind !== "dir") throw new FsError("ENOTDIR", preopen);
    fds.add({ kind: "dir", dir, preopen, flags: 0, rights: DIR_RIGHTS, inheriting: DIR_INHERITING, granted: 0 });
  }

  const calls = {
    ...processCalls(context, options.args ?? [], options.env ?? {}, options.random ?? cryptoRandom),
    ...clockCalls(context),
    ...pollCalls(context),
    ...fdIoCalls(context),
    ...fdMetaCalls(context),
    ...fdDirCalls(context),
    ...pathOpenCalls(context),
    ...pathCalls(context),
    ...socketCalls(context),
  };
  const imports = options.trace ? traced(calls, options.trace, memory) : calls;
  let started = false;

  return {
    imports: { wasi_snapshot_preview1: imports },
    start(instance) {
      if (started) throw new Error("this WASI host has already run an instance; create one per run");
      started = true;
      const { memory: exported, _start: entry } = instance.exports;
      if (!(exported instanceof WebAssembly.Memory)) throw new Error("the module does not export its memory");
      if (typeof entry !== "function") throw new Error("the module has no _start function: it is not a WASI command");
      memory.bind(exported);
      try {
        (entry as () => void)();
        return 0;
      } catch (error) {
        if (error instanceof ExitSignal) return error.code;
        throw error;
      } finally {
        for (const descriptor of fds.drain()) closeDescriptor(fs, descriptor);
      }
    },
  };
}

function discard(): void {}
