/**
 * The native runner's pure parts: the exact command lines and configuration
 * each backend would run, the verdict rules, the result schema. No sandbox is
 * started here; see native-backends.test.ts for live runs.
 */
import { readFileSync } from "node:fs";
import { release } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createBubblewrap } from "../../native/backends/bubblewrap.ts";
import { createCrun } from "../../native/backends/crun.ts";
import { createDocker } from "../../native/backends/docker.ts";
import { createFirejail } from "../../native/backends/firejail.ts";
import { createGvisor } from "../../native/backends/gvisor.ts";
import { createLandlockSeccomp } from "../../native/backends/landlock-seccomp.ts";
import { createAppArmor, createSelinux } from "../../native/backends/lsm.ts";
import { createPlain } from "../../native/backends/plain.ts";
import { createPodman } from "../../native/backends/podman.ts";
import { createQemu, parseConsole, vmInitScript } from "../../native/backends/qemu.ts";
import { createRunc } from "../../native/backends/runc.ts";
import { cpioArchive } from "../../native/build/cpio.ts";
import { median } from "../../native/measure.ts";
import { ociConfig, type OciConfig } from "../../native/oci/config.ts";
import { allowedSyscallCount, seccompProfile } from "../../native/oci/seccomp.ts";
import { ROOT } from "../../native/paths.ts";
import type { Canaries } from "../../native/probes/canaries.ts";
import { PROBES } from "../../native/probes/catalog.ts";
import { reportedVerdict } from "../../native/probes/verdict.ts";
import { compareResultJsonSchema } from "../../native/result-schema.ts";
import { resolveArgs } from "../../native/run-plan.ts";
import type { CommandOptions, Invocation, RunResult } from "../../native/types.ts";

const options: CommandOptions = {
  runId: "playpen-1-abcd",
  hostScratch: "/dev/shm/playpen-native/playpen-1-abcd",
  limits: { memoryMiB: 64, pids: 64 },
  artifacts: {
    workloadBin: "/w/bin",
    rootfs: "/w/rootfs",
    bundles: "/w/bundles",
    landlockLauncher: "/w/bin/landlock-seccomp",
  },
};

const fileio: Invocation = { binary: "fileio-bench", args: ["{workspace}/f", "10"], env: { PATH: "/bin" } };

