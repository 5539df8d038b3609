/**
 * Live runs of the native backends on this machine: detection, a workload,
 * cleanup after a timeout, and the containment probes' verdicts.
 *
 * Backends that are not installed are skipped with the reason their detect()
 * gives. The slow ones (gVisor, Docker, Podman, the VM) are skipped unless
 * PLAYPEN_NATIVE_SLOW=1, because they start daemons or boot a kernel.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allBackends } from "../../native/backends/index.ts";
import { createBubblewrap } from "../../native/backends/bubblewrap.ts";
import { createRunc } from "../../native/backends/runc.ts";
import { ensureArtifacts } from "../../native/build/artifacts.ts";
import { compare, writeResult } from "../../native/compare.ts";
import { processesMentioning } from "../../native/host-processes.ts";
import { plantCanaries, type Canaries } from "../../native/probes/canaries.ts";
import { PROBES } from "../../native/probes/catalog.ts";
import { runProbe } from "../../native/probes/run-probes.ts";
import { runProcess } from "../../native/process.ts";
import { CompareResult, compareResultJsonSchema } from "../../native/result-schema.ts";
import type { Backend, Detection, Verdict } from "../../native/types.ts";
import { GRANTED_ENV } from "../../native/workloads.ts";

const SLOW = process.env.PLAYPEN_NATIVE_SLOW === "1";
const SLOW_BACKENDS = new Set(["gvisor", "docker", "docker-gvisor", "podman", "qemu"]);

ensureArtifacts();
const backends = allBackends();
const detections = new Map<string, Detection>();
for (const backend of backends) detections.set(backend.name, await backend.detect());

afterAll(async () => {
  for (const backend of backends) await backend.close?.();
});

/** describe() for one backend, or describe.skip() with the reason in its name. */
function describeBackend(name: string, body: (backend: Backend) => void): void {
  const backend = backends.find((b) => b.name === name)!;
  const detection = detections.get(name)!;
  if (!detection.available) describe.skip(`${name} (skipped: ${detection.reason})`, () => body(backend));
  else if (SLOW_BACKENDS.has(name) && !SLOW) describe.skip(`${name} (skipped: slow, set PLAYPEN_NATIVE_SLOW=1)`, () => body(backend));
  else describe(`${name} ${detection.version}`, () => body(backend));
}

describe("detection", () => {
  it("gives every backend a version or a reason", () => {
    for (const [name, detection] of detections) {
      if (detection.available) expect(detection.version, name).toMatch(/\S/);
      else expect(detection.reason, name).toMatch(/\S/);
    }
    expect(detections.get("plain")?.available).toBe(true);
  });

  it("reports a missing program as not installed", async () => {
    expect(await createBubblewrap("/nonexistent/bwrap").detect()).toEqual({
      available: false,
      reason: "/nonexistent/bwrap is not installed (apt-get install bubblewrap)",
    });
    const runc = await createRunc("/nonexistent/runc").detect();
    expect(runc.available).toBe(false);
  });

  it("reports AppArmor and SELinux with the reason they cannot be used", () => {
    for (const name of ["apparmor", "selinux"]) {
      const detection = detections.get(name)!;
      expect(detection.available).toBe(false);
      expect(detection.available ? "" : detection.reason).toMatch(/AppArmor|SELinux/);
    }
  });
});

