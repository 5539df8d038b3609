/** The attack-surface counts: read from the filters and hosts themselves, and sane against each other. */
import { describe, expect, it } from "vitest";
import { attackSurface, firejailDeniedSyscalls, gatedHostCalls, launcherDeniedSyscalls, linuxSyscallCount, WASI_PREVIEW1_CALLS, workloadImports } from "../../native/attack-surface.ts";
import { allContenders } from "../../native/contenders.ts";
import { allowedSyscallCount, ALLOWED_SYSCALLS } from "../../native/oci/seccomp.ts";

const rows = new Map(attackSurface(allContenders()).map((row) => [row.backend, row]));
const total = linuxSyscallCount()!;

describe("attack surface", () => {
  it("has one row per backend, native and WebAssembly", () => {
    expect([...rows.keys()]).toEqual(allContenders().map((c) => c.name));
    for (const row of rows.values()) expect(row.detail, row.backend).toMatch(/\S/);
  });

  it("counts the x86-64 system calls from the kernel headers", () => {
    expect(total).toBeGreaterThan(300);
    expect(total).toBeLessThan(600);
    expect(rows.get("plain")).toMatchObject({ interface: "syscalls", count: total, of: total });
    expect(rows.get("bubblewrap")).toMatchObject({ count: total, of: total });
  });

  it("gives the gated engine exactly the 46 WASI preview1 calls its host implements", () => {
    expect(WASI_PREVIEW1_CALLS).toHaveLength(46);
    expect(new Set(gatedHostCalls())).toEqual(new Set(WASI_PREVIEW1_CALLS));
    for (const host of ["node", "chromium"]) {
      expect(rows.get(`wasm-gated-${host}`)).toMatchObject({ interface: "wasi-imports", count: 46, of: 46 });
      // The Wasmer engine's WASIX namespace is not counted: unknown, not zero.
      expect(rows.get(`wasm-wasmer-${host}`)).toMatchObject({ interface: "wasi-imports", count: null, of: 46 });
    }
  });

  it("finds that the workload modules import only part of WASI", () => {
    const used = workloadImports();
    expect(used.min).toBeGreaterThan(0);
    expect(used.max).toBeLessThanOrEqual(used.union);
    expect(used.union).toBeLessThan(46);
  });

  it("counts runc's and crun's allow list as seccomp.ts defines it", () => {
    // The list, plus clone (flags checked) and personality (values checked).
    expect(allowedSyscallCount()).toBe(ALLOWED_SYSCALLS.length + 2);
    for (const name of ["runc", "crun", "docker", "podman"]) expect(rows.get(name)).toMatchObject({ count: allowedSyscallCount(), of: total });
  });

  it("subtracts the Landlock launcher's and firejail's deny lists from the total", () => {
    const denied = launcherDeniedSyscalls();
    expect(denied).toContain("ptrace");
    expect(denied).toContain("clone3");
    expect(rows.get("landlock-seccomp")!.count).toBe(total - denied.length);
    expect(launcherDeniedSyscalls("static const int denied_syscalls[] = {\n SYS_mount, SYS_bpf,\n};")).toEqual(["mount", "bpf", "clone3"]);
    const firejail = firejailDeniedSyscalls();
    if (firejail) {
      expect(firejail).toContain("mount");
      expect(rows.get("firejail")!.count).toBe(total - firejail.length);
    }
  });

  it("reports gVisor's guest-visible surface as all calls, and the VM's as its virtual devices", () => {
    expect(rows.get("gvisor")).toMatchObject({ interface: "syscalls", count: total });
    expect(rows.get("gvisor")!.detail).toMatch(/Sentry/);
    expect(rows.get("qemu")).toMatchObject({ interface: "virtual-devices", count: 4, of: null });
  });
});