describe("native command construction", () => {
  it("plain runs the host binary in the scratch folder with the runner's environment", () => {
    const plan = createPlain().command(fileio, options);
    expect(plan.argv).toEqual(["/w/bin/fileio-bench", `${options.hostScratch}/f`, "10"]);
    expect(plan.cwd).toBe(options.hostScratch);
    expect(plan.env).toEqual({ PATH: "/bin" });
  });

  it("bubblewrap: every namespace, nobody, no capabilities, read-only busybox root, clean environment", () => {
    const plan = createBubblewrap().command(fileio, options);
    expect(plan.argv).toEqual([
      "bwrap",
      "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup",
      "--uid", "65534", "--gid", "65534",
      "--cap-drop", "ALL",
      "--die-with-parent", "--new-session",
      "--hostname", "sandbox",
      "--ro-bind", "/w/rootfs", "/",
      "--proc", "/proc",
      "--dev", "/dev",
      "--tmpfs", "/tmp",
      "--tmpfs", "/workspace",
      "--chdir", "/workspace",
      "--clearenv", "--setenv", "PATH", "/bin",
      "--", "/bench/fileio-bench", "/workspace/f", "10",
    ]);
    expect(plan.cleanup).toEqual([]);
  });

  it("runc: a per-run bundle, a private state root, delete --force afterwards", () => {
    const plan = createRunc("runc", "/run/x/runc").command(fileio, options);
    expect(plan.argv).toEqual(["runc", "--root", "/run/x/runc", "run", "--bundle", "/w/bundles/playpen-1-abcd", "playpen-1-abcd"]);
    expect(plan.cleanup).toEqual([["runc", "--root", "/run/x/runc", "delete", "--force", "playpen-1-abcd"]]);
    expect(plan.removePaths).toEqual(["/w/bundles/playpen-1-abcd"]);
    expect(plan.files.map((f) => f.path)).toEqual(["/w/bundles/playpen-1-abcd/config.json"]);
    const config = JSON.parse(plan.files[0]!.content) as OciConfig;
    expect(config.process.args).toEqual(["/bench/fileio-bench", "/workspace/f", "10"]);
    expect(config.process.env).toEqual(["PATH=/bin"]);
    expect(config.linux.cgroupsPath).toBe("/playpen-native/playpen-1-abcd");
  });

  it("crun wraps run and delete in a private mount namespace only on hybrid cgroups", () => {
    const hybrid = createCrun({ stateRoot: "/run/x/crun", hybridWorkaround: true }).command(fileio, options);
    const wrapper = ["unshare", "-m", "--propagation", "private", "sh", "-c", 'umount /sys/fs/cgroup/unified && exec "$@"', "sh"];
    expect(hybrid.argv).toEqual([...wrapper, "crun", "--root", "/run/x/crun", "run", "--bundle", "/w/bundles/playpen-1-abcd", "playpen-1-abcd"]);
    expect(hybrid.cleanup).toEqual([[...wrapper, "crun", "--root", "/run/x/crun", "delete", "--force", "playpen-1-abcd"]]);
    const plain = createCrun({ stateRoot: "/run/x/crun", hybridWorkaround: false }).command(fileio, options);
    expect(plain.argv[0]).toBe("crun");
  });

  it("gVisor: ptrace platform, no network stack, delete -force afterwards", () => {
    const plan = createGvisor({ stateRoot: "/run/x/runsc" }).command(fileio, options);
    const runsc = ["runsc", "--root", "/run/x/runsc", "--network=none", "--platform=ptrace"];
    expect(plan.argv).toEqual([...runsc, "run", "--bundle", "/w/bundles/playpen-1-abcd", "playpen-1-abcd"]);
    expect(plan.cleanup).toEqual([[...runsc, "delete", "-force", "playpen-1-abcd"]]);
  });

  it("docker: a careful `docker run` against the private daemon, rm -f afterwards", () => {
    const docker = createDocker({ client: "docker", host: "unix:///d.sock", image: "playpen-native:abc" });
    const plan = docker.command(fileio, options);
    expect(plan.argv).toEqual([
      "docker", "-H", "unix:///d.sock", "run", "--runtime", "runc",
      "--rm", "--name", "playpen-1-abcd",
      "--network", "none",
      "--cap-drop", "ALL",
      "--security-opt", "no-new-privileges",
      "--read-only",
      "--tmpfs", "/tmp:rw,nosuid,nodev,size=16m,mode=1777",
      "--tmpfs", "/workspace:rw,nosuid,nodev,size=32m,mode=1777",
      "--workdir", "/workspace",
      "--user", "65534:65534",
      "--hostname", "sandbox",
      "--memory", "64m", "--memory-swap", "64m",
      "--pids-limit", "64",
      "--ulimit", "core=0",
      "--log-driver", "none",
      "-e", "PATH=/bin",
      "playpen-native:abc", "/bench/fileio-bench", "/workspace/f", "10",
    ]);
    expect(plan.cleanup).toEqual([["docker", "-H", "unix:///d.sock", "rm", "--force", "playpen-1-abcd"]]);
    const gvisor = createDocker({ client: "docker", host: "unix:///d.sock", image: "i", runtime: "runsc" });
    expect(gvisor.name).toBe("docker-gvisor");
    expect(gvisor.command(fileio, options).argv.slice(3, 6)).toEqual(["run", "--runtime", "runsc"]);
  });

  it("podman: its own storage, cgroupfs, explicit ulimits, rm without a grace period", () => {
    const plan = createPodman({ storage: "/p", image: "playpen-native:abc" }).command(fileio, options);
    const podman = ["podman", "--root", "/p/root", "--runroot", "/p/run", "--cgroup-manager=cgroupfs", "--events-backend=file", "--runtime", "runc"];
    expect(plan.argv.slice(0, podman.length + 5)).toEqual([...podman, "run", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]);
    expect(plan.argv).toContain("--read-only");
    expect(plan.argv.slice(-4)).toEqual(["playpen-native:abc", "/bench/fileio-bench", "/workspace/f", "10"]);
    expect(plan.cleanup).toEqual([[...podman, "rm", "--force", "--ignore", "--time", "0", "playpen-1-abcd"]]);
  });

  it("firejail: read-only host, a private tmpfs workspace, no network, limits", () => {
    const plan = createFirejail().command(fileio, { ...options, hostScratch: "/r/playpen-1-abcd" });
    expect(plan.argv).toEqual([
      "firejail", "--quiet", "--noprofile",
      "--net=none", "--private-dev", "--hostname=sandbox",
      "--caps.drop=all", "--seccomp", "--nonewprivs",
      "--rlimit-as=64m", "--rlimit-nproc=64",
      "--read-only=/", "--tmpfs=/r/playpen-1-abcd",
      "--private-cwd=/r/playpen-1-abcd",
      "/w/bin/fileio-bench", "/r/playpen-1-abcd/f", "10",
    ]);
  });

  it("landlock-seccomp: nobody, rlimits, read+execute the workloads, write the scratch folder, granted env only", () => {
    const plan = createLandlockSeccomp().command(fileio, options);
    expect(plan.argv).toEqual([
      "/w/bin/landlock-seccomp",
      "--uid", "65534", "--gid", "65534",
      "--memory-mib", "64", "--pids", "64",
      "--rx", "/w/bin",
      "--rw", options.hostScratch,
      "--chdir", options.hostScratch,
      "--env", "PATH=/bin",
      "--", "/w/bin/fileio-bench", `${options.hostScratch}/f`, "10",
    ]);
  });

  it("qemu: microvm with the given accelerator, no devices, and an /init that applies the limits", () => {
    const plan = createQemu({ kernel: "/k/vmlinuz", accelerator: "tcg", tscKhz: 2_600_000 }).command(fileio, options);
    expect(plan.argv).toEqual([
      "qemu-system-x86_64",
      "-M", "microvm,pit=on,pic=on,rtc=on",
      "-accel", "tcg", "-cpu", "max",
      "-m", "256M", "-smp", "1",
      "-nodefaults", "-no-user-config", "-nographic", "-serial", "stdio",
      "-kernel", "/k/vmlinuz", "-initrd", join(ROOT, "build/native-runs/playpen-1-abcd/initrd"),
      "-no-reboot",
      "-append", "console=ttyS0 panic=-1 quiet loglevel=1 tsc_early_khz=2600000 tsc=reliable",
    ]);
    const init = plan.files[0]!.content;
    expect(init).toContain("echo 67108864 > /sys/fs/cgroup/guest/memory.max");
    expect(init).toContain("echo 64 > /sys/fs/cgroup/guest/pids.max");
    expect(init).toContain("env -i 'PATH=/bin' '/bench/fileio-bench' '/workspace/f' '10'");
  });

  it("qemu quotes arguments for the guest's shell and reads the exit status off the console", () => {
    expect(vmInitScript("/bench/x", ["it's"], {}, options.limits)).toContain(`env -i '/bench/x' 'it'\\''s'`);
    const console = "[    0.1] booting\nhello\n[    0.2] noise\nPLAYPEN_EXIT=3\n[    0.3] reboot: Power down\n";
    expect(parseConsole(console)).toEqual({ stdout: "hello\n", exitCode: 3 });
    expect(parseConsole("[    0.1] hung\n")).toEqual({ stdout: "", exitCode: null });
  });

  it("AppArmor and SELinux refuse to build a command and say why", async () => {
    for (const backend of [createAppArmor(), createSelinux()]) {
      const detection = await backend.detect();
      expect(detection.available).toBe(false);
      expect(() => backend.command(fileio, options)).toThrow(/AppArmor|SELinux/);
    }
  });

  it("substitutes {workspace} in workload arguments", () => {
    expect(resolveArgs(["{workspace}/a", "b{workspace}"], "/ws")).toEqual(["/ws/a", "b/ws"]);
  });
});

