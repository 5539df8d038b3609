/**
 * The native side of the Python workload: Debian's python3.11 (package
 * python3.11-minimal), run as `python3 -I -S -c CODE` so it needs only its
 * binary, the shared libraries it links, and the `encodings` package (the
 * rest of what start-up imports is frozen into the binary). Host-layout
 * backends run it where it is installed; the busybox root filesystem gets a
 * copy of exactly these files at the same paths.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

export const HOST_PYTHON = "/usr/bin/python3.11";
const STDLIB = "/usr/lib/python3.11";
/** Where the interpreter's libraries live: what a Landlock rule must let it read and map. */
export const PYTHON_READ_DIRS = ["/usr/bin", STDLIB, "/lib/x86_64-linux-gnu", "/lib64"];

export function hasHostPython(): boolean {
  return existsSync(HOST_PYTHON);
}

/** The shared libraries the interpreter loads, and its loader, as `ldd` names them. */
function sharedLibraries(binary: string): string[] {
  const listing = execFileSync("ldd", [binary], { encoding: "utf8" });
  return [...listing.matchAll(/(?:=> )?(\/\S+) \(0x/g)].map((m) => m[1]!);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === "__pycache__") return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Host paths to copy into a root filesystem (at the same path) for the
 * interpreter to run there: the binary, its libraries, `encodings`, and
 * `os.py`, the landmark by which Python finds its prefix.
 */
export function pythonRootfsFiles(): string[] {
  return [HOST_PYTHON, ...sharedLibraries(HOST_PYTHON), ...filesUnder(join(STDLIB, "encodings")), join(STDLIB, "os.py")];
}

/** Folders the copy needs besides its files' own: lib-dynload is the landmark of the platform-dependent prefix. */
export const PYTHON_ROOTFS_DIRS = [join(STDLIB, "lib-dynload"), dirname(HOST_PYTHON)];