describe("process runner", () => {
  it("kills the whole process group at the time limit", async () => {
    // A duration no other process on the host will be sleeping for.
    const nap = `sleep 987.${process.pid}`;
    const started = Date.now();
    const result = await runProcess(["sh", "-c", `${nap} & ${nap}`], { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(processesMentioning(nap)).toEqual([]);
  });

  it("stops a run whose output passes the cap", async () => {
    const result = await runProcess(["yes"], { timeoutMs: 10_000, outputLimitBytes: 64 * 1024 });
    expect(result.outputTruncated).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.stdout.length).toBe(64 * 1024);
  });
});

/** The verdicts each backend must give on this kind of machine (cpu-runaway is tested as cleanup). */
const EXPECTED: Record<string, Record<string, Verdict>> = {
  plain: {
    "read-canary": "allowed", "write-outside": "allowed", "list-processes": "allowed", "loopback-connect": "allowed",
    "env-secret": "allowed", "fork-bomb": "allowed", "memory-bomb": "allowed", "output-flood": "contained",
    "hires-timer": "allowed", "kernel-identity": "allowed",
  },
  "landlock-seccomp": {
    "read-canary": "blocked", "write-outside": "blocked", "list-processes": "blocked", "loopback-connect": "blocked",
    "env-secret": "blocked", "fork-bomb": "contained", "memory-bomb": "contained", "output-flood": "contained",
    "hires-timer": "allowed", "kernel-identity": "allowed",
  },
  bubblewrap: {
    "read-canary": "blocked", "write-outside": "blocked", "list-processes": "contained", "loopback-connect": "blocked",
    // bwrap has no limits of its own.
    "env-secret": "blocked", "fork-bomb": "allowed", "memory-bomb": "allowed", "output-flood": "contained",
    "hires-timer": "allowed", "kernel-identity": "allowed",
  },
  firejail: {
    // The host's files stay readable, and firejail passes the environment through.
    "read-canary": "allowed", "write-outside": "blocked", "list-processes": "contained", "loopback-connect": "blocked",
    "env-secret": "allowed", "fork-bomb": "allowed", "memory-bomb": "contained", "output-flood": "contained",
    "hires-timer": "allowed", "kernel-identity": "allowed",
  },
  runc: {
    "read-canary": "blocked", "write-outside": "blocked", "list-processes": "contained", "loopback-connect": "blocked",
    "env-secret": "blocked", "fork-bomb": "contained", "memory-bomb": "contained", "output-flood": "contained",
    "hires-timer": "allowed", "kernel-identity": "allowed",
  },
};
EXPECTED.crun = EXPECTED.runc!;
/** For the slow backends, the verdicts that matter most. */
const ESSENTIAL: Record<string, Verdict> = {
  "read-canary": "blocked", "write-outside": "blocked", "loopback-connect": "blocked", "env-secret": "blocked", "memory-bomb": "contained",
};

let canaries: Canaries;
beforeAll(async () => {
  canaries = await plantCanaries();
});
afterAll(async () => {
  await canaries?.dispose();
});

for (const name of ["plain", "landlock-seccomp", "bubblewrap", "firejail", "runc", "crun", "gvisor", "docker", "docker-gvisor", "podman", "qemu"]) {
  describeBackend(name, (backend) => {
    const slow = SLOW_BACKENDS.has(name);
    const timeout = slow ? 180_000 : 60_000;

    it("runs the start-up and file I/O workloads", { timeout }, async () => {
      const hello = await backend.run({ binary: "hello", args: [], env: GRANTED_ENV }, { timeoutMs: 60_000 });
      expect(hello.exitCode, hello.stderr).toBe(0);
      expect(hello.stdout).toBe("hello\n");
      const fileio = await backend.run({ binary: "fileio-bench", args: ["{workspace}/fileio", "20"], env: GRANTED_ENV }, { timeoutMs: 60_000 });
      expect(fileio.exitCode, fileio.stderr).toBe(0);
      expect(fileio.stdout).toMatch(/^files: 20$/m);
    });

    it("leaves nothing behind when a CPU runaway is stopped at its time limit", { timeout }, async () => {
      const tag = `playpen-test-runaway-${process.pid}-${name}`;
      // The VM needs seconds to boot before the runaway even starts.
      const limit = name === "qemu" ? 8_000 : 1_500;
      const started = Date.now();
      const result = await backend.run({ binary: "probe-cpu-runaway", args: ["60", tag], env: GRANTED_ENV }, { timeoutMs: limit });
      expect(result.timedOut).toBe(true);
      expect(result.exitCode).toBeNull();
      expect(Date.now() - started).toBeLessThan(limit + 20_000);
      expect(await backend.leftovers(result.runId)).toEqual([]);
      expect(processesMentioning(tag)).toEqual([]);
    });

    const expected = EXPECTED[name] ?? ESSENTIAL;
    it(`gives the expected probe verdicts (${Object.keys(expected).length} probes)`, { timeout: slow ? 600_000 : 120_000 }, async () => {
      const verdicts: Record<string, string> = {};
      for (const probe of PROBES.filter((p) => p.id in expected)) {
        const outcome = await runProbe(backend, probe, canaries);
        verdicts[probe.id] = `${outcome.verdict}: ${outcome.detail}`;
        expect(outcome.leftovers, probe.id).toEqual([]);
      }
      const got = Object.fromEntries(Object.entries(verdicts).map(([id, text]) => [id, text.split(":")[0]]));
      expect(got, JSON.stringify(verdicts, null, 2)).toEqual(expected);
    });
  });
}

describe("compareNative", () => {
  it("produces a schema-valid document with medians per backend and workload, and writes it with its schema", { timeout: 60_000 }, async () => {
    const result = await compare({ contenders: allBackends, samples: 3, warmup: 0, backends: ["plain", "apparmor"], workloads: ["hello"], probes: false });
    expect(result.backends.map((b) => [b.name, b.available])).toEqual([["plain", true], ["apparmor", false]]);
    expect(result.backends[1]!.reason).toMatch(/AppArmor/);
    expect(result.measurements).toHaveLength(1);
    const [hello] = result.measurements;
    expect(hello).toMatchObject({ backend: "plain", workload: "hello", failures: 0 });
    expect(hello!.samples).toHaveLength(3);
    expect(hello!.medianMs).toBeGreaterThan(0);
    expect(result.host.kernel).toMatch(/\S/);

    const dir = mkdtempSync(join(tmpdir(), "playpen-native-"));
    try {
      const schemaPath = writeResult(result, join(dir, "native.json"));
      expect(CompareResult.parse(JSON.parse(readFileSync(join(dir, "native.json"), "utf8")))).toEqual(result);
      expect(JSON.parse(readFileSync(schemaPath, "utf8"))).toEqual(compareResultJsonSchema());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