describe("OCI configuration", () => {
  const config = ociConfig({
    invocation: { binary: "hello", args: ["a"], env: { PATH: "/bin" } },
    program: "/bench/hello",
    rootfs: "/w/rootfs",
    cgroupsPath: "/playpen-native/x",
    limits: { memoryMiB: 64, pids: 64 },
  });

  it("has a read-only root, no capabilities, no_new_privs, nobody as the user", () => {
    expect(config.root).toEqual({ path: "/w/rootfs", readonly: true });
    for (const set of Object.values(config.process.capabilities)) expect(set).toEqual([]);
    expect(config.process.noNewPrivileges).toBe(true);
    expect(config.process.user).toEqual({ uid: 65534, gid: 65534, additionalGids: [] });
  });

  it("has its own network namespace (no interface but loopback) and every other namespace", () => {
    expect(config.linux.namespaces.map((n) => n.type).sort()).toEqual(["cgroup", "ipc", "mount", "network", "pid", "uts"]);
  });

  it("limits memory to 64 MiB and processes to 64, and denies devices", () => {
    expect(config.linux.resources.memory.limit).toBe(64 * 1024 * 1024);
    expect(config.linux.resources.pids.limit).toBe(64);
    expect(config.linux.resources.devices).toEqual([{ allow: false, access: "rwm" }]);
  });

  it("uses a seccomp allow list without the calls that need capabilities", () => {
    const profile = config.linux.seccomp;
    expect(profile.defaultAction).toBe("SCMP_ACT_ERRNO");
    expect(profile.architectures).toEqual(["SCMP_ARCH_X86_64"]);
    const allowed = new Set(profile.syscalls.filter((r) => r.action === "SCMP_ACT_ALLOW" && !r.args).flatMap((r) => r.names));
    for (const name of ["read", "write", "execve", "fork", "socket", "arch_prctl"]) expect(allowed.has(name), name).toBe(true);
    for (const name of ["mount", "umount2", "unshare", "setns", "ptrace", "bpf", "perf_event_open", "keyctl", "kexec_load", "init_module", "io_uring_setup", "pivot_root"]) {
      expect(allowed.has(name), name).toBe(false);
    }
    // clone only without namespace flags; clone3 falls back to clone.
    expect(profile.syscalls.find((r) => r.names.includes("clone"))?.args?.[0]?.op).toBe("SCMP_CMP_MASKED_EQ");
    expect(profile.syscalls.find((r) => r.names.includes("clone3"))).toMatchObject({ action: "SCMP_ACT_ERRNO", errnoRet: 38 });
    expect(allowedSyscallCount(seccompProfile())).toBeGreaterThan(250);
  });
});

