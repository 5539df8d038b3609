/**
 * A virtual machine: qemu's minimal "microvm" machine booting a Debian cloud
 * kernel with the busybox initramfs, no disk, no network device, one serial
 * console. The guest has its own kernel, so the host's files, processes,
 * network and kernel identity are out of reach; inside, a cgroup gives the
 * workload the same memory and pids limits as the containers. KVM is used
 * when a trial boot proves it works; otherwise TCG (emulation), which is
 * slow. The workload runs as root inside the VM: the VM is the boundary.
 *
 * microvm needs pit, pic and rtc here, or the kernel hangs calibrating its clock.
 * Under TCG the guest's TSC is the host's, but calibrating it against the
 * emulated PIT fails when the host is busy (the guest then hangs with no
 * clock): the host's TSC frequency is passed on the kernel command line.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureArtifacts } from "../build/artifacts.ts";
import { cpioArchive } from "../build/cpio.ts";
import { ensureVmImage, findKernel, KERNEL_METAPACKAGE } from "../build/vm-image.ts";
import { detectVersion, findProgram } from "../detect.ts";
import { processLeftovers } from "../host-processes.ts";
import { RUNS, VM_DIR } from "../paths.ts";
import { executePlan, newRunId } from "../run-plan.ts";
import { DEFAULT_LIMITS, type Backend, type CommandOptions, type CommandPlan, type Invocation, type Limits, type RunOptions, type RunResult } from "../types.ts";
import { guestView } from "./guest-view.ts";

export type Accelerator = "kvm" | "tcg";

/** Printed by /init after the workload, so the runner knows its exit status. */
const EXIT_MARKER = "PLAYPEN_EXIT=";

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The guest's /init: mounts, a cgroup with the limits, the workload with a clean environment, power off. */
export function vmInitScript(program: string, args: string[], env: Record<string, string>, limits: Limits): string {
  const assignments = Object.entries(env).map(([name, value]) => shellQuote(`${name}=${value}`));
  return [
    "#!/bin/sh",
    "mount -t proc proc /proc",
    "mount -t sysfs sysfs /sys",
    "mount -t tmpfs -o size=16m,mode=1777 tmpfs /tmp",
    "mount -t tmpfs -o size=32m,mode=1777 tmpfs /workspace",
    "mount -t cgroup2 cgroup2 /sys/fs/cgroup",
    'echo "+memory +pids" > /sys/fs/cgroup/cgroup.subtree_control',
    "mkdir /sys/fs/cgroup/guest",
    `echo ${limits.memoryMiB * 1024 * 1024} > /sys/fs/cgroup/guest/memory.max`,
    `echo ${limits.pids} > /sys/fs/cgroup/guest/pids.max`,
    "echo $$ > /sys/fs/cgroup/guest/cgroup.procs",
    "cd /workspace",
    `env -i ${[...assignments, shellQuote(program), ...args.map(shellQuote)].join(" ")}`,
    `echo "${EXIT_MARKER}$?"`,
    "poweroff -f",
    "",
  ].join("\n");
}

/** Splits the serial console into the workload's output and its exit status; kernel messages are dropped. */
export function parseConsole(output: string): { stdout: string; exitCode: number | null } {
  const lines = output.replaceAll("\r", "").split("\n");
  const markerAt = lines.findIndex((line) => line.startsWith(EXIT_MARKER));
  const before = markerAt === -1 ? lines : lines.slice(0, markerAt);
  const kept = before.filter((line) => !/^\[\s*\d+\.\d+\]/.test(line));
  while (kept.length > 0 && kept[kept.length - 1] === "") kept.pop();
  const stdout = kept.length > 0 ? `${kept.join("\n")}\n` : "";
  const exitCode = markerAt === -1 ? null : Number(lines[markerAt]!.slice(EXIT_MARKER.length));
  return { stdout, exitCode };
}

