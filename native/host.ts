/**
 * A description of the machine a result was measured on, so every figure can
 * say where it comes from. No host name or user names: only what explains
 * the numbers.
 */
import { existsSync, readFileSync } from "node:fs";
import { cpus, release, totalmem, version } from "node:os";

export interface HostDescription {
  os: string;
  kernel: string;
  kernelVersion: string;
  arch: string;
  cpu: string;
  cores: number;
  memoryMiB: number;
  cgroups: "v1" | "v2" | "hybrid" | "none";
  kvmDevice: boolean;
  node: string;
}

function osName(): string {
  try {
    const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync("/etc/os-release", "utf8"));
    return match?.[1] ?? "unknown";
  } catch {
    return "unknown";
  }
}

function cgroupLayout(): HostDescription["cgroups"] {
  if (existsSync("/sys/fs/cgroup/cgroup.controllers")) return "v2";
  if (existsSync("/sys/fs/cgroup/unified/cgroup.controllers")) return "hybrid";
  if (existsSync("/sys/fs/cgroup/memory")) return "v1";
  return "none";
}

export function describeHost(): HostDescription {
  return {
    os: osName(),
    kernel: release(),
    kernelVersion: version(),
    arch: process.arch,
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: cpus().length,
    memoryMiB: Math.round(totalmem() / 1024 / 1024),
    cgroups: cgroupLayout(),
    kvmDevice: existsSync("/dev/kvm"),
    node: process.version,
  };
}