describe("initramfs archives", () => {
  it("writes newc records padded to 4 bytes, ending with the trailer", () => {
    const archive = cpioArchive([{ path: "init", type: "file", mode: 0o755, data: Buffer.from("#!/bin/sh\n") }]);
    expect(archive.subarray(0, 6).toString()).toBe("070701");
    expect(archive.length % 4).toBe(0);
    expect(archive.includes(Buffer.from("TRAILER!!!\0"))).toBe(true);
    // mode field: regular file 0755
    expect(archive.subarray(14, 22).toString()).toBe((0o100755).toString(16).padStart(8, "0"));
  });
});

describe("probe verdicts", () => {
  const canaries = {
    token: "tok-123",
    secretValue: "sec-456",
    outsidePath: "/nonexistent/playpen-test/written",
  } as Canaries;
  const result = (overrides: Partial<RunResult>): RunResult => ({
    runId: "r", exitCode: 0, signal: null, stdout: "", stderr: "", durationMs: 1, timedOut: false, outputTruncated: false, ...overrides,
  });
  const judge = (id: string, overrides: Partial<RunResult>) => PROBES.find((p) => p.id === id)!.judge(result(overrides), canaries);

  it("parses the verdict line from stdout or stderr", () => {
    expect(reportedVerdict({ stdout: "noise\nverdict: blocked open: EACCES\n", stderr: "" })).toEqual({ verdict: "blocked", detail: "open: EACCES" });
    expect(reportedVerdict({ stdout: "xxxx", stderr: "verdict: allowed wrote 64 MiB\n" })).toEqual({ verdict: "allowed", detail: "wrote 64 MiB" });
    expect(reportedVerdict({ stdout: "", stderr: "" })).toBeUndefined();
  });

  it("allows a read only when the guest saw the host's own token", () => {
    expect(judge("read-canary", { stdout: "verdict: allowed read: tok-123\n" }).verdict).toBe("allowed");
    expect(judge("read-canary", { stdout: "verdict: allowed read: something else\n" }).verdict).toBe("contained");
    expect(judge("read-canary", { stdout: "verdict: blocked open: No such file or directory\n" }).verdict).toBe("blocked");
  });

  it("calls a write that never reached the host contained", () => {
    expect(judge("write-outside", { stdout: "verdict: allowed wrote 7 bytes\n" })).toMatchObject({ verdict: "contained" });
  });

  it("treats a memory-limit kill as contained and a silent death as crashed", () => {
    expect(judge("memory-bomb", { exitCode: 137, stderr: "allocated_mib: 16\nallocated_mib: 48\n" })).toEqual({
      verdict: "contained",
      detail: "killed by the memory limit after 48 MiB",
    });
    expect(judge("memory-bomb", { exitCode: 2 }).verdict).toBe("crashed");
    expect(judge("fork-bomb", { exitCode: 2 }).verdict).toBe("crashed");
  });

  it("treats a runaway stopped at the time limit, and a capped flood, as contained", () => {
    expect(judge("cpu-runaway", { timedOut: true, exitCode: null, signal: "SIGKILL" }).verdict).toBe("contained");
    expect(judge("cpu-runaway", { stdout: "verdict: allowed ran 60 s of CPU unchecked\n" }).verdict).toBe("allowed");
    expect(judge("output-flood", { outputTruncated: true, signal: "SIGKILL", exitCode: null }).verdict).toBe("contained");
  });

  it("sees the host kernel as allowed and another kernel as contained", () => {
    expect(judge("kernel-identity", { stdout: `verdict: allowed Linux ${release()} #1\n` }).verdict).toBe("allowed");
    expect(judge("kernel-identity", { stdout: "verdict: allowed Linux 4.4.0 #1\n" }).verdict).toBe("contained");
  });
});

describe("results", () => {
  it("takes the median of odd and even sample counts", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it("publishes a JSON Schema identical to the one derived from the zod definition", () => {
    const committed = JSON.parse(readFileSync(join(ROOT, "native/compare-result.schema.json"), "utf8")) as unknown;
    expect(committed).toEqual(compareResultJsonSchema());
  });
});
