import type { FileAccess } from "../capabilities.ts";
import type { Node, VirtualFs } from "../vfs/index.ts";
import type { Clock } from "./clock.ts";
import type { FdTable } from "./descriptors.ts";
import type { GuestMemory } from "./memory.ts";
import type { ToolMount } from "./tool-mount.ts";

/** What every group of host calls works with. */
export interface HostContext {
  readonly memory: GuestMemory;
  readonly fs: VirtualFs;
  readonly fds: FdTable;
  readonly clock: Clock;
  /**
   * Asks the policy whether the guest may access `path` (absolute, fully
   * resolved). Every file access goes through here before it touches anything.
   */
  permits(path: string, access: FileAccess, syscall: string): boolean;
  /**
   * Whether `node`, at `source`, may also or instead be reached as `target` (a
   * rename, a symlink or a hard link): the guest must be able to read and write both paths,
   * and the move must leave every decision as it was (policy/README.md, "Moves").
   */
  permitsMove(source: string, node: Node | undefined, target: string, syscall: string): boolean;
  /** The tool mount, when the host offers tools. */
  readonly tools: ToolMount | undefined;
}
