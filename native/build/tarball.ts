/**
 * The root filesystem as a tarball, for `docker import` and `podman import`:
 * the image is made here from the same tree the other backends use, never
 * pulled from a registry.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { ROOTFS_TARBALL } from "../paths.ts";

export interface RootfsImage {
  tarball: string;
  /** An image reference that changes when the tree does: playpen-native:<hash>. */
  reference: string;
}

function treeTag(rootfs: string): string {
  // The rootfs stamp lists every input with its mtime and size: hashing it names the tree.
  const stamp = readFileSync(join(rootfs, ".playpen-rootfs.json"));
  return createHash("sha256").update(stamp).digest("hex").slice(0, 12);
}

/** The image name of a tree, without building anything. */
export function rootfsImageReference(rootfs: string): string {
  return `playpen-native:${treeTag(rootfs)}`;
}

/** The image name and a tarball of the tree (written once per tree). */
export function rootfsImage(rootfs: string): RootfsImage {
  const tag = treeTag(rootfs);
  const stampedTarball = `${ROOTFS_TARBALL.replace(/\.tar$/, "")}-${tag}.tar`;
  if (!existsSync(stampedTarball)) {
    const partial = `${stampedTarball}.${process.pid}.partial`;
    execFileSync("tar", ["--numeric-owner", "--owner=0", "--group=0", "-C", rootfs, "-cf", partial, "."]);
    renameSync(partial, stampedTarball);
  }
  return { tarball: stampedTarball, reference: rootfsImageReference(rootfs) };
}
