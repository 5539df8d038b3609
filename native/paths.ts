/**
 * Where the native runner keeps its sources and what it generates. Everything
 * generated lives under build/ (gitignored) and can be deleted at any time.
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
export const NATIVE_DIR = join(ROOT, "native");
export const WORKLOAD_SOURCES = join(NATIVE_DIR, "workloads");
export const EXAMPLE_SOURCES = join(ROOT, "examples/c");
export const LAUNCHER_SOURCE = join(NATIVE_DIR, "launcher/landlock-seccomp.c");

const BUILD = join(ROOT, "build");
/** Static workload and probe binaries, and the launcher. */
export const WORKLOAD_BIN = join(BUILD, "native-workloads");
/** The same workloads and probes compiled to WASI, for the WebAssembly engines. */
export const WASI_WORKLOADS = join(BUILD, "wasi-workloads");
/** The busybox root filesystem and the per-run OCI bundles. */
export const ROOTFS = join(BUILD, "native-rootfs/rootfs");
export const BUNDLES = join(BUILD, "native-rootfs/bundles");
/** The rootfs as a tarball, for `docker import` / `podman import`. */
export const ROOTFS_TARBALL = join(BUILD, "native-rootfs/rootfs.tar");
/** The VM's kernel and initramfs. */
export const VM_DIR = join(BUILD, "native-vm");
/** Per-run folders (bundles' companions, VM initrds) and the probes' host canaries. */
export const RUNS = join(BUILD, "native-runs");
/**
 * The writable workspace of backends that run on the host's paths. On tmpfs,
 * like the /workspace the container backends get and the in-memory file
 * system of the WebAssembly engines, so file I/O figures compare like with like.
 */
export const HOST_SCRATCH = "/dev/shm/playpen-native";
/** Daemon state (dockerd, podman storage). */
export const DAEMONS = join(BUILD, "native-daemons");
/** Result documents. */
export const COMPARE_OUT = join(BUILD, "compare");
/** The committed reference result the Compare page shows with no runner. */
export const REFERENCE_RESULT = join(ROOT, "public/compare/reference.json");

/**
 * State roots of runc, crun and runsc. Under /run like the runtimes' own
 * defaults, but a folder of our own, so that checking for leftovers never
 * confuses our containers with anyone else's.
 */
export const RUNTIME_STATE = "/run/playpen-native";
