/**
 * Builds the sandboxes' root filesystem from local files only: Debian's
 * busybox-static and the static workload binaries, never an image registry.
 *
 *   /bin/busybox (+ applet links)   from the busybox-static package
 *   /bench/<workload>               the static workload and probe binaries
 *   /bench/python3 + /usr, /lib...  Debian's python3.11 with what `-I -S` start-up needs (python.ts)
 *   /etc/passwd, /etc/group         root and nobody, so tools can name the guest's uid
 *   /proc /dev /sys /tmp /workspace empty mount points: the root is mounted read-only,
 *                                   so a runtime cannot create them at start; /tmp and
 *                                   /workspace are 1777 because runc gives a tmpfs the
 *                                   mode of the folder it covers
 *
 * The tree is rebuilt only when an input changed (a stamp file records them),
 * into a side folder that is renamed into place, so concurrent test files
 * never see half a tree.
 */
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ROOTFS } from "../paths.ts";
import { isStaticElf } from "./elf.ts";
import { HOST_PYTHON, hasHostPython, PYTHON_ROOTFS_DIRS, pythonRootfsFiles } from "./python.ts";

export const BUSYBOX = "/bin/busybox";
const STAMP = ".playpen-rootfs.json";
/** Bumped when the layout below changes, so existing trees are rebuilt. */
const LAYOUT_VERSION = 3;

/** Applets the VM's init script and a curious operator use. */
const APPLETS = ["sh", "cat", "echo", "ls", "mount", "mkdir", "poweroff", "sleep", "true", "env", "id", "ps"];

const PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
const GROUP = "root:x:0:\nnogroup:x:65534:\n";

/** The uid/gid the guest runs as in every backend that lets us choose. */
export const GUEST_UID = 65534;
export const GUEST_GID = 65534;

function stampOf(workloadBin: string): string {
  const python = hasHostPython() ? [HOST_PYTHON] : [];
  const inputs = [BUSYBOX, ...python, ...readdirSync(workloadBin).filter((f) => !f.endsWith(".partial")).sort().map((f) => join(workloadBin, f))];
  return JSON.stringify([LAYOUT_VERSION, ...inputs.map((path) => [path, statSync(path).mtimeMs, statSync(path).size])]);
}

function populate(dir: string, workloadBin: string): void {
  for (const sub of ["bin", "bench", "etc", "proc", "dev", "sys", "tmp", "workspace", "root"]) {
    mkdirSync(join(dir, sub), { recursive: true });
  }
  for (const sub of ["tmp", "workspace"]) chmodSync(join(dir, sub), 0o1777);
  copyFileSync(BUSYBOX, join(dir, "bin/busybox"));
  for (const applet of APPLETS) symlinkSync("busybox", join(dir, "bin", applet));
  for (const file of readdirSync(workloadBin)) {
    const from = join(workloadBin, file);
    if (file.endsWith(".partial")) continue;
    // A link (python3) points at an interpreter the tree gets at its own path below.
    if (lstatSync(from).isSymbolicLink()) continue;
    copyFileSync(from, join(dir, "bench", file));
  }
  if (hasHostPython()) {
    for (const path of pythonRootfsFiles()) {
      mkdirSync(join(dir, dirname(path)), { recursive: true });
      copyFileSync(path, join(dir, path));
    }
    for (const folder of PYTHON_ROOTFS_DIRS) mkdirSync(join(dir, folder), { recursive: true });
    symlinkSync(HOST_PYTHON, join(dir, "bench/python3"));
  }
  writeFileSync(join(dir, "etc/passwd"), PASSWD);
  writeFileSync(join(dir, "etc/group"), GROUP);
  writeFileSync(join(dir, "etc/hostname"), "sandbox\n");
}

/** Builds (or reuses) the root filesystem for the binaries in `workloadBin`; returns its path. */
export function buildRootfs(workloadBin: string): string {
  if (!existsSync(BUSYBOX) || !isStaticElf(BUSYBOX)) {
    throw new Error(`${BUSYBOX} is missing or not static: apt-get install busybox-static`);
  }
  const stamp = stampOf(workloadBin);
  const stampPath = join(ROOTFS, STAMP);
  if (existsSync(stampPath) && readFileSync(stampPath, "utf8") === stamp) return ROOTFS;

  const partial = `${ROOTFS}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  populate(partial, workloadBin);
  writeFileSync(join(partial, STAMP), stamp);
  rmSync(ROOTFS, { recursive: true, force: true });
  try {
    renameSync(partial, ROOTFS);
  } catch (error) {
    // Another process renamed its identical tree into place first.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(stampPath)) throw error;
  }
  return ROOTFS;
}
