/**
 * runc, the reference OCI runtime (Docker's and Podman's default), driven
 * directly with a bundle built here: no daemon, no image. Enforces the whole
 * config.json: namespaces, no capabilities, seccomp, read-only root, memory
 * and pids cgroup limits.
 */
import { join } from "node:path";
import { RUNTIME_STATE } from "../paths.ts";
import type { Backend } from "../types.ts";
import { ociBackend } from "./oci-runtime.ts";

export function createRunc(program = "runc", stateRoot = join(RUNTIME_STATE, "runc")): Backend {
  return ociBackend({
    name: "runc",
    title: "runc (OCI runtime)",
    notes: "Namespaces, no capabilities, seccomp allow list, read-only root, memory and pids cgroup limits.",
    command: [program, "--root", stateRoot],
    version: /runc version (\S+)/,
    install: "apt-get install runc",
    flags: { force: "--force", quiet: "-q" },
  });
}
