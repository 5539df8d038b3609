import type { DirNode, Node } from "./nodes.ts";

export interface DirEntry {
  readonly name: string;
  readonly node: Node;
  /** Cookie to pass to continue the listing after this entry. */
  readonly next: bigint;
}

/**
 * Lists `dir` after `cookie` (0 = from the start): `.`, `..`, then entries in
 * creation order. Cookies stay valid while entries are added or removed.
 */
export function* listEntries(dir: DirNode, cookie: bigint): Generator<DirEntry> {
  if (cookie < 1n) yield { name: ".", node: dir, next: 1n };
  if (cookie < 2n) yield { name: "..", node: dir.parent ?? dir, next: 2n };
  const after = Number(cookie) - 2;
  for (const [name, node] of dir.entries) {
    const seq = dir.seqs.get(name)!;
    if (seq > after) yield { name, node, next: BigInt(seq + 2) };
  }
}