/** The host's TSC frequency in kHz, from /proc/cpuinfo ("cpu MHz"). */
export function hostTscKhz(): number | undefined {
  try {
    const match = /^cpu MHz\s*:\s*([\d.]+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    return match ? Math.round(Number(match[1]) * 1000) : undefined;
  } catch {
    return undefined;
  }
}

export interface QemuOptions {
  program?: string;
  accelerator?: Accelerator;
  /** TSC frequency handed to a TCG guest; default: the host's. */
  tscKhz?: number;
  /** Fixed kernel path, for command construction in tests. */
  kernel?: string;
  memoryMiB?: number;
}

const ACCEL_CACHE = join(VM_DIR, "accelerator.json");

export function createQemu(config: QemuOptions = {}): Backend {
  const program = config.program ?? "qemu-system-x86_64";
  const vmMemory = config.memoryMiB ?? 256;
  let accelerator = config.accelerator;
  const tscKhz = config.tscKhz ?? hostTscKhz();

  const machineArgs = (kernel: string, initrd: string, accel: Accelerator) => [
    program,
    "-M", "microvm,pit=on,pic=on,rtc=on",
    "-accel", accel,
    "-cpu", accel === "kvm" ? "host" : "max",
    "-m", `${vmMemory}M`, "-smp", "1",
    "-nodefaults", "-no-user-config", "-nographic", "-serial", "stdio",
    "-kernel", kernel, "-initrd", initrd,
    "-no-reboot",
    "-append", ["console=ttyS0 panic=-1 quiet loglevel=1", ...(accel === "tcg" && tscKhz ? [`tsc_early_khz=${tscKhz} tsc=reliable`] : [])].join(" "),
  ];

  const backend: Backend = {
    name: "qemu",
    title: "VM (qemu microvm)",
    layout: "rootfs",
    notes: "A separate guest kernel, no network device, no disk; a cgroup inside the guest applies the limits. TCG emulation when KVM does not work.",
    async detect() {
      if (!findKernel() && !findProgram("apt-get")) {
        return { available: false, reason: `no guest kernel in ${VM_DIR} and no apt-get to download ${KERNEL_METAPACKAGE}` };
      }
      const version = await detectVersion(program, ["--version"], /QEMU emulator version (\S+)/, "apt-get install qemu-system-x86");
      return version.available ? { available: true, version: `${version.version} (${accelerator ?? cachedAccelerator() ?? "kvm or tcg"})` } : version;
    },
    command(invocation: Invocation, options: CommandOptions): CommandPlan {
      const view = guestView("rootfs", invocation, options);
      const kernel = config.kernel ?? findKernel() ?? join(VM_DIR, "vmlinuz");
      const runDir = join(RUNS, options.runId);
      return {
        argv: machineArgs(kernel, join(runDir, "initrd"), accelerator ?? "tcg"),
        // run() packs this script as /init into the run's initrd, after the base archive.
        files: [{ path: join(runDir, "init"), content: vmInitScript(view.program, view.args, invocation.env, options.limits) }],
        cleanup: [],
        removePaths: [runDir],
      };
    },
    async run(invocation: Invocation, options: RunOptions): Promise<RunResult> {
      const artifacts = ensureArtifacts();
      const image = ensureVmImage(artifacts.rootfs);
      accelerator ??= await chooseAccelerator(image.kernel, image.baseInitramfs);
      const runId = newRunId();
      const limits = options.limits ?? DEFAULT_LIMITS;
      const plan = backend.command(invocation, { runId, hostScratch: "", limits, artifacts });
      writeRunInitrd(join(RUNS, runId, "initrd"), image.baseInitramfs, plan.files[0]!.content);
      const result = await executePlan(plan, options);
      const console = parseConsole(result.stdout);
      return { ...result, stdout: console.stdout, exitCode: result.timedOut ? null : console.exitCode, runId };
    },
    async leftovers(runId?: string) {
      // The initrd path names the run: a VM still running would show it.
      return processLeftovers(runId);
    },
  };
  return backend;
}

function writeRunInitrd(path: string, baseInitramfs: string, init: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  const base = readFileSync(baseInitramfs);
  const initArchive = cpioArchive([{ path: "init", type: "file", mode: 0o755, data: Buffer.from(init) }], 100_000);
  // The kernel looks for the next archive's header only at a 4-byte boundary; zeros in between are skipped.
  const padding = Buffer.alloc((4 - (base.length % 4)) % 4);
  writeFileSync(path, Buffer.concat([base, padding, initArchive]));
}

function cachedAccelerator(): Accelerator | undefined {
  if (!existsSync(ACCEL_CACHE)) return undefined;
  const cached = JSON.parse(readFileSync(ACCEL_CACHE, "utf8")) as { accelerator?: Accelerator };
  return cached.accelerator;
}

/**
 * KVM when /dev/kvm exists and a trial boot finishes; on some virtualised
 * hosts /dev/kvm exists but guests hang. The answer is cached per machine.
 */
async function chooseAccelerator(kernel: string, baseInitramfs: string): Promise<Accelerator> {
  const cached = cachedAccelerator();
  if (cached) return cached;
  let accelerator: Accelerator = "tcg";
  if (existsSync("/dev/kvm")) {
    const runId = newRunId();
    const initrd = join(RUNS, runId, "initrd");
    writeRunInitrd(initrd, baseInitramfs, vmInitScript("/bench/hello", [], {}, DEFAULT_LIMITS));
    const trial = createQemu({ accelerator: "kvm", kernel });
    const plan = trial.command({ binary: "hello", args: [], env: {} }, { runId, hostScratch: "", limits: DEFAULT_LIMITS, artifacts: ensureArtifacts() });
    const result = await executePlan(plan, { timeoutMs: 15_000 });
    if (parseConsole(result.stdout).exitCode === 0) accelerator = "kvm";
  }
  mkdirSync(VM_DIR, { recursive: true });
  writeFileSync(ACCEL_CACHE, `${JSON.stringify({ accelerator, decided: new Date().toISOString() })}\n`);
  return accelerator;
}
