/**
 * The VM backend's boot files: a Debian cloud kernel taken out of its .deb
 * (downloaded with apt-get, extracted, never installed) and an initramfs made
 * from the same busybox root filesystem as the containers. Each run appends a
 * tiny second archive holding its own /init; the kernel unpacks concatenated
 * archives in order, so the large part is built once.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { VM_DIR } from "../paths.ts";
import { cpioArchive, type CpioEntry } from "./cpio.ts";

/** Debian's metapackage that always depends on the current cloud kernel. */
export const KERNEL_METAPACKAGE = "linux-image-cloud-amd64";

export interface VmImage {
  kernel: string;
  /** gzipped newc archive of the rootfs, without /init. */
  baseInitramfs: string;
  /** The guest kernel's release, e.g. 6.1.0-56-cloud-amd64. */
  kernelRelease: string;
}

/** Path of an already extracted kernel, if any. */
export function findKernel(): string | undefined {
  if (!existsSync(VM_DIR)) return undefined;
  const kernel = readdirSync(VM_DIR).filter((f) => f.startsWith("vmlinuz-")).sort().pop();
  return kernel ? join(VM_DIR, kernel) : undefined;
}

function downloadKernel(): string {
  const depends = execFileSync("apt-cache", ["depends", KERNEL_METAPACKAGE], { encoding: "utf8" });
  const match = /Depends: (linux-image-\S+-cloud-amd64)/.exec(depends);
  if (!match?.[1]) throw new Error(`cannot tell which kernel ${KERNEL_METAPACKAGE} depends on`);
  const download = join(VM_DIR, "download");
  rmSync(download, { recursive: true, force: true });
  mkdirSync(download, { recursive: true });
  execFileSync("apt-get", ["download", match[1]], { cwd: download, stdio: ["ignore", "ignore", "pipe"] });
  const deb = readdirSync(download).find((f) => f.endsWith(".deb"));
  if (!deb) throw new Error(`apt-get download ${match[1]} produced no .deb`);
  // dpkg-deb | tar, only the kernel: the modules are not needed by a VM with no devices.
  const tarball = execFileSync("dpkg-deb", ["--fsys-tarfile", join(download, deb)], { maxBuffer: 512 * 1024 * 1024 });
  execFileSync("tar", ["-x", "--wildcards", "./boot/vmlinuz-*"], { cwd: download, input: tarball });
  const vmlinuz = readdirSync(join(download, "boot")).find((f) => f.startsWith("vmlinuz-"));
  if (!vmlinuz) throw new Error(`no kernel in ${deb}`);
  renameSync(join(download, "boot", vmlinuz), join(VM_DIR, vmlinuz));
  rmSync(download, { recursive: true, force: true });
  return join(VM_DIR, vmlinuz);
}

function treeEntries(root: string): CpioEntry[] {
  const entries: CpioEntry[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const inArchive = relative(root, path);
      if (inArchive.startsWith(".playpen")) continue;
      const stat = lstatSync(path);
      const mode = stat.mode & 0o7777;
      if (stat.isSymbolicLink()) entries.push({ path: inArchive, type: "symlink", mode: 0o777, target: readlinkSync(path) });
      else if (stat.isDirectory()) {
        entries.push({ path: inArchive, type: "dir", mode });
        walk(path);
      } else entries.push({ path: inArchive, type: "file", mode, data: readFileSync(path) });
    }
  };
  walk(root);
  return entries;
}

/** Kernel (downloaded once) and base initramfs (rebuilt when the rootfs changes). */
export function ensureVmImage(rootfs: string): VmImage {
  mkdirSync(VM_DIR, { recursive: true });
  const kernel = findKernel() ?? downloadKernel();
  const stamp = readFileSync(join(rootfs, ".playpen-rootfs.json"));
  const tag = createHash("sha256").update(stamp).digest("hex").slice(0, 12);
  const baseInitramfs = join(VM_DIR, `initramfs-${tag}.cpio.gz`);
  if (!existsSync(baseInitramfs)) {
    // The extra folders are mount points the /init script uses.
    const extra: CpioEntry[] = [{ path: "sys/fs", type: "dir", mode: 0o755 }, { path: "sys/fs/cgroup", type: "dir", mode: 0o755 }];
    const partial = `${baseInitramfs}.${process.pid}.partial`;
    writeFileSync(partial, gzipSync(cpioArchive([...treeEntries(rootfs), ...extra]), { level: 1 }));
    renameSync(partial, baseInitramfs);
  }
  return { kernel, baseInitramfs, kernelRelease: kernel.replace(/.*vmlinuz-/, "") };
}
